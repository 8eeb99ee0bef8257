"""Saved clients: one JSON history file per client, and CSV export / import.

A learner's records stay on the learner's own machine: nothing here uses the
network. The clients folder is ``~/lbp-workbook/clients/`` unless the
``LBP_WORKBOOK_HOME`` environment variable names another home (the folder is
then ``$LBP_WORKBOOK_HOME/clients``) or a folder is passed in. The folder is
created by the first save, never by importing this module or by listing.

Each client has one file, ``{"schema": "lbp-client-history/1", "client_id":
..., "assessments": [record, ...]}``, its records (``lbp-assessment/1``)
ordered by date, oldest first. Its name is a readable slug of the pseudonym
plus a hash of the exact pseudonym (``sam-<16 hex>.json``), so no client id
can reach outside the folder and two ids never share a file (a hash collision,
however unlikely, is caught: the client id inside the file must match).

Saving never destroys what was saved before:

- a save *adds* a reassessment; two saves with the same date are both kept,
  in the order they were saved;
- every write goes to a temporary file in the same folder, is flushed and
  fsynced, then renamed over the old file (``os.replace``), so a crash or a
  full disk mid-save leaves the previous file intact;
- saves are serialised with an OS file lock, so two notebooks saving at once
  do not lose each other's records;
- a damaged or hand-edited file that does not read back cleanly is never
  written over: reading it, or saving into that client, raises
  :class:`StorageError` naming the file and the problem.

Records are stored as given (after :func:`~lbp_workbook.engine.record.validate_record`
accepts them), so ``62`` stays ``62`` and a missing field stays missing; only
what JSON cannot hold is normalised (:func:`~lbp_workbook.engine.record.normalise_record`):
numpy, ``Decimal`` and ``Fraction`` numbers become plain numbers, a
``datetime.date`` its ``YYYY-MM-DD`` text, and the client id is put in Unicode
NFC with the spaces around it removed, so "Zoë" typed two ways, or "Zoë ", is
one client. The
files are readable by the learner only (folder ``0700``, files ``0600`` on
POSIX); the folder also holds an empty ``.lock`` file used for the save lock.

Pure Python: no matplotlib, no ipywidgets.

Examples
--------
>>> import tempfile
>>> tmp = tempfile.TemporaryDirectory()
>>> store = ClientStore(tmp.name)
>>> store.list_clients()
[]
>>> path = store.save({"schema": "lbp-assessment/1", "client": {"id": "sam"},
...                    "date": "2026-11-02", "flexibility": {"slr_deg": {"left": 62}}})
>>> path.name
'sam-e96e02d8e47f2a7c.json'
>>> store.latest("sam")["flexibility"]
{'slr_deg': {'left': 62}}
>>> tmp.cleanup()
"""

from __future__ import annotations

import contextlib
import copy
import csv
import hashlib
import io
import json
import math
import os
import re
import tempfile
import time
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from lbp_workbook.engine.record import (
    FIELDS,
    RecordError,
    normalise_client_id,
    normalise_record,
    shorten,
    validate_record,
)

#: Schema tag of a client history file.
HISTORY_SCHEMA = "lbp-client-history/1"
#: Schema tag of one assessment record.
RECORD_SCHEMA = "lbp-assessment/1"
#: Environment variable naming the workbook's home folder.
HOME_ENV = "LBP_WORKBOOK_HOME"

_HISTORY_KEYS = ("schema", "client_id", "assessments")
_LOCK_NAME = ".lock"
_TMP_SUFFIX = ".tmp"
#: Subfolder of the clients folder where :meth:`ClientStore.export_client` writes.
EXPORTS_SUBFOLDER = "exports"
#: The temporary copy a save writes before renaming it over a client file:
#: ``.<client file>.<8 random characters from tempfile.mkstemp>.tmp``.
_TEMP_RE = re.compile(r"\.[a-z0-9-]+-[0-9a-f]{16}\.json\.[a-z0-9_]{8}\.tmp")
#: A temporary copy older than this is left over by a save that was killed
#: (a save takes milliseconds) [s].
STALE_TEMP_S = 600


# --------------------------------------------------------------------------- errors


class StorageError(Exception):
    """A saved file (or a CSV file) cannot be read or written as it stands.

    Parameters
    ----------
    path : str or Path
        The file (or folder) concerned.
    problem : str
        What is wrong, in plain words.
    hint : str, optional
        What happened as a result / what to do ("nothing was saved ...").
    problems : sequence of CsvProblem, optional
        For a CSV file: every bad row, column and value.

    Notes
    -----
    ``str(err)`` is ``"<path>: <problem>"`` (plus the hint), so the learner
    always sees which file is meant.
    """

    def __init__(self, path: str | os.PathLike, problem: str, *, hint: str = "",
                 problems: Iterable[CsvProblem] = ()) -> None:
        self.path = Path(path)
        self.problem = problem
        self.hint = hint
        self.problems = tuple(problems)
        text = f"{self.path}: {problem}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)


class StorageWarning(UserWarning):
    """Issued by :meth:`ClientStore.list_clients` for each damaged file it cannot list."""


@dataclass(frozen=True)
class CsvProblem:
    """One bad cell or row of a CSV file.

    Attributes
    ----------
    row : int
        Row number as a spreadsheet counts it: the header is row 1, the first
        record row 2.
    column : str or None
        Column name (``flexibility.slr_deg.left``), or None for a whole-row problem.
    value : str or None
        The cell's text as read, or None.
    message : str
        What is wrong.
    """

    row: int
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}"
        if self.column is not None:
            where += f", column {shorten(self.column, 60)}"
        if self.value is not None:
            where += f", value {shorten(repr(self.value), 60)}"
        return f"{where}: {self.message}"


# --------------------------------------------------------------------------- paths


def default_folder() -> Path:
    """The clients folder used when none is given.

    Returns
    -------
    Path
        ``$LBP_WORKBOOK_HOME/clients`` if that variable is set (and not empty),
        otherwise ``~/lbp-workbook/clients``. Nothing is created.
    """
    home = os.environ.get(HOME_ENV, "").strip()
    if home:
        return Path(home).expanduser() / "clients"
    return Path.home() / "lbp-workbook" / "clients"


def client_filename(client_id: str) -> str:
    """File name of a client's history: a safe slug of the id plus a hash of it.

    Parameters
    ----------
    client_id : str
        The pseudonym, any text.

    Returns
    -------
    str
        ``<slug>-<16 hex digits>.json``; the slug keeps ASCII letters and digits
        (lower case, at most 40), the hash is the first 64 bits of SHA-256 of the
        exact id, so ``"Sam"`` and ``"sam"`` get different files, and no id
        (``"../../etc/passwd"``, ``"<img src=x>"``) can name a path outside the
        folder.

    Examples
    --------
    The id is first put in Unicode NFC with the spaces around it removed
    (:func:`~lbp_workbook.engine.record.normalise_client_id`), so ids that only look
    different (NFC and NFD "Zoë", "Zoë ") name one file.

    >>> client_filename("../../etc/passwd")
    'etc-passwd-3754d6cb3a38e118.json'
    >>> client_filename("Zoe\u0308 ") == client_filename("Zo\u00eb")
    True
    """
    if not isinstance(client_id, str) or not client_id:
        raise ValueError(f"a client id must be non-empty text, not {client_id!r}")
    client_id = normalise_client_id(client_id)
    if not client_id:
        raise ValueError("a client id must be non-empty text, not only spaces")
    return _filename_of(client_id)


def _filename_of(client_id: str) -> str:
    """The file name of the exact text ``client_id`` (no normalising)."""
    ascii_text = unicodedata.normalize("NFKD", client_id).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")
    digest = hashlib.sha256(client_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{slug or 'client'}-{digest}.json"


# --------------------------------------------------------------------------- records


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{value!r} ({type(value).__name__}) cannot be saved as JSON")


def _json_copy(value: Any) -> Any:
    """A plain-JSON deep copy (dicts, lists, str, int, float, bool, None) of a record,
    numbers, dates and the client id normalised as :func:`~lbp_workbook.engine.record.normalise_record`
    does."""
    if isinstance(value, Mapping):
        value = normalise_record(value)
    return json.loads(json.dumps(value, allow_nan=False, ensure_ascii=False, default=_plain))


def _client_id(record: Mapping) -> str:
    return record["client"]["id"]


def _date_of(record: Mapping) -> str:
    return str(record.get("date"))


# --------------------------------------------------------------------------- atomic files


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot fsync a directory; the rename is still atomic
        pass
    finally:
        os.close(fd)


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is either the old file or the new one.

    The bytes go to a temporary file in the same folder, which is flushed and
    fsynced and then renamed over ``path``. On any failure the temporary file
    is removed and ``path`` is untouched.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=_TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(path.parent)


def _remove_stale_temps(folder: Path) -> list[Path]:
    """Remove the temporary copies left in ``folder`` by saves that were killed.

    Only files of the store's own temporary pattern (``_TEMP_RE``), only older than
    :data:`STALE_TEMP_S`, and only while no writer holds the folder lock (a live save
    is never disturbed; if the lock is held, nothing is removed now). Nothing is
    created: a folder without a lock file was never saved into.
    """
    lock = folder / _LOCK_NAME
    if not lock.is_file():
        return []
    try:
        import fcntl
    except ImportError:  # Windows: no non-blocking flock here; leave them
        return []
    removed: list[Path] = []
    try:
        with open(lock, "rb") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # a writer is saving now
                return []
            try:
                now = time.time()
                for path in folder.iterdir():
                    if not _TEMP_RE.fullmatch(path.name) or not path.is_file():
                        continue
                    if now - path.stat().st_mtime > STALE_TEMP_S:
                        path.unlink()
                        removed.append(path)
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    except OSError:  # cleaning is a courtesy: a read-only folder still opens
        return removed
    return removed


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive OS lock on ``folder/.lock`` (released if the process dies)."""
    with open(folder / _LOCK_NAME, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows
            import msvcrt

            # typeshed declares msvcrt's locking only on Windows, where this branch runs.
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined,unused-ignore]
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined,unused-ignore]
        else:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# --------------------------------------------------------------------------- history files


def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    """``json.loads`` hook: a JSON object whose key appears twice is refused.

    Parameters
    ----------
    pairs : list of (str, object)
        The object's key/value pairs in file order.

    Returns
    -------
    dict
        The object, when every key is unique.

    Raises
    ------
    ValueError
        A key appears twice (JSON would silently keep the last one).

    >>> no_duplicate_keys([("a", 1), ("b", 2)])
    {'a': 1, 'b': 2}
    """
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"the key {shorten(repr(key), 60)} appears twice in one object")
        seen[key] = value
    return seen


def _describe_record_error(exc: Exception) -> str:
    problems = getattr(exc, "problems", None)
    if problems:  # each Problem.message already starts with its field path
        return "; ".join(str(getattr(p, "message", p)) for p in problems)
    return str(exc)


def _read_history(path: Path) -> tuple[str, list[dict]]:
    """Read and check one history file; return (client_id, assessments oldest first).

    Raises
    ------
    StorageError
        For anything that is not a clean ``lbp-client-history/1`` file.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StorageError(path, f"cannot be read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StorageError(path, f"is not UTF-8 text (byte {exc.start})") from exc
    try:
        data = json.loads(text, object_pairs_hook=no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise StorageError(
            path, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    except ValueError as exc:
        raise StorageError(path, f"is not a clean JSON file: {exc}") from exc
    except RecursionError:  # e.g. 5000 '[': damaged, like any other unreadable file
        raise StorageError(path, "is JSON nested too deeply to read "
                                 "(not a client history object)") from None
    if not isinstance(data, dict):
        raise StorageError(path, f"holds a JSON {type(data).__name__}, not a client history object")
    if data.get("schema") != HISTORY_SCHEMA:
        raise StorageError(
            path, f"has schema {shorten(repr(data.get('schema')), 60)}, expected "
                  f"{HISTORY_SCHEMA!r}"
        )
    extra = sorted(set(data) - set(_HISTORY_KEYS))
    if extra:
        shown = ", ".join(shorten(repr(k), 60) for k in extra[:5])
        raise StorageError(path, f"has unexpected key(s) {shown}"
                                 f"{' and more' if len(extra) > 5 else ''}")
    client_id = data.get("client_id")
    if not isinstance(client_id, str) or not client_id:
        raise StorageError(path, f"client_id {shorten(repr(client_id), 60)} is not a "
                                 "non-empty text")
    # A file saved before ids were normalised (NFC, trimmed) keeps its old name.
    if path.name not in (client_filename(client_id), _filename_of(client_id)):
        raise StorageError(
            path,
            f"holds client {shorten(repr(client_id), 60)}, whose file name is "
            f"{client_filename(client_id)!r}"
            " (was it renamed or copied?)",
        )
    assessments = data.get("assessments")
    if not isinstance(assessments, list):
        raise StorageError(path, "'assessments' is not a list")
    for number, record in enumerate(assessments, start=1):
        where = f"assessment {number}"
        if isinstance(record, dict) and isinstance(record.get("date"), str):
            where += f" (dated {record['date']})"
        try:
            validate_record(record)
        except RecordError as exc:
            raise StorageError(path, f"{where} is not a valid record: "
                                     f"{_describe_record_error(exc)}") from exc
        if _client_id(record) != client_id:
            raise StorageError(
                path, f"{where} is for client {_client_id(record)!r}, but the file is for "
                      f"{client_id!r}"
            )
        if not isinstance(record.get("date"), str):
            raise StorageError(path, f"{where} has no date")
    # Saved files are kept in date order; a hand-edited one may not be.
    return client_id, sorted(assessments, key=_date_of)


def _history_bytes(client_id: str, assessments: list[dict]) -> bytes:
    document = {"schema": HISTORY_SCHEMA, "client_id": client_id, "assessments": assessments}
    text = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


class ClientStore:
    """The saved clients in one folder.

    Parameters
    ----------
    folder : str or Path, optional
        The clients folder. Default :func:`default_folder` (read when the store
        is made). It is created by the first :meth:`save`, not before.

    Notes
    -----
    Opening a store removes the temporary copies that a save killed mid-way
    (``kill -9``, a power cut) can leave (``.<client file>.XXXXXXXX.tmp``):
    only that pattern, only when older than :data:`STALE_TEMP_S` (10 min),
    and only while no save holds the folder lock. Nothing else is touched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> tmp = tempfile.TemporaryDirectory()
    >>> folder = pathlib.Path(tmp.name) / "clients"
    >>> store = ClientStore(folder)
    >>> store.list_clients(), folder.exists()
    ([], False)
    >>> for day in ("2026-11-02", "2026-12-01"):
    ...     _ = store.save({"schema": "lbp-assessment/1", "client": {"id": "sam"}, "date": day})
    >>> [r["date"] for r in store.history("sam")]
    ['2026-11-02', '2026-12-01']
    >>> tmp.cleanup()
    """

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self.folder = Path(folder).expanduser() if folder is not None else default_folder()
        #: Temporary copies left by saves that were killed, removed on opening.
        self.removed_temps = _remove_stale_temps(self.folder) if self.folder.is_dir() else []

    def __repr__(self) -> str:
        return f"ClientStore({str(self.folder)!r})"

    def path_for(self, client_id: str) -> Path:
        """The history file of ``client_id`` (it may not exist yet).

        The id is normalised first (NFC, spaces around it removed: see
        :func:`client_filename`). A file saved under the exact, unnormalised id
        by an earlier version is found too.
        """
        path = self.folder / client_filename(client_id)
        if not path.exists() and isinstance(client_id, str):
            legacy = self.folder / _filename_of(client_id)
            if legacy != path and legacy.exists():
                return legacy
        return path

    def __contains__(self, client_id: object) -> bool:
        return isinstance(client_id, str) and bool(client_id) and self.path_for(client_id).is_file()

    def save(self, record: Mapping[str, Any]) -> Path:
        """Add one assessment to its client's history.

        Parameters
        ----------
        record : mapping
            An ``lbp-assessment/1`` record with a ``date``; validated first.

        Returns
        -------
        Path
            The client's history file.

        Raises
        ------
        RecordError
            The record is not valid (nothing is written).
        ValueError
            The record has no ``date`` (a saved history is dated).
        StorageError
            The client's existing file is damaged (it is left exactly as it is),
            or the write failed (disk full, permissions): the previous file is
            then unchanged and no temporary file is left.

        Notes
        -----
        A save never replaces an earlier assessment: the record is added, and the
        history is kept in date order. Two records with the same date are both kept,
        in the order they were saved (so the later save counts as the later one).
        """
        validate_record(record)
        new = _json_copy(record)
        if not isinstance(new.get("date"), str):
            raise ValueError("date: a saved assessment needs a date (ISO, e.g. '2026-11-02')")
        client_id = _client_id(new)
        path = self.path_for(client_id)
        with contextlib.ExitStack() as stack:
            try:
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                stack.enter_context(_folder_lock(self.folder))
            except OSError as exc:
                raise StorageError(self.folder,
                                   f"cannot be used for saving: {exc.strerror or exc}",
                                   hint="nothing was saved") from exc
            self._append(path, client_id, new)
        return path

    def _append(self, path: Path, client_id: str, record: dict) -> None:
        """Add ``record`` to the file at ``path`` (the folder lock is held)."""
        unchanged = "nothing was saved and the file was left unchanged"
        if path.exists():
            try:
                stored_id, assessments = _read_history(path)
            except StorageError as exc:
                raise StorageError(
                    exc.path, exc.problem,
                    hint=f"{unchanged}; fix the file or move it out of the folder first",
                ) from exc
            if stored_id != client_id:  # a hash collision: never mix two clients
                raise StorageError(path, f"holds client {stored_id!r}, not {client_id!r}",
                                   hint=unchanged)
        else:
            assessments = []
        assessments.append(record)
        assessments.sort(key=_date_of)  # stable: same date keeps save order
        try:
            _atomic_write(path, _history_bytes(client_id, assessments))
        except OSError as exc:
            raise StorageError(path, f"could not be written: {exc.strerror or exc}",
                               hint="nothing was saved; the previous file is unchanged") from exc

    def history(self, client_id: str) -> list[dict]:
        """Every saved assessment of a client, oldest first.

        Returns
        -------
        list of dict
            Copies of the records (changing them changes nothing on disk); records
            with the same date are in the order they were saved.

        Raises
        ------
        StorageError
            No client of that id is saved in this folder, or the file is damaged.
        """
        path = self.path_for(client_id)
        if not path.exists():
            raise StorageError(path, f"no saved client {client_id!r} in {self.folder}")
        stored_id, assessments = _read_history(path)
        if stored_id not in (client_id, normalise_client_id(client_id)):  # a hash collision
            raise StorageError(path, f"holds client {stored_id!r}, not {client_id!r}")
        return copy.deepcopy(assessments)

    def latest(self, client_id: str) -> dict:
        """The most recent assessment of a client (the last saved, on a shared date).

        Raises
        ------
        StorageError
            As :meth:`history`.
        """
        return self.history(client_id)[-1]

    def scan(self) -> tuple[list[str], list[StorageError]]:
        """Read every history file in the folder.

        Returns
        -------
        clients : list of str
            Client ids of the files that read back cleanly, sorted.
        problems : list of StorageError
            One per ``*.json`` file that does not (each names file and problem).
        """
        if not self.folder.is_dir():
            return [], []
        clients: list[str] = []
        problems: list[StorageError] = []
        for path in sorted(self.folder.glob("*.json")):
            if path.name.startswith("."):
                continue
            try:
                client_id, _ = _read_history(path)
            except StorageError as exc:
                problems.append(exc)
            else:
                clients.append(client_id)
        return sorted(clients), problems

    def list_clients(self) -> list[str]:
        """Client ids saved in the folder, sorted.

        A damaged file is not skipped silently: each raises a
        :class:`StorageWarning` naming it, and :meth:`problems` lists them.
        """
        clients, problems = self.scan()
        for problem in problems:
            warnings.warn(str(problem), StorageWarning, stacklevel=2)
        return clients

    def problems(self) -> list[StorageError]:
        """The history files in the folder that cannot be read, with what is wrong."""
        return self.scan()[1]

    def export_csv(self, client_id: str, path: str | os.PathLike) -> Path:
        """Write a client's history to a CSV file; see :func:`export_csv`."""
        return export_csv(self.history(client_id), path)

    def export_client(self, client_id: str, folder: str | os.PathLike | None = None
                      ) -> tuple[Path, Path]:
        """Write a copy of a client's history as CSV and as JSON, for the learner to keep.

        Parameters
        ----------
        client_id : str
            The saved client.
        folder : str or Path, optional
            Where the copies go; default ``<clients folder>/exports`` (created).
            Its files are not client files: listing never reads them.

        Returns
        -------
        (Path, Path)
            The CSV (:func:`export_csv`) and the JSON (the ``lbp-client-history/1``
            document, as the history file holds it), named like the client's file
            (``sam-<hash>.csv`` / ``.json``); an earlier export of that client is
            replaced atomically.
        """
        assessments = self.history(client_id)
        target = Path(folder) if folder is not None else self.folder / EXPORTS_SUBFOLDER
        try:
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(target, f"cannot be created: {exc.strerror or exc}",
                               hint="nothing was exported") from exc
        stem = client_filename(client_id).removesuffix(".json")
        csv_path = export_csv(assessments, target / f"{stem}.csv")
        json_path = target / f"{stem}.json"
        try:
            _atomic_write(json_path, _history_bytes(normalise_client_id(client_id), assessments))
        except OSError as exc:
            raise StorageError(json_path, f"could not be written: {exc.strerror or exc}") from exc
        return csv_path, json_path

    def delete(self, client_id: str) -> Path:
        """Delete a client's history file (every assessment of that client), nothing else.

        Returns
        -------
        Path
            The file removed.

        Raises
        ------
        StorageError
            No such client, or the file does not read back as that client's
            history (a damaged or foreign file is never deleted by id).
        """
        path = self.path_for(client_id)
        with self._locked("nothing was deleted"):
            if not path.exists():
                raise StorageError(path, f"no saved client {client_id!r} in {self.folder}",
                                   hint="nothing was deleted")
            stored_id, _ = _read_history(path)
            if stored_id not in (client_id, normalise_client_id(client_id)):
                raise StorageError(path, f"holds client {stored_id!r}, not {client_id!r}",
                                   hint="nothing was deleted")
            try:
                path.unlink()
            except OSError as exc:
                raise StorageError(path, f"could not be deleted: {exc.strerror or exc}") from exc
            _fsync_folder(self.folder)
        return path

    def rename(self, client_id: str, new_id: str) -> Path:
        """Give a client a new pseudonym: every assessment moves to the new id's file.

        Parameters
        ----------
        client_id : str
            The saved client.
        new_id : str
            The new pseudonym (normalised as every id is: NFC, trimmed).

        Returns
        -------
        Path
            The new history file.

        Raises
        ------
        RecordError
            ``new_id`` is not a valid pseudonym (nothing changed).
        StorageError
            No such client, a damaged file, or a client ``new_id`` already
            exists (never overwritten; nothing changed).
        """
        old_path = self.path_for(client_id)
        probe = validate_record({"schema": RECORD_SCHEMA, "client": {"id": new_id}})
        new_id = probe.client.id
        new_path = self.folder / client_filename(new_id)
        with self._locked("nothing was renamed"):
            assessments = self.history(client_id)
            if new_path.exists() and new_path != old_path:
                raise StorageError(new_path, f"a client {new_id!r} is already saved",
                                   hint="nothing was renamed; choose another pseudonym")
            for record in assessments:
                record["client"]["id"] = new_id
                validate_record(record)
            try:
                _atomic_write(new_path, _history_bytes(new_id, assessments))
            except OSError as exc:
                raise StorageError(new_path, f"could not be written: {exc.strerror or exc}",
                                   hint="nothing was renamed") from exc
            if new_path != old_path:
                old_path.unlink()
                _fsync_folder(self.folder)
        return new_path

    @contextlib.contextmanager
    def _locked(self, nothing: str) -> Iterator[None]:
        """Hold the folder lock (as a save does) around a change to the saved files."""
        if not self.folder.is_dir():
            raise StorageError(self.folder, "no client has been saved here yet", hint=nothing)
        try:
            lock = _folder_lock(self.folder)
            lock.__enter__()
        except OSError as exc:
            raise StorageError(self.folder, f"cannot be used: {exc.strerror or exc}",
                               hint=nothing) from exc
        try:
            yield
        finally:
            lock.__exit__(None, None, None)


# --------------------------------------------------------------------------- CSV columns


@dataclass(frozen=True)
class CsvColumn:
    """One CSV column: its header, the record path it fills and how cells are read.

    ``kind`` is ``number``, ``integer``, ``bool``, ``choice``, ``multi_choice``
    or ``text``.
    """

    name: str
    path: tuple[str, ...]
    kind: str


# Parts of a record that are not measurement fields (not in FIELDS) but need a column.
_LEAD = (("schema", "text", False), ("client.id", "text", False), ("date", "text", False))
_TAIL = (("notes", "text", False),)
#: The PSFS list is written as numbered columns, function.psfs.1.activity / .score, ...
_PSFS_ROWS = 5  # lbp_workbook.engine.person.psfs_rule().max_activities (a test checks)
_KINDS = {"number", "integer", "bool", "choice", "multi_choice", "text"}


def _field_specs() -> list[tuple[str, str, bool]]:
    """(path, kind, side_specific) of every record field, FIELDS in its order."""
    specs = [(f.path, f.kind if f.kind in _KINDS else "text", bool(f.side_specific))
             for f in FIELDS]
    psfs = [(f"function.psfs.{i}.{part}", kind, False) for i in range(1, _PSFS_ROWS + 1)
            for part, kind in (("activity", "text"), ("score", "number"))]
    return [*_LEAD, *specs, *psfs, *_TAIL]


def _psfs_as_columns(record: Mapping[str, Any]) -> Mapping[str, Any]:
    """The record with ``function.psfs`` as {"1": item, ...}, as the CSV columns read it."""
    items = _get(record, ("function", "psfs"))
    if not isinstance(items, list):
        return record
    out = dict(record)
    out["function"] = {**record["function"],
                       "psfs": {str(i): item for i, item in enumerate(items, start=1)}}
    return out


def _psfs_as_list(record: dict) -> dict:
    """Undo :func:`_psfs_as_columns` for a row read from CSV (numbered rows, in order)."""
    rows = _get(record, ("function", "psfs"))
    if isinstance(rows, dict):
        record["function"]["psfs"] = [rows[k] for k in sorted(rows, key=int)]
    return record


def csv_columns() -> tuple[CsvColumn, ...]:
    """The CSV columns, in order: schema, client.id, date, then every field.

    Built from :data:`lbp_workbook.engine.record.FIELDS` (one column per field, two
    for a side-specific one: ``flexibility.slr_deg.left`` / ``.right``), plus
    the parts of a record that are not measurements (``schema``,
    ``client.id``, ``date``, ``notes``), so every part of a record has a column.
    """
    columns: list[CsvColumn] = []
    seen: set[str] = set()
    for path, kind, sided in _field_specs():
        names = [f"{path}.left", f"{path}.right"] if sided else [path]
        for name in names:
            if name not in seen:
                seen.add(name)
                columns.append(CsvColumn(name, tuple(name.split(".")), kind))
    return tuple(columns)


# --------------------------------------------------------------------------- CSV cells

_INT_RE = re.compile(r"[+-]?\d+")
_FLOAT_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_TRUE = {"true", "yes"}
_FALSE = {"false", "no"}
# OWASP CSV injection: a spreadsheet runs a cell starting = + - @ (or tab / CR) as a
# formula. A cell is split again wherever a spreadsheet splits (comma, semicolon in
# European Excel, tab, line end), so each piece that would start that way (after
# spaces) gets a leading ' ; so does a piece starting with ', so import can undo it.
_PIECE_START = r"(^|[,;\t\r\n])"
_RISKY = r"(?=[ ]*[=+\-@'\t\r])"
_PROTECT_RE = re.compile(_PIECE_START + _RISKY)
_UNPROTECT_RE = re.compile(_PIECE_START + "'" + _RISKY)


def _protect(text: str) -> str:
    """Keep a spreadsheet from running text as a formula, however it splits the line:
    a ``'`` before every piece that starts with ``= + - @ ' tab CR`` (undone on import).

    >>> _protect("a;=1"), _protect("=1"), _protect("a; b")
    ("a;'=1", "'=1", 'a; b')
    """
    return _PROTECT_RE.sub(r"\1'", text)


def _unprotect(text: str) -> str:
    r"""The exact inverse of :func:`_protect`.

    >>> _unprotect(_protect("';=1\t\t@x")) == "';=1\t\t@x"
    True
    """
    return _UNPROTECT_RE.sub(r"\1", text)


def _format_cell(column: CsvColumn, value: Any) -> str:
    """The cell text of one value; the exact inverse of :func:`_parse_cell`."""
    if value is None:
        return ""
    kind = column.kind
    if kind == "bool":
        if not isinstance(value, bool):
            raise TypeError(f"{value!r} is not true/false")
        return "true" if value else "false"
    if kind in ("number", "integer"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{value!r} is not a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise TypeError(f"{value!r} is not a finite number")
        if kind == "integer" and not isinstance(value, int):
            raise TypeError(f"{value!r} is not a whole number")
        return repr(value)  # 62 -> "62", 62.0 -> "62.0": ints and floats come back as they were
    if kind == "multi_choice":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"{value!r} is not a list of texts")
        bad = [v for v in value if ";" in v or v != v.strip() or not v]
        if bad:
            raise TypeError(f"{bad[0]!r} cannot be written in a ';'-separated list")
        return _protect(";".join(value))
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    if kind == "choice" and value != value.strip():
        raise TypeError(f"{value!r} has spaces around it")
    return _protect(value)


def _parse_cell(column: CsvColumn, text: str) -> Any:
    """The value of one non-empty cell; raise ValueError with a plain message if bad."""
    kind = column.kind
    if kind == "text":
        return _unprotect(text)
    stripped = text.strip()
    if kind == "bool":
        word = stripped.lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValueError("expected true or false")
    if kind == "integer":
        if _INT_RE.fullmatch(stripped):
            return int(stripped)
        raise ValueError("expected a whole number")
    if kind == "number":
        if _INT_RE.fullmatch(stripped):
            return int(stripped)
        if not _FLOAT_RE.fullmatch(stripped):
            raise ValueError("expected a number (use a point for decimals, e.g. 5.5)")
        number = float(stripped)
        if not math.isfinite(number):
            raise ValueError("expected a finite number")
        return number
    stripped = _unprotect(stripped)
    if kind == "multi_choice":
        items = [item.strip() for item in stripped.split(";")]
        if any(not item for item in items):
            raise ValueError("an empty item in the ';'-separated list")
        return items
    return stripped  # choice


def _get(record: Mapping, path: tuple[str, ...]) -> Any:
    value: Any = record
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value


def _leaves(value: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _leaves(item, (*prefix, str(key)))
    else:
        yield prefix, value


def canonical_record(record: Mapping[str, Any]) -> dict:
    """The record as it reads back from CSV: no empty values.

    A CSV cell cannot tell "left empty" from null, an empty list or empty text,
    so those all read back as *missing* (which the record format treats the
    same way: not recorded / the default). ``canonical_record`` drops them
    (and sections left empty); everything else, including ``false`` and the
    difference between ``62`` and ``62.0``, is kept.

    Examples
    --------
    >>> canonical_record({"client": {"id": "a", "sex": None}, "pain": {"painful_directions": []},
    ...                   "control": {"big3_tolerated": False}})
    {'client': {'id': 'a'}, 'control': {'big3_tolerated': False}}
    """

    def prune(value: Any) -> Any:
        if isinstance(value, Mapping):
            kept = {k: prune(v) for k, v in value.items()}
            return {k: v for k, v in kept.items() if v is not None} or None
        if value is None or value == "" or value == []:
            return None
        return copy.deepcopy(value)

    return prune(record) or {}


# --------------------------------------------------------------------------- CSV export


def _csv_text(records: Sequence[Mapping], columns: tuple[CsvColumn, ...], path: Path) -> str:
    known = {c.path for c in columns}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for number, record in enumerate(records, start=1):
        record = _psfs_as_columns(record)
        where = f"record {number} (client {_get(record, ('client', 'id'))!r})"
        for leaf, value in _leaves(record):
            if leaf not in known and value is not None and value != [] and value != {}:
                raise StorageError(path, f"{where}: field {'.'.join(leaf)} has no CSV column",
                                   hint="nothing was written")
        row = []
        for column in columns:
            try:
                row.append(_format_cell(column, _get(record, column.path)))
            except TypeError as exc:
                raise StorageError(path, f"{where}: {column.name}: {exc}",
                                   hint="nothing was written") from exc
        writer.writerow(row)
    return buffer.getvalue()


def export_csv(history_or_client_id: str | Iterable[Mapping[str, Any]], path: str | os.PathLike,
               *, folder: str | os.PathLike | None = None) -> Path:
    """Write assessments to a CSV file: one row per assessment, one column per field.

    Parameters
    ----------
    history_or_client_id : str or iterable of mapping
        A client id (its saved history is read from ``folder``) or the records
        themselves (any clients, e.g. a whole class).
    path : str or Path
        The CSV file to write. Its folder must exist. An existing file is
        replaced atomically: it is never left half-written.
    folder : str or Path, optional
        Clients folder, when a client id is given. Default :func:`default_folder`.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    RecordError
        A record is not valid (nothing is written).
    StorageError
        The client's history cannot be read, a record has a field with no
        column, or the file cannot be written (an old file stays as it was).

    Notes
    -----
    Columns are :func:`csv_columns` (headers such as ``flexibility.slr_deg.left``).
    UTF-8 without a byte-order mark, comma-separated, ``\\r\\n`` line ends, cells
    quoted when needed (commas, quotes, newlines in notes). ``true`` / ``false``
    for booleans, numbers as Python writes them (``62``, ``62.0``), lists joined
    with ``;``, an empty cell for a missing value. Text that a spreadsheet
    would run as a formula gets a ``'`` (OWASP CSV injection): text starting
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and any piece of it
    after a comma, semicolon, tab or line end that starts so (``";=1"``,
    ``"a;=1"``: a spreadsheet splitting on ``;`` would read ``=1``), spaces
    before it allowed; a piece starting with ``'`` gets one too, so that
    :func:`import_csv` removes exactly what was added.
    """
    path = Path(path)
    if isinstance(history_or_client_id, str):
        records = ClientStore(folder).history(history_or_client_id)
    else:
        records = [_json_copy(r) for r in history_or_client_id]
    for record in records:
        validate_record(record)
    text = _csv_text(records, csv_columns(), path)
    if not path.parent.is_dir():
        raise StorageError(path, f"the folder {path.parent} does not exist")
    try:
        _atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise StorageError(path, f"could not be written: {exc.strerror or exc}",
                           hint="any previous file is unchanged") from exc
    return path


# --------------------------------------------------------------------------- CSV import


def _set(record: dict, path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        record = record.setdefault(key, {})
    record[path[-1]] = value


def _record_problems(exc: Exception, row: int, cells: dict[str, str]) -> list[CsvProblem]:
    """Turn a RecordError's problems into CsvProblems of one row."""
    problems = getattr(exc, "problems", None)
    if not problems:
        return [CsvProblem(row, None, None, str(exc))]
    found = []
    for problem in problems:
        column = getattr(problem, "path", "") or ""
        message = str(getattr(problem, "message", problem))
        if column in cells:  # a column of the file: name it, drop the path prefix
            prefix = f"{column}: "
            message = message[len(prefix):] if message.startswith(prefix) else message
            found.append(CsvProblem(row, column, cells[column], message))
        else:
            found.append(CsvProblem(row, None, None, message))
    return found


#: Limits of a CSV file read back (a class of 30 to 500 readings is far below them):
#: size [bytes], record rows, columns.
MAX_CSV_BYTES = 5_000_000
MAX_CSV_ROWS = 2_000
MAX_CSV_COLUMNS = 500
_DECIMAL_COMMA_RE = re.compile(r"[+-]?\d+,\d+")


def _delimiter(text: str) -> str:
    """The column separator of a CSV text: ``,`` unless its header row names client.id
    only when split on ``;`` or a tab (European Excel's "CSV")."""
    line = text[: text.find("\n")] if "\n" in text[:100_000] else text[:100_000]
    for candidate in (",", ";", "\t"):
        if "client.id" in (name.strip().strip('"') for name in line.split(candidate)):
            return candidate
    return ","


def read_csv_rows(path: str | os.PathLike, *, extra_columns: Iterable[str] = (),
                  extras: list[dict] | None = None) -> tuple[list[dict], list[CsvProblem]]:
    """Read the records of a CSV file, keeping the good rows and reporting the bad ones.

    Parameters
    ----------
    path : str or Path
        A CSV file with the :func:`csv_columns` headers (any subset that includes
        ``client.id``; ``schema`` defaults to ``lbp-assessment/1``), any number
        of clients. UTF-8, with or without a byte-order mark. Cells are read as
        :func:`export_csv` writes them; booleans also as ``TRUE``/``yes``/``no``
        (any case), and spaces around numbers and choices are ignored. The
        columns may be separated by commas, or by semicolons or tabs (as
        European Excel saves "CSV"; found from the header row); in such a file
        a decimal comma (``62,5``) is read as 62.5. At most
        :data:`MAX_CSV_BYTES` (5 MB), :data:`MAX_CSV_ROWS` record rows and
        :data:`MAX_CSV_COLUMNS` columns are read.
    extra_columns : iterable of str, optional
        Headers outside the record (such as a class file's ``rater`` and
        ``trial``) that are not reported as unknown.
    extras : list, optional
        If given, receives one dict per returned record, in the same order:
        each extra column's cell text, stripped (``""`` when empty).

    Returns
    -------
    records : list of dict
        One valid ``lbp-assessment/1`` record per good row, in file order.
    problems : list of CsvProblem
        Every bad cell of every bad row (row number as a spreadsheet counts it,
        column, value, message); an unknown column is reported against row 1 and
        its cells are not read. Entirely empty rows are skipped.

    Raises
    ------
    StorageError
        The file cannot be read at all: missing, not UTF-8, empty, a repeated
        header, no ``client.id`` column, or larger than the limits above (the
        message says which and what to do).
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise StorageError(path, f"cannot be read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_CSV_BYTES:
        raise StorageError(path, f"is larger than {MAX_CSV_BYTES // 1_000_000} MB, more than a "
                                 f"class file needs (at most {MAX_CSV_ROWS:,} rows); split it "
                                 "into smaller files")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StorageError(path, f"is not UTF-8 text (byte {exc.start}); "
                                 "save it from the spreadsheet as 'CSV UTF-8'") from exc
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        first = next(reader, None)
    except csv.Error as exc:
        raise StorageError(path, f"is not a readable CSV file: {exc}") from exc
    if first is None:
        raise StorageError(path, "is empty (no header row)")
    if len(first) > MAX_CSV_COLUMNS:
        raise StorageError(path, f"row 1: {len(first):,} columns, more than the "
                                 f"{MAX_CSV_COLUMNS:,} a class file can have (the workbook's "
                                 f"export has {len(csv_columns())}); remove the extra columns")
    header = [name.strip() for name in first]
    counts: dict[str, int] = {}
    for name in header:  # one pass (header.count(name) per column was quadratic)
        counts[name] = counts.get(name, 0) + 1
    repeated = sorted(shorten(n, 60) for n, k in counts.items() if k > 1)
    if repeated:
        more = " and more" if len(repeated) > 10 else ""
        raise StorageError(path, f"row 1: column(s) {', '.join(repeated[:10])}{more} "
                                 "appear more than once")
    if "client.id" not in counts:
        raise StorageError(path, "row 1: there is no client.id column; the first row must "
                                 "name the columns (client.id, date, flexibility.slr_deg.left, "
                                 "...) separated by commas, as the workbook's CSV export does "
                                 "(semicolons or tabs, as European Excel saves, work too)")
    try:
        rows = [first]
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_CSV_ROWS + 1:
                raise StorageError(path, f"has more than {MAX_CSV_ROWS:,} rows of records, "
                                         "more than a class file needs; split it into "
                                         "smaller files")
    except csv.Error as exc:
        raise StorageError(path, f"is not a readable CSV file: {exc}") from exc
    decimal_comma = delimiter != ","
    by_name = {c.name: c for c in csv_columns()}
    problems: list[CsvProblem] = []
    extra_columns = tuple(extra_columns)
    extra_names = set(extra_columns)
    for name in header:
        if name not in by_name and name not in extra_names:
            problems.append(CsvProblem(1, shorten(name, 60), None,
                                       "unknown column; its cells were not read"))
    records: list[dict] = []
    for row_number, row in enumerate(rows[1:], start=2):
        if not any(row):  # an entirely empty row
            continue
        if len(row) > len(header):
            problems.append(CsvProblem(row_number, None, None,
                                       f"{len(row)} cells but only {len(header)} columns"))
            continue
        cells = dict(zip(header, row))  # a short row: the missing cells are empty
        record: dict = {}
        row_problems = []
        for name, text in cells.items():
            column = by_name.get(name)
            if column is None or text == "" or (column.kind != "text" and not text.strip()):
                continue
            if decimal_comma and column.kind == "number" and _DECIMAL_COMMA_RE.fullmatch(
                    text.strip()):
                text = text.replace(",", ".")  # "62,5" from a ';'-separated file is 62.5
            try:
                _set(record, column.path, _parse_cell(column, text))
            except ValueError as exc:
                row_problems.append(CsvProblem(row_number, name, text, str(exc)))
        if not row_problems:
            _psfs_as_list(record)
            record.setdefault("schema", RECORD_SCHEMA)
            record = {"schema": record.pop("schema"), **record}
            try:
                validate_record(record)
            except RecordError as exc:
                row_problems = _record_problems(exc, row_number, cells)
        if row_problems:
            problems.extend(row_problems)
        else:
            records.append(record)
            if extras is not None:
                extras.append({n: cells.get(n, "").strip() for n in extra_columns})
    return records, problems


def import_csv(path: str | os.PathLike) -> list[dict]:
    """Read every record of a CSV file written by :func:`export_csv` (or laid out like it).

    Parameters
    ----------
    path : str or Path
        The CSV file; it may hold several clients.

    Returns
    -------
    list of dict
        The records in file order. ``import_csv(export_csv(records, p)) ==
        [canonical_record(r) for r in records]``; for records without null or
        empty values that is ``records`` itself.

    Raises
    ------
    StorageError
        Any bad row: its ``problems`` lists each (row number, column, value,
        message) and the message shows them. Use :func:`read_csv_rows` to keep
        the good rows of a partly bad file.
    """
    records, problems = read_csv_rows(path)
    if problems:
        lines = "; ".join(str(p) for p in problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise StorageError(path, f"{len(problems)} problem(s): {lines}{more}", problems=problems)
    return records
