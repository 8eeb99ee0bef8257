"""Instructor mode: the workbook served with Voilà, code hidden.

``make present`` runs ``python -m lbp_workbook.present [--port P] [--no-browser]``.
It serves the repository's ``notebooks/`` folder with Voilà on 127.0.0.1 only,
with every code cell's source stripped from the pages, and opens on a landing
page (``notebooks/index.ipynb``) that links every numbered module and every
instructor page. Stop it with Ctrl-C: the server shuts down every kernel it
started.

**Kernels** (:func:`voila_defaults`). Every page runs its own kernel, started when the page
is requested. It is shut down when the page closes or reloads (Voilà's page sends a shutdown
request as it unloads), and a kernel that no page is connected to any more (a browser that
crashed or was killed, a page that never finished loading) is shut down by jupyter_server's
idle culler after :data:`CULL_IDLE_S` s, checked every :data:`CULL_INTERVAL_S` s. So after any
number of loads and reloads the kernels come back to one per open page within two minutes.
On Linux and macOS kernels talk to the server over Unix sockets in a private folder instead of
TCP ports on 127.0.0.1: no port to collide with another program's (see :func:`voila_defaults`).
These are configuration *defaults*: a ``voila.json`` in a Jupyter config folder overrides them.

**Pages** use the workbook's Voilà template (``lbp_workbook/jupyter_data/voila/templates/lbp``):
Voilà's ``lab`` template without its links to public CDNs (nothing leaves the machine), and
with a page that says so in words, with a reload button, when its kernel cannot start.

Addresses (port 8866 by default):

- ``http://127.0.0.1:8866/``: redirects to the landing page;
- ``http://127.0.0.1:8866/voila/render/notebooks/index.ipynb``: the landing page;
- ``http://127.0.0.1:8866/voila/render/notebooks/NN_name.ipynb``: one module;
- ``http://127.0.0.1:8866/voila/tree/notebooks``: Voilà's plain file list.

The module list is read from the notebooks themselves (:func:`list_modules`):
each numbered notebook's title (its first ``#`` heading), its length (the
"about N min" of the header line) and its learning objectives. A new notebook
appears on the landing page as soon as it is saved in ``notebooks/``; no
restart is needed, because Voilà runs the landing page afresh on every visit.

**Instructor pages** are notebooks for the person teaching, not numbered
modules (``class_practical.ipynb``: the class-data practical). A notebook
without the two-digit prefix whose header line says "Instructor page"
("*Instructor page · about 20 min · no coding needed*") is listed under the
modules, in a table of its own (:func:`list_instructor_pages`).

Nothing here imports Voilà, ipywidgets or matplotlib until :func:`main` runs,
so the landing notebook (which calls :func:`module_index`) stays light.

>>> [m.number for m in list_modules()][:3]
[1, 2, 3]
>>> "03_hamstring_pelvis_pull.ipynb" in module_index()._repr_html_()
True
>>> [p.file for p in list_instructor_pages()]
['class_practical.ipynb']
"""

from __future__ import annotations

import argparse
import errno
import fnmatch
import html
import json
import os
import re
import socket
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence
from urllib.parse import quote

__all__ = [
    "Module",
    "read_module",
    "list_modules",
    "list_instructor_pages",
    "module_index",
    "notebooks_folder",
    "main",
    "DEFAULT_PORT",
    "LANDING",
    "voila_defaults",
    "CULL_IDLE_S",
    "CULL_INTERVAL_S",
    "TEMPLATE",
]

#: Voilà's usual port; ``make present VOILA_PORT=...`` or ``--port`` choose another.
DEFAULT_PORT = 8866
#: A kernel with no page connected is shut down after this long idle [s] ... A page's
#: kernel has no connection until the page has been rendered, so this must outlast the
#: longest quiet wait of a page still rendering on a crowded machine: in a 30-learner load
#: test on 2 busy cores, 60 s cut some pages short (benchmarks/present.py).
CULL_IDLE_S = 100
#: ... checked this often [s]: an orphaned kernel lives at most about two minutes.
CULL_INTERVAL_S = 15
#: The workbook's Voilà template (in ``jupyter_data/voila/templates/``).
TEMPLATE = "lbp"
#: Where the template lives: a Jupyter data folder put first on ``JUPYTER_PATH``.
JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter_data"
#: Unix socket paths must stay under 108 bytes; the kernel's sockets are named
#: ``<tmp>/voila_XXXXXXXX/kernel-<36-character id>-ipc-N`` (about 60 bytes past ``<tmp>``).
_IPC_TMP_MAX = 40
#: The landing notebook, in the notebooks folder.
LANDING = "index.ipynb"
#: A module is a notebook whose name starts with two digits and an underscore.
MODULE_GLOB = "[0-9][0-9]_*.ipynb"

#: Until December 2026 each module's file number was one less than its module number
#: (module 1 was ``00_start_here.ipynb``); an old name is its new name's number minus one.
_NUMBERED = re.compile(r"^(\d\d)_(.+\.ipynb)$")

_MODULE_LINE = re.compile(r"Module\s+(\d+)\s+of\s+(\d+)", re.IGNORECASE)
_INSTRUCTOR_LINE = re.compile(r"\binstructor\s+page\b", re.IGNORECASE)
_MINUTES = re.compile(r"about\s+(\d+)\s*min", re.IGNORECASE)
_OBJECTIVES = re.compile(r"^#{2,4}\s*learning objectives\s*$", re.IGNORECASE | re.MULTILINE)
_BULLET = re.compile(r"^\s*[-*]\s+(.*\S)\s*$")
_MD_MARKS = re.compile(r"\*\*|__|`")


@dataclass(frozen=True)
class Module:
    """One numbered notebook, as its first markdown cells describe it.

    Attributes
    ----------
    file : str
        File name, e.g. ``"03_hamstring_pelvis_pull.ipynb"``.
    title : str
        The first ``#`` heading (the file name if there is none).
    number : int or None
        "Module N of M": N, or None if the header line is missing.
    minutes : int or None
        "about N min": N [min], or None if missing.
    objectives : tuple of str
        The learning-objective bullets, plain text (bold and code marks removed).
    problem : str
        Empty, or why the notebook could not be read (shown on the landing page).
    instructor : bool
        True when the header line says "Instructor page" (and gives no module
        number): a page for the person teaching, listed apart from the modules.
    """

    file: str
    title: str
    number: int | None = None
    minutes: int | None = None
    objectives: tuple[str, ...] = ()
    problem: str = ""
    instructor: bool = False

    @property
    def time_text(self) -> str:
        """``"about 30 min"``, or ``"time not given"``."""
        return f"about {self.minutes} min" if self.minutes is not None else "time not given"


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _plain(text: str) -> str:
    """Markdown bullet text as plain words (bold, italics and code marks removed)."""
    return _MD_MARKS.sub("", text).strip().rstrip(";.").strip()


def _objectives(markdown: str) -> tuple[str, ...]:
    found = _OBJECTIVES.search(markdown)
    if not found:
        return ()
    bullets: list[str] = []
    for line in markdown[found.end():].splitlines():
        bullet = _BULLET.match(line)
        if bullet:
            bullets.append(_plain(bullet.group(1)))
        elif not line.strip():
            continue  # blank lines around the list
        elif bullets and line.startswith((" ", "\t")):
            bullets[-1] = f"{bullets[-1]} {_plain(line)}"  # a bullet wrapped onto two lines
        elif bullets or line.lstrip().startswith("#"):
            break  # the list has ended, or the next section starts
    return tuple(bullets)


def read_module(path: Path | str) -> Module:
    """Read a notebook's title, length and learning objectives.

    Parameters
    ----------
    path : path-like
        A ``.ipynb`` file.

    Returns
    -------
    Module
        Title from the first ``#`` heading; module number and minutes from
        the header line ("Module 3 of 7 · about 30 min"); objectives from the
        "Learning objectives" bullets, looked for in the first three markdown
        cells; ``instructor`` when that header line says "Instructor page"
        instead of a module number. A notebook that cannot be read (for example while it is being
        written) gives a Module whose ``problem`` says why; it never raises.
    """
    path = Path(path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        markdown = [_source(c) for c in nb.get("cells", []) if c.get("cell_type") == "markdown"]
    except (OSError, ValueError, AttributeError) as err:
        return Module(file=path.name, title=path.stem, problem=f"could not be read ({err})")
    head = "\n\n".join(markdown[:3])
    title = next(
        (line[2:].strip() for line in head.splitlines() if line.startswith("# ")), path.stem
    )
    first = markdown[0] if markdown else ""
    number = _MODULE_LINE.search(first)
    minutes = _MINUTES.search(first)
    return Module(
        file=path.name,
        title=title,
        number=int(number.group(1)) if number else None,
        minutes=int(minutes.group(1)) if minutes else None,
        objectives=_objectives(head),
        instructor=number is None and bool(_INSTRUCTOR_LINE.search(first)),
    )


def renamed_module(name: str, folder: Path | str | None = None) -> str | None:
    """The current file name of a module asked for by its old name, or None.

    The files were renumbered to match the modules (``00_start_here.ipynb`` became
    ``01_start_here.ipynb``, ..., ``07_case_studies.ipynb`` became
    ``08_case_studies.ipynb``). A name that exists, or whose renumbered name does not,
    gives None.

    >>> renamed_module("03_screening_and_referral.ipynb")
    '04_screening_and_referral.ipynb'
    >>> renamed_module("04_screening_and_referral.ipynb") is None
    True
    """
    folder = Path(folder) if folder is not None else notebooks_folder()
    match = _NUMBERED.match(Path(name).name)
    if match is None or (folder / Path(name).name).exists():
        return None
    new = f"{int(match.group(1)) + 1:02d}_{match.group(2)}"
    return new if (folder / new).exists() else None


def notebooks_folder() -> Path:
    """Where the modules are: the current folder if it holds numbered notebooks
    (a kernel started by Voilà or Jupyter runs in the notebook's own folder),
    else the repository's ``notebooks/`` beside the package."""
    here = Path.cwd()
    if any(here.glob(MODULE_GLOB)):
        return here
    return Path(__file__).resolve().parents[1] / "notebooks"


def list_modules(folder: Path | str | None = None) -> list[Module]:
    """Every numbered notebook (``NN_name.ipynb``) in ``folder``, in file-name order.

    Parameters
    ----------
    folder : path-like, optional
        Default :func:`notebooks_folder`.
    """
    folder = Path(folder) if folder is not None else notebooks_folder()
    return [read_module(p) for p in sorted(folder.glob(MODULE_GLOB))]


def list_instructor_pages(folder: Path | str | None = None) -> list[Module]:
    """Every instructor page in ``folder``, in file-name order.

    An instructor page is a notebook that is neither a numbered module nor the
    landing page, whose first markdown cell says "Instructor page" (e.g.
    ``class_practical.ipynb``). Other notebooks in the folder are not listed.

    Parameters
    ----------
    folder : path-like, optional
        Default :func:`notebooks_folder`.
    """
    folder = Path(folder) if folder is not None else notebooks_folder()
    pages = []
    for path in sorted(folder.glob("*.ipynb")):
        if path.name == LANDING or fnmatch.fnmatch(path.name, MODULE_GLOB):
            continue
        page = read_module(path)
        if page.instructor:
            pages.append(page)
    return pages


def _link_base() -> str:
    """Where module links point from the landing page.

    Under Voilà, links in a cell's *output* are caught by JupyterLab's link handler, which
    in Voilà opens nothing, so a relative link would not navigate. Voilà tells the kernel
    the page's own path (``SCRIPT_NAME``, e.g. ``/voila/render/notebooks/index.ipynb``,
    with any JupyterHub or Binder prefix in front); links from that folder start with
    ``/``, which the handler leaves alone. Elsewhere (JupyterLab, nbval) links stay
    relative, and JupyterLab opens them as notebooks.
    """
    page = os.environ.get("SCRIPT_NAME", "")
    if "/voila/render/" in page and page.endswith(".ipynb"):
        return page.rsplit("/", 1)[0] + "/"
    return ""


class ModuleIndex:
    """The landing page's table of modules, and of instructor pages (shown as HTML)."""

    def __init__(self, modules: Sequence[Module], base: str = "",
                 instructor_pages: Sequence[Module] = ()) -> None:
        self.modules = tuple(modules)
        self.base = base
        self.instructor_pages = tuple(instructor_pages)

    def _rows(self, pages: Sequence[Module], numbered: bool = True) -> list[str]:
        esc = html.escape
        rows = []
        for m in pages:
            number = esc(str(m.number)) if m.number is not None else ""
            href = esc(self.base + quote(m.file), quote=True)
            link = f"<a href='{href}'>{esc(m.title)}</a>"
            if m.problem:
                about = f"<i>{esc(m.problem)}</i>"
            elif m.objectives:
                items = "".join(f"<li>{esc(o)}</li>" for o in m.objectives)
                about = (
                    "<details><summary>learning objectives</summary>"
                    f"<ul style='margin:4px 0'>{items}</ul></details>"
                )
            else:
                about = ""
            first = (f"<td style='text-align:center;vertical-align:top;padding:6px'>{number}</td>"
                     if numbered else "")
            rows.append(
                f"<tr>{first}"
                f"<td style='text-align:left;vertical-align:top;padding:6px'>{link}"
                f"<br><span style='color:#555;font-size:0.9em'>{esc(m.file)}</span></td>"
                f"<td style='text-align:left;vertical-align:top;padding:6px;white-space:nowrap'>"
                f"{esc(m.time_text)}</td>"
                f"<td style='text-align:left;vertical-align:top;padding:6px'>{about}</td>"
                "</tr>"
            )
        return rows

    @staticmethod
    def _table(css: str, columns: Sequence[str], rows: list[str]) -> str:
        head = "".join(f"<th style='text-align:left;padding:6px'>{h}</th>" for h in columns)
        return (
            f"<table class='{css}' style='border-collapse:collapse'>"
            f"<thead><tr style='border-bottom:1px solid #999'>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def _repr_html_(self) -> str:
        rows = self._rows(self.modules)
        if rows:
            total = sum(m.minutes or 0 for m in self.modules)
            page = (
                self._table("lbp-module-index",
                            ("module", "page", "time", "what learners will be able to do"), rows)
                + f"<p style='color:#555'>{len(self.modules)} modules, about {total} min of "
                "reading and demos in all; class discussion takes longer.</p>"
            )
        else:
            page = ("<p><b>No modules found.</b> The numbered notebooks belong in "
                    "<code>notebooks/</code>.</p>")
        if rows:
            pairs = ", ".join(
                f"<code>{html.escape(f'{m.number - 1:02d}_' + m.file[3:])}</code> is now "
                f"<code>{html.escape(m.file)}</code>"
                for m in self.modules if m.number and m.file[:2] == f"{m.number:02d}"
            )
            page += ("<p style='color:#555'>Renamed in December 2026 so that each file's number "
                     f"is its module's: {pairs}. An old link to a module still opens it.</p>")
        if self.instructor_pages:
            page += (
                "<p style='margin-top:12px'><b>Instructor pages</b>: for the person teaching, "
                "not part of the learners' path.</p>"
                + self._table("lbp-instructor-pages",
                              ("page", "time", "what the instructor will be able to do"),
                              self._rows(self.instructor_pages, numbered=False))
            )
        return page

    def __repr__(self) -> str:
        lines = [f"{m.number or '-':>2}  {m.title}  ({m.time_text})  {m.file}"
                 for m in self.modules]
        lines += [f" i  {m.title}  ({m.time_text})  {m.file}" for m in self.instructor_pages]
        return "\n".join(lines)


def module_index(folder: Path | str | None = None, base: str | None = None) -> ModuleIndex:
    """The table of modules shown on the landing page: number, linked title, time,
    learning objectives (read from each notebook, so new notebooks appear on their own);
    under it, the instructor pages (:func:`list_instructor_pages`) in a table of their own.

    Parameters
    ----------
    folder : path-like, optional
        Default :func:`notebooks_folder`.
    base : str, optional
        Put in front of each file name in the links. Default: under Voilà, the landing
        page's own folder (``/voila/render/notebooks/``, with any hub or Binder prefix),
        so a click opens the module in Voilà; elsewhere nothing (relative links, which
        JupyterLab opens as notebooks).
    """
    return ModuleIndex(list_modules(folder), _link_base() if base is None else base,
                       list_instructor_pages(folder))


# --------------------------------------------------------------------------- server


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Tornado does
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as err:
            if err.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def voila_defaults(platform: str | None = None, tmp: str | None = None) -> dict:
    """The kernel settings instructor mode gives Voilà, as traitlets configuration.

    Parameters
    ----------
    platform : str, optional
        ``sys.platform`` (default the running one).
    tmp : str, optional
        The temporary folder Voilà keeps connection files in (default
        ``tempfile.gettempdir()``).

    Returns
    -------
    dict
        ``{class name: {trait: value}}``:

        - ``MappingKernelManager``: cull kernels with no connection after
          :data:`CULL_IDLE_S` s idle, checked every :data:`CULL_INTERVAL_S` s
          (``cull_connected=False``: a page that is open keeps its kernel however long
          it sits idle; ``cull_busy=False``: a page still running its cells is never cut);
        - ``KernelManager.transport``: ``"ipc"`` (Unix sockets) where there are Unix sockets
          and their path fits, else ``"tcp"``. Over TCP jupyter_client picks each kernel's five
          ports by binding port 0 and letting go, so another program (or another kernel
          starting at the same moment) can take a port before the kernel binds it: the kernel
          then dies with ``ZMQError: Address already in use``, and because those ports came
          from jupyter_client's port cache, its restarts reuse the same ports and die too.

    Examples
    --------
    >>> voila_defaults("linux", "/tmp")["KernelManager"]["transport"]
    'ipc'
    >>> voila_defaults("win32", "C:/Temp")["KernelManager"]["transport"]
    'tcp'
    >>> voila_defaults("linux", "/tmp")["MappingKernelManager"]["cull_connected"]
    False
    """
    platform = sys.platform if platform is None else platform
    tmp = tempfile.gettempdir() if tmp is None else tmp
    ipc = platform != "win32" and len(tmp.encode()) <= _IPC_TMP_MAX
    return {
        "MappingKernelManager": {
            "cull_idle_timeout": CULL_IDLE_S,
            "cull_interval": CULL_INTERVAL_S,
            "cull_connected": False,
            "cull_busy": False,
        },
        "KernelManager": {"transport": "ipc" if ipc else "tcp"},
    }


def _banner(port: int, landing_path: str) -> str:
    url = f"http://127.0.0.1:{port}/"
    line = "=" * 72
    return (
        f"\n{line}\n"
        "  LBP Workbook: instructor mode is running (Voila, code hidden).\n\n"
        "  Open this address in your browser:\n\n"
        f"      {url}\n\n"
        f"  (landing page: {url}{landing_path})\n"
        "  Each page runs its own fresh copy of the notebook; reload a page to\n"
        "  start it again from the example client. Stop with Ctrl-C.\n"
        f"{line}\n"
    )


def _make_app_class():
    """A Voilà application whose ``/`` goes to the landing page and that prints
    the address once it is listening. Built lazily: importing this module must
    not import Voilà."""
    import tornado.ioloop
    import tornado.web
    from jupyter_server.utils import url_path_join
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler

    class PageHandler(TornadoVoilaHandler):
        """Voilà's page handler, which also sets the ``_xsrf`` cookie.

        As a page unloads (closed, reloaded, left), Voilà's page script posts
        ``/voila/api/shutdown/<kernel id>`` with the ``_xsrf`` value read from the page's
        cookies. Voilà's own page never sets that cookie, so the request is refused (403)
        and the kernel stays (upstream voila-dashboards/voila#1458). Reading
        ``xsrf_token`` here sets the cookie with the page's headers.
        """

        async def prepare(self, *args, **kwargs):
            await super().prepare(*args, **kwargs)
            self.xsrf_token  # noqa: B018 - read for its side effect: the cookie

        async def get(self, path=None):
            # An old module name (before the renumbering) opens the module it became.
            if path:
                root = Path(self.contents_manager.root_dir)
                new = renamed_module(path, (root / path).parent)
                if new is not None:
                    old, uri = Path(path).name, self.request.uri
                    at = uri.rindex(old)
                    return self.redirect(uri[:at] + new + uri[at + len(old):])
            return await super().get(path)

    class PresentApp(Voila):
        landing_path = ""  # e.g. "voila/render/notebooks/index.ipynb"

        def init_handlers(self):
            handlers = super().init_handlers()
            handlers = [
                (h[0], PageHandler, *h[2:]) if len(h) > 1 and h[1] is TornadoVoilaHandler else h
                for h in handlers
            ]
            if self.landing_path:
                target = url_path_join(self.server_url, self.landing_path)
                handlers.insert(
                    0, (url_path_join(self.server_url, "/?"), tornado.web.RedirectHandler,
                        {"url": target})
                )
            return handlers

        def start(self):
            tornado.ioloop.IOLoop.current().add_callback(self._announce)
            super().start()

        def _announce(self):
            print(_banner(self.port, self.landing_path), flush=True)

    return PresentApp


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lbp_workbook.present",
        description="Instructor mode: serve the workbook with Voila on 127.0.0.1, code hidden, "
        "starting on a landing page that links every module.",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    parser.add_argument("--no-browser", action="store_true",
                        help="do not open a browser; just print the address")
    parser.add_argument("--notebooks", type=Path, default=None,
                        help="the notebooks folder (default: the repository's notebooks/)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run instructor mode until Ctrl-C; return the exit status."""
    args = _parser().parse_args(argv)
    folder = (args.notebooks or Path(__file__).resolve().parents[1] / "notebooks").resolve()
    if not folder.is_dir() or not any(folder.glob(MODULE_GLOB)):
        print(f"No numbered notebooks (NN_name.ipynb) in {folder}. Run this from the "
              "workbook's folder, or pass --notebooks DIR.", file=sys.stderr)
        return 2
    if not 0 < args.port < 65536:
        print(f"--port must be between 1 and 65535, not {args.port}.", file=sys.stderr)
        return 2
    if not _port_free(args.port):
        print(
            f"Port {args.port} on 127.0.0.1 is already in use (is instructor mode already "
            "running in another window?).\nChoose another port, for example:\n"
            f"    make present VOILA_PORT={args.port + 1}\n"
            f"    python -m lbp_workbook.present --port {args.port + 1}",
            file=sys.stderr,
        )
        return 1

    # The repository folder is Voila's root (the lessons embed their diagrams, so no
    # file path matters); module pages are /voila/render/notebooks/NN_name.ipynb (Binder's shape).
    root = folder.parent
    landing = f"voila/render/{folder.name}/{LANDING}" if (folder / LANDING).exists() else (
        f"voila/tree/{folder.name}")
    app_class = _make_app_class()
    app_class.landing_path = landing
    voila_argv = [
        str(root),
        f"--port={args.port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--VoilaConfiguration.template={TEMPLATE}",
    ]
    if args.no_browser:
        voila_argv.append("--no-browser")
    # The template is found through Jupyter's data path; kernels inherit it (harmless).
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(JUPYTER_DATA), os.environ.get("JUPYTER_PATH", "")) if p)
    from traitlets.config import Config

    try:
        app_class.launch_instance(voila_argv, config=Config(voila_defaults()))
    except KeyboardInterrupt:
        pass
    finally:
        app_class.clear_instance()
    print("Instructor mode stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
