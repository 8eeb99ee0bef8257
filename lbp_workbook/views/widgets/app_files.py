"""The assessment app's file box: examples, saved clients and the client summary.

:class:`ClientFiles` is the part of :class:`~lbp_workbook.views.widgets.app.AssessmentApp`
that talks to the disk: load an example, save the entries to the client store
(:class:`lbp_workbook.engine.storage.ClientStore`), load, export, rename or delete a
saved client, and write the one-page client summary. Each button's action
runs through :meth:`ClientFiles._guard`, which shows what went wrong beside
the buttons in plain words and loses none of the entries.

The app provides ``record``, ``result``, ``load_record``, ``_invalid`` and
``_entries_ok``; this class provides the buttons (``files_box``) and the actions.
"""

from __future__ import annotations

import copy
import html
from pathlib import Path
from typing import Any, Callable

import ipywidgets as widgets

from lbp_workbook.engine.record import looks_like_real_name, normalise_client_id
from lbp_workbook.engine.result import Result
from lbp_workbook.engine.storage import ClientStore, StorageError
from lbp_workbook.engine.whatif import get_path
from lbp_workbook.views.app_cards import problem_html
from lbp_workbook.views.widgets.form import note
from lbp_workbook.views.widgets.sheet_button import sheet_controls

esc = html.escape
_problem_html, _note = problem_html, note


class ClientFiles:
    """Examples, saved clients and summaries: the file box of the assessment app."""

    _store: ClientStore | None
    record: dict
    result: Result | None
    _entries_ok: bool

    def _client_progress_changed(self) -> None:
        """Called after the saved clients may have changed (the app shows progress)."""

    def _build_files_box(self) -> widgets.Widget:
        from lbp_workbook.engine.examples import list_examples

        self.example_picker = widgets.Dropdown(
            options=list(list_examples()), value=None, description="Example",
            layout=widgets.Layout(width="260px"),
        )
        self.load_example_button = widgets.Button(description="Load example", icon="user")
        self.load_example_button.on_click(lambda _b: self._guard(self.load_selected_example))
        self.save_button = widgets.Button(
            description="Save client", icon="save", button_style="primary"
        )
        self.save_button.on_click(lambda _b: self._guard(self.save))
        self.client_picker = widgets.Dropdown(
            options=[], value=None, description="Saved", layout=widgets.Layout(width="260px")
        )
        self.load_button = widgets.Button(description="Load client", icon="folder-open")
        self.load_button.on_click(lambda _b: self._guard(self.load_selected_client))
        self.refresh_button = widgets.Button(description="Refresh list", icon="refresh")
        self.refresh_button.on_click(lambda _b: self._guard(self.refresh_clients))
        self.summary_button = widgets.Button(
            description="Client summary (HTML + PDF)", icon="file",
            tooltip="Write a one-page summary of these entries (HTML and PDF) into the "
                    "saved-clients folder; earlier summaries are kept",
        )
        self.summary_button.add_class("lbp-summary-button")
        self.summary_button.on_click(lambda _b: self._guard(self.write_summary))
        # Saved client: export, rename, delete (delete asks first: a second button).
        self.export_button = widgets.Button(
            description="Export client (CSV + JSON)", icon="download",
            tooltip="Write a copy of every saved assessment of the chosen client as CSV and "
                    "JSON, to download and keep",
        )
        self.export_button.on_click(lambda _b: self._guard(self.export_selected_client))
        self.delete_button = widgets.Button(
            description="Delete client…", icon="trash",
            tooltip="Delete the chosen client's saved file (asks you to confirm first)",
        )
        self.delete_button.on_click(lambda _b: self._guard(self.ask_delete_selected_client))
        self.confirm_delete_button = widgets.Button(
            description="Yes, delete", icon="trash", button_style="danger",
            tooltip="Delete the chosen client's saved file now; this cannot be undone",
            layout=widgets.Layout(display="none"),
        )
        self.confirm_delete_button.on_click(lambda _b: self._guard(self.delete_selected_client))
        self.cancel_delete_button = widgets.Button(
            description="Cancel", tooltip="Keep the client: delete nothing",
            layout=widgets.Layout(display="none"),
        )
        self.cancel_delete_button.on_click(lambda _b: self._guard(self._cancel_delete))
        self._pending_delete: str | None = None
        self.client_picker.observe(lambda _c: self._client_changed(), names="value")
        self.rename_box = widgets.Text(
            value="", description="New pseudonym", placeholder="e.g. JS-01",
            style={"description_width": "initial"}, layout=widgets.Layout(width="260px"),
        )
        self.rename_button = widgets.Button(
            description="Rename client", icon="pencil",
            tooltip="Give the chosen client the new pseudonym (every assessment moves; an "
                    "existing client is never overwritten)",
        )
        self.rename_button.on_click(lambda _b: self._guard(self.rename_selected_client))
        for button in (self.load_example_button, self.save_button, self.load_button,
                       self.refresh_button, self.summary_button, self.export_button,
                       self.delete_button, self.rename_button):  # never squeezed
            button.layout = widgets.Layout(width="auto", flex="0 0 auto")
        for button in (self.confirm_delete_button, self.cancel_delete_button):
            button.layout = widgets.Layout(width="auto", flex="0 0 auto", display="none")
        self.export_links = widgets.HTML()
        self.export_links.add_class("lbp-output")
        self.export_links.add_class("lbp-export-links")
        self.files_message = widgets.HTML()
        self.files_message.add_class("lbp-output")
        self.files_message.add_class("lbp-files-message")
        self.summary_links = widgets.HTML()
        self.summary_links.add_class("lbp-output")
        self.summary_links.add_class("lbp-summary-links")
        self._summary_record: dict | None = None  # the record the links were made from
        return widgets.VBox(
            [
                widgets.HTML("<b>Examples and saved clients</b>"),
                widgets.HBox([self.example_picker, self.load_example_button]),
                widgets.HBox(
                    [
                        self.save_button,
                        _note(
                            "Saved only on this computer (one file per client, every "
                            "reassessment kept). Use a pseudonym, never a real name."
                        ),
                    ],
                    layout=widgets.Layout(align_items="center"),
                ),
                widgets.HBox([self.client_picker, self.load_button, self.refresh_button]),
                widgets.HBox([self.export_button, self.delete_button,
                              self.confirm_delete_button, self.cancel_delete_button],
                             layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox([self.rename_box, self.rename_button]),
                widgets.HBox(
                    [
                        self.summary_button,
                        _note("A one-page summary to print or hand on, kept beside the "
                              "saved clients."),
                    ],
                    layout=widgets.Layout(align_items="center"),
                ),
                self.files_message,
                self.summary_links,
                self.export_links,
                sheet_controls(self),
            ]
        )

    # ------------------------------------------------------------------ storage

    @property
    def store(self) -> ClientStore:
        """Where Save and Load go (default: ``ClientStore()``, created on first save)."""
        if self._store is None:
            self._store = ClientStore()
        return self._store

    def _guard(self, fn: Callable[[], Any]) -> None:
        """Run a button action; show any problem beside the buttons in plain words.

        The entries are never touched by a failed action. An expected problem
        (nothing chosen, an entry to fix first, a file that cannot be read or
        written) is shown as its own sentence; anything else as "Something went
        wrong", without the exception's name.
        """
        try:
            fn()
        except (ValueError, StorageError, OSError) as exc:
            self.files_message.value = _problem_html(_sentence(str(exc)))
        except Exception as exc:  # noqa: BLE001 - every callback shows its own errors
            self.files_message.value = _problem_html(
                f"Something went wrong ({exc}). Nothing was changed and your entries are "
                "still here."
            )

    def save(self) -> Any:
        """Save the last valid record to the client store; show where it went."""
        if self.result is None or not self.record:
            raise ValueError("Nothing was saved: fix the entries marked in red first.")
        if self._invalid:
            raise ValueError("Nothing was saved: an entry needs fixing first (it is marked "
                             "in red beside its box).")
        where = self.store.save(copy.deepcopy(self.record))
        typed = get_path(self.record, "client.id")
        cid = normalise_client_id(typed)
        self.refresh_clients(select=cid)
        shown = where if where is not None else getattr(self.store, "folder", "")
        self.files_message.value = (
            f"<span style='color:#00664A'>Saved client <b>{esc(str(cid))}</b> "
            f"({esc(str(get_path(self.record, 'date') or 'no date'))}) to "
            f"<code>{esc(str(shown))}</code></span>"
        )
        if cid != typed:
            self.files_message.value += (
                "<div style='font-size:0.92em;margin:2px 0 4px 0'>"
                f"Saved as {esc(str(cid))}: spaces around an id are removed and accented "
                "letters are stored one way, so it is the same client however it is typed."
                "</div>"
            )
        if looks_like_real_name(cid):
            self.files_message.value += (
                "<div role='note' style='font-size:0.92em;margin:2px 0 4px 0'>"
                f"“{esc(str(cid))}” looks like a real name. If it is, please use a pseudonym "
                "instead (initials and a number, such as JS-01): choose the client below, type "
                "the new pseudonym and press Rename client.</div>"
            )
        return where

    def _chosen_client(self) -> str:
        cid = self.client_picker.value
        if cid is None:
            raise ValueError("Choose a saved client first.")
        return cid

    def export_selected_client(self) -> tuple[Path, Path]:
        """Write the chosen client's history as CSV and JSON into ``<clients>/exports`` and
        offer both for download (data-URL links, as the summary button does)."""
        cid = self._chosen_client()
        self.export_links.value = ""
        csv_path, json_path = self.store.export_client(cid)
        self.files_message.value = (
            f"<span style='color:#00664A'>Exported every saved assessment of "
            f"<b>{esc(str(cid))}</b> to <code>{esc(str(csv_path))}</code> and "
            f"<code>{esc(str(json_path))}</code>.</span>"
        )
        self.export_links.value = download_links(
            ((csv_path, "text/csv", "CSV"), (json_path, "application/json", "JSON")),
            kind="export",
        )
        return csv_path, json_path

    def ask_delete_selected_client(self) -> None:
        """First step of deleting: show "Yes, delete <id>" and "Cancel"."""
        cid = self._chosen_client()
        self._pending_delete = cid
        self.confirm_delete_button.description = f"Yes, delete {cid}"
        self.confirm_delete_button.layout.display = ""
        self.cancel_delete_button.layout.display = ""
        self.files_message.value = (
            f"Delete every saved assessment of <b>{esc(str(cid))}</b>? This cannot be undone "
            "(exports and summaries you made are kept). Press “Yes, delete” to confirm."
        )

    def _client_changed(self) -> None:
        """Another saved client chosen: withdraw a pending delete and the old export links."""
        self._cancel_delete()
        self.export_links.value = ""

    def _cancel_delete(self) -> None:
        self._pending_delete = None
        self.confirm_delete_button.layout.display = "none"
        self.cancel_delete_button.layout.display = "none"

    def delete_selected_client(self) -> Path | None:
        """Second step: delete the client that was confirmed (that history file only)."""
        cid = self._pending_delete
        self._cancel_delete()
        if cid is None or cid != self.client_picker.value:
            return None  # no confirmation pending for the chosen client: nothing deleted
        path = self.store.delete(cid)
        self.refresh_clients()
        self.export_links.value = ""
        self.files_message.value = (
            f"Deleted <b>{esc(str(cid))}</b>: removed <code>{esc(str(path))}</code>. "
            "Nothing else was changed."
        )
        return path

    def rename_selected_client(self) -> Path:
        """Give the chosen client the pseudonym typed in :attr:`rename_box`."""
        cid = self._chosen_client()
        new_id = self.rename_box.value
        if not new_id.strip():
            raise ValueError("Type the new pseudonym first.")
        path = self.store.rename(cid, new_id)
        new_cid = self.store.history(new_id)[-1]["client"]["id"]
        self.refresh_clients(select=new_cid)
        self.rename_box.value = ""
        self.files_message.value = (
            f"<span style='color:#00664A'>Renamed {esc(str(cid))} to <b>{esc(str(new_cid))}</b> "
            f"(every assessment): <code>{esc(str(path))}</code></span>"
        )
        return path

    @property
    def summaries_folder(self) -> Path:
        """Where :meth:`write_summary` writes: the ``summaries`` folder beside the saved
        clients (``<clients folder>/summaries``; see :func:`storage.default_folder`)."""
        from lbp_workbook.views.report import SUMMARIES_SUBFOLDER

        return Path(self.store.folder) / SUMMARIES_SUBFOLDER

    def write_summary(self) -> tuple[Path, Path] | None:
        """Write the one-page client summary (HTML and PDF) of the current valid entries.

        The files go into :attr:`summaries_folder`, named by client and date; an
        earlier summary is never replaced (a second one of the same day is
        numbered). The written paths are shown beside the buttons, with links
        that download the files themselves (data URLs, so they work in
        JupyterLab and Voilà without a server path). While a referral is in
        force the summary leads with the referral and has no phase or plan
        (:mod:`lbp_workbook.views.report`).

        Returns
        -------
        (Path, Path) or None
            The HTML and PDF written; None when they could not be written (the
            reason is shown, the entries are unchanged).

        Raises
        ------
        ValueError
            An entry is invalid, or there is no valid result yet (nothing written).
        """
        from lbp_workbook.views.report import summary_files

        self.summary_links.value = ""
        if self.result is None or not self.record:
            raise ValueError("No summary was written: fix the entries marked in red first.")
        if self._invalid or not self._entries_ok:
            raise ValueError("No summary was written: an entry needs fixing first (it is "
                             "marked in red beside its box).")
        record = copy.deepcopy(self.record)
        folder = self.summaries_folder
        try:
            html_path, pdf_path = summary_files(record, folder)
        except OSError as exc:
            where = exc.filename or folder
            self.files_message.value = _problem_html(
                f"The client summary could not be written to {where}: "
                f"{exc.strerror or exc}. Nothing else was changed and your entries are "
                "still here; check that the folder can be written to, then try again."
            )
            return None
        cid = str(get_path(record, "client.id") or "")
        date = str(get_path(record, "date") or "no date")
        held = " It leads with the referral: training on hold." if self.result.referral.needed \
            else ""
        self.files_message.value = (
            f"<span style='color:#00664A'>Client summary of <b>{esc(cid)}</b> ({esc(date)}) "
            f"written to <code>{esc(str(html_path))}</code> and "
            f"<code>{esc(str(pdf_path))}</code>.{esc(held)}</span>"
        )
        self._summary_record = record
        self.summary_links.value = download_links(
            ((html_path, "text/html", "HTML"), (pdf_path, "application/pdf", "PDF"))
        )
        return html_path, pdf_path

    def refresh_clients(self, select: Any = None) -> list:
        """Re-read the saved clients into the dropdown; show any damaged file."""
        ids, problems = self.store.scan()
        self.client_picker.options = list(ids)
        if select in ids:
            self.client_picker.value = select
        if problems:
            self.files_message.value = "".join(
                _problem_html(f"{p} — this file was skipped and is left unchanged.")
                for p in problems
            )
        self._client_progress_changed()
        return list(ids)

    def load_selected_client(self) -> None:
        cid = self.client_picker.value
        if cid is None:
            raise ValueError("Choose a saved client first.")
        record = self.store.latest(cid)
        self.load_record(record)
        self.example_picker.value = None  # the entries are no longer an example's
        self.files_message.value = (
            f"Loaded the latest assessment of <b>{esc(str(cid))}</b> "
            f"({esc(str(get_path(self.record, 'date') or 'no date'))})."
        )

    def load_selected_example(self) -> None:
        from lbp_workbook.engine.examples import load_example

        name = self.example_picker.value
        if name is None:
            raise ValueError("Choose an example first.")
        self.load_record(load_example(name))
        self.files_message.value = f"Loaded example <b>{esc(str(name))}</b> (synthetic)."

def download_links(files: tuple[tuple[Path, str, str], ...], kind: str = "summary") -> str:
    """Links that download files kept in the page (``data:`` URLs with ``download``), so
    they work in JupyterLab and Voilà alike, with no server path. The bytes are read back
    from the written files, so the download is exactly what was saved. Text is
    percent-encoded rather than base64 (the summary's chart is already base64 inside it,
    so this keeps the page about a quarter smaller); PDF bytes are base64."""
    import base64
    from urllib.parse import quote

    links = []
    for path, mime, label in files:
        raw = Path(path).read_bytes()
        if mime.startswith("text/"):
            href = f"data:{mime};charset=utf-8," + quote(raw, safe="/+=:;,._-~()!*'")
        else:
            href = f"data:{mime};base64," + base64.b64encode(raw).decode("ascii")
        name = esc(Path(path).name, quote=True)
        links.append(
            f"<a download=\"{name}\" href=\"{href}\" "
            f"class=\"lbp-{kind}-{label.lower()}\" style='display:inline-block;margin-right:16px'>"
            f"⬇ Download the {label} ({esc(Path(path).name)})</a>"
        )
    return "<div style='font-size:0.92em;margin:2px 0 4px 0'>" + "".join(links) + "</div>"




def _sentence(text: str) -> str:
    """A message as a sentence: capital first letter, full stop at the end."""
    text = text.strip()
    if not text:
        return "Something went wrong. Nothing was changed."
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
