"""Saved clients and CSV export/import (lbp_workbook.engine.storage).

Every test uses real files under ``tmp_path``; ``LBP_WORKBOOK_HOME`` is pointed
at ``tmp_path`` for all of them, so nothing touches the real home folder. The
only thing faked is a failure (a full disk, a crash) injected into the write.
"""

from __future__ import annotations

import copy
import csv
import errno
import json
import math
import multiprocessing
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lbp_workbook.engine import storage
from lbp_workbook.engine.record import FIELDS, normalise_client_id, validate_record
from lbp_workbook.engine.storage import (
    ClientStore,
    CsvProblem,
    StorageError,
    StorageWarning,
    canonical_record,
    client_filename,
    csv_columns,
    default_folder,
    export_csv,
    import_csv,
    read_csv_rows,
)


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    """Every test's default folder is under its own tmp_path."""
    monkeypatch.setenv("LBP_WORKBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HOME", str(tmp_path / "fake-user-home"))


def rec(client="sam", date="2026-11-02", **parts):
    """A record of ``client`` (an id, or the whole client section) on ``date``."""
    client = client if isinstance(client, dict) else {"id": client}
    record = {"schema": "lbp-assessment/1", "client": client, "date": date}
    record.update(parts)
    return record


#: The README's worked example (runner Sam), every field filled.
FULL = {
    "schema": "lbp-assessment/1",
    "client": {"id": "sam", "age": 34, "sex": "male"},
    "date": "2026-11-02",
    "screening": {"red_flags": [], "considerable_lbp_history": False, "lower_back_injury": False,
                  "symptoms_increasing": False, "trainer_unsure": False,
                  "medical_clearance": False},
    "pain": {"now": 3, "during_exercise": 3, "painful_directions": ["flexion"]},
    "flexibility": {"slr_deg": {"left": 62, "right": 66},
                    "ake_deficit_deg": {"left": 32, "right": 28},
                    "thomas_hip_deg": {"left": -8, "right": -6},
                    "thomas_knee_deg": {"left": 84, "right": 82},
                    "hip_ir_deg": {"left": 34, "right": 36},
                    "hip_er_deg": {"left": 44, "right": 45},
                    "schober_cm": 5.5},
    "endurance": {"flexor_s": 90, "extensor_s": 110, "side_bridge_s": {"left": 62, "right": 60}},
    "control": {"holds_neutral_pelvis": True, "big3_tolerated": True, "neutral_under_load": False},
    "notes": "Synthetic example.",
}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------- folder


def test_default_folder_from_env_var(tmp_path, monkeypatch):
    monkeypatch.setenv("LBP_WORKBOOK_HOME", str(tmp_path / "elsewhere"))
    assert default_folder() == tmp_path / "elsewhere" / "clients"
    assert ClientStore().folder == tmp_path / "elsewhere" / "clients"


def test_default_folder_without_env_var_is_in_home(tmp_path, monkeypatch):
    monkeypatch.delenv("LBP_WORKBOOK_HOME")
    assert default_folder() == tmp_path / "fake-user-home" / "lbp-workbook" / "clients"


def test_default_folder_is_outside_the_repository():
    repo = Path(storage.__file__).resolve().parents[1]
    assert repo not in default_folder().resolve().parents


def test_save_creates_folder_on_first_save_only(tmp_path):
    store = ClientStore()
    folder = tmp_path / "home" / "clients"
    assert store.list_clients() == [] and store.problems() == []
    assert "sam" not in store
    with pytest.raises(StorageError):
        store.history("sam")
    assert not (tmp_path / "home").exists()  # listing and reading create nothing
    path = store.save(rec())
    assert path.parent == folder and path.is_file()
    assert "sam" in store


def test_import_creates_no_folder(tmp_path):
    """A fresh interpreter imports the module and lists: still no folder."""
    code = "from lbp_workbook.engine.storage import ClientStore; print(ClientStore().list_clients())"
    env = {**os.environ, "LBP_WORKBOOK_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
    assert not (tmp_path / "home").exists()


# --------------------------------------------------------------------------- history


def test_save_appends_history_oldest_first(tmp_path):
    store = ClientStore(tmp_path / "c")
    store.save(rec(date="2026-12-01", pain={"now": 2}))
    store.save(rec(date="2026-11-02", pain={"now": 5}))  # entered late, dated earlier
    store.save(rec(date="2027-01-10", pain={"now": 1}))
    history = store.history("sam")
    assert [r["date"] for r in history] == ["2026-11-02", "2026-12-01", "2027-01-10"]
    assert [r["pain"]["now"] for r in history] == [5, 2, 1]
    assert store.latest("sam")["date"] == "2027-01-10"


def test_save_same_date_keeps_both_in_save_order(tmp_path):
    store = ClientStore(tmp_path / "c")
    store.save(rec(notes="first"))
    store.save(rec(date="2026-10-01", notes="earlier day"))
    store.save(rec(notes="second"))
    store.save(rec(notes="third"))
    assert [r["notes"] for r in store.history("sam")] == ["earlier day", "first", "second", "third"]
    assert store.latest("sam")["notes"] == "third"


def test_save_keeps_the_record_exactly(tmp_path):
    store = ClientStore(tmp_path / "c")
    store.save(FULL)
    assert store.history("sam") == [FULL]
    raw = json.loads(store.path_for("sam").read_text(encoding="utf-8"))
    assert raw == {"schema": "lbp-client-history/1", "client_id": "sam", "assessments": [FULL]}


def test_history_returns_copies(tmp_path):
    store = ClientStore(tmp_path / "c")
    record = rec(pain={"now": 3})
    store.save(record)
    record["pain"]["now"] = 9  # the caller changes its own dict afterwards
    store.history("sam")[0]["pain"]["now"] = 8
    assert store.latest("sam")["pain"]["now"] == 3


def test_list_clients_sorted(tmp_path):
    store = ClientStore(tmp_path / "c")
    for client in ("zoë", "Sam", "sam", "kim"):
        store.save(rec(client))
    assert store.list_clients() == sorted(["zoë", "Sam", "sam", "kim"])
    assert store.problems() == []


def test_save_without_date_refused(tmp_path):
    store = ClientStore(tmp_path / "c")
    record = rec()
    del record["date"]
    with pytest.raises(ValueError, match="date"):
        store.save(record)
    assert not (tmp_path / "c").exists()


def test_save_invalid_record_writes_nothing(tmp_path):
    store = ClientStore(tmp_path / "c")
    store.save(rec())
    before = store.path_for("sam").read_bytes()
    with pytest.raises(ValueError):  # RecordError (a ValueError) once record.py exists
        store.save({"schema": "lbp-assessment/0", "client": {"id": "sam"}, "date": "2026-11-03"})
    assert store.path_for("sam").read_bytes() == before


# --------------------------------------------------------------------------- file names


UNSAFE_IDS = [
    "<img src=x onerror=alert(1)>",
    "../../etc/passwd",
    "..",
    ".",
    "/absolute",
    "C:\\Windows\\system32",
    "CON",
    "nul",
    "a/b",
    "a\\b",
    "with\nnewline",
    "with\x00nul",
    "日本語",
    "   ",
    "x" * 100,
    "x" * 101,
    "'; DROP TABLE clients; --",
]


@pytest.mark.parametrize("client_id", UNSAFE_IDS)
def test_save_unsafe_id_stays_in_folder(tmp_path, client_id):
    folder = tmp_path / "c"
    store = ClientStore(folder)
    try:
        path = store.save(rec(client_id))
    except ValueError:  # the record rules may refuse such an id; then nothing is written
        assert not folder.exists() or leftovers(folder) == []
        return
    assert path.parent == folder
    assert [p.name for p in folder.glob("*.json")] == [path.name]
    assert len(path.name) <= 63 and path.name.isascii()
    assert store.history(client_id)[0]["client"]["id"] == client_id
    assert store.list_clients() == [client_id]
    assert list(tmp_path.iterdir()) == [folder]


def test_client_filename_distinct_for_similar_ids():
    ids = ["sam", "Sam", "SAM", "s-a-m", "s a m", "s_a_m", "sam!", "såm", "sam\u0301",
           "../sam", "sam/..", "x" * 41, "x" * 42]
    names = [client_filename(i) for i in ids]
    assert len(set(names)) == len(ids)
    assert len({n.lower() for n in names}) == len(ids)  # also on case-insensitive disks


def test_client_filename_empty_refused():
    with pytest.raises(ValueError):
        client_filename("")


def test_save_hash_collision_refused(tmp_path, monkeypatch):
    """If two ids ever hashed alike, the second save is refused, the first file kept."""
    store = ClientStore(tmp_path / "c")
    monkeypatch.setattr(storage, "client_filename", lambda client_id: "same.json")
    store.save(rec("alice"))
    before = store.path_for("alice").read_bytes()
    with pytest.raises(StorageError, match="alice"):
        store.save(rec("bob"))
    assert (tmp_path / "c" / "same.json").read_bytes() == before


# --------------------------------------------------------------------------- atomic writes


def _failing_replace(monkeypatch):
    def replace(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", replace)


def test_save_disk_full_at_rename_keeps_previous(tmp_path, monkeypatch):
    store = ClientStore(tmp_path / "c")
    store.save(rec(notes="one"))
    store.save(rec(date="2026-12-01", notes="two"))
    before = store.path_for("sam").read_bytes()
    _failing_replace(monkeypatch)
    with pytest.raises(StorageError, match="No space left") as info:
        store.save(rec(date="2027-01-01", notes="three"))
    assert "sam-" in str(info.value) and "unchanged" in str(info.value)
    monkeypatch.undo()
    assert store.path_for("sam").read_bytes() == before
    assert [r["notes"] for r in store.history("sam")] == ["one", "two"]
    assert leftovers(tmp_path / "c") == []


def test_save_disk_full_mid_write_keeps_previous(tmp_path, monkeypatch):
    """The write itself fails half-way (some bytes written, then ENOSPC)."""
    store = ClientStore(tmp_path / "c")
    store.save(rec(notes="one"))
    before = store.path_for("sam").read_bytes()
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(StorageError, match="No space left"):
        store.save(rec(date="2026-12-01", notes="two"))
    monkeypatch.undo()
    assert store.path_for("sam").read_bytes() == before
    assert leftovers(tmp_path / "c") == []


def test_save_crash_before_rename_keeps_previous(tmp_path, monkeypatch):
    """A crash (here KeyboardInterrupt) between fsync and rename: old file intact, no temp."""
    store = ClientStore(tmp_path / "c")
    store.save(rec(notes="one"))
    before = store.path_for("sam").read_bytes()

    def crash(src, dst):
        assert Path(src).read_bytes() != before  # the new version was fully written
        raise KeyboardInterrupt

    monkeypatch.setattr(storage.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        store.save(rec(date="2026-12-01"))
    monkeypatch.undo()
    assert store.path_for("sam").read_bytes() == before
    assert leftovers(tmp_path / "c") == []


def test_save_first_save_failure_leaves_no_file(tmp_path, monkeypatch):
    store = ClientStore(tmp_path / "c")
    _failing_replace(monkeypatch)
    with pytest.raises(StorageError):
        store.save(rec())
    monkeypatch.undo()
    assert list((tmp_path / "c").glob("*.json")) == [] and leftovers(tmp_path / "c") == []
    assert store.list_clients() == []


def test_save_unwritable_folder_is_a_storage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="nothing was saved") as info:
        ClientStore(blocker / "clients").save(rec())
    assert info.value.path == blocker / "clients"


def test_save_uses_fsync_and_replace(tmp_path, monkeypatch):
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(storage.os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd)))
    monkeypatch.setattr(storage.os, "replace",
                        lambda a, b: (calls.append("replace"), real_replace(a, b)))
    ClientStore(tmp_path / "c").save(rec())
    assert calls[:2] == ["fsync", "replace"]


def _save_many(folder: str, worker: int, count: int) -> None:
    store = ClientStore(folder)
    for i in range(count):
        store.save(rec(date="2026-11-02", notes=f"{worker}-{i}"))


def test_save_concurrent_processes_lose_nothing(tmp_path):
    """Two processes saving to the same client at once: every save is kept (OS file lock)."""
    folder = str(tmp_path / "c")
    ClientStore(folder).save(rec(notes="start"))
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_save_many, args=(folder, w, 15)) for w in range(2)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(60)
        assert p.exitcode == 0
    notes = [r["notes"] for r in ClientStore(folder).history("sam")]
    assert len(notes) == 31 and notes[0] == "start"
    for w in range(2):
        mine = [n for n in notes if n.startswith(f"{w}-")]
        assert mine == [f"{w}-{i}" for i in range(15)]  # each worker's saves, in order
    assert leftovers(Path(folder)) == []


# --------------------------------------------------------------------------- damaged files


def _damaged(store: ClientStore, text: str | bytes, client="sam") -> Path:
    store.save(rec(client))
    path = store.path_for(client)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _history_text(**changes) -> str:
    doc = {"schema": "lbp-client-history/1", "client_id": "sam", "assessments": [rec()]}
    doc.update(changes)
    return json.dumps(doc)


DAMAGE = {
    "empty file": ("", "not valid JSON"),
    "truncated JSON": ('{"schema": "lbp-client-history/1", "client_id": "sa', "not valid JSON"),
    "not UTF-8": (b'{"schema": "\xff"}', "not UTF-8"),
    "a list": ("[]", "list"),
    "wrong schema": (_history_text(schema="lbp-client-history/9"), "lbp-client-history/9"),
    "no schema": (json.dumps({"client_id": "sam", "assessments": []}), "schema None"),
    "unknown key": (_history_text(comment="hand edit"), "comment"),
    "duplicate key": ('{"schema": "lbp-client-history/1", "client_id": "sam", "client_id": "x",'
                      ' "assessments": []}', "twice"),
    "assessments not a list": (_history_text(assessments={}), "not a list"),
    "wrong client id inside": (_history_text(assessments=[rec("pat")]), "'pat'"),
    "invalid record": (_history_text(assessments=[rec(), {"schema": "nope"}]), "assessment 2"),
    "record without date": (
        _history_text(assessments=[{"schema": "lbp-assessment/1", "client": {"id": "sam"}}]),
        "no date",
    ),
    "renamed file": (_history_text(client_id="pat", assessments=[rec("pat")]), "file name"),
    "deeply nested": ("[" * 5000, "nested too deeply"),
    "deeply nested inside": (
        '{"schema": "lbp-client-history/1", "client_id": "sam", "assessments": '
        + "[" * 5000 + "]" * 5000 + "}", "nested too deeply"),
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_history_damaged_file_named_and_never_overwritten(tmp_path, kind):
    text, expected = DAMAGE[kind]
    store = ClientStore(tmp_path / "c")
    path = _damaged(store, text)
    damaged_bytes = path.read_bytes()

    with pytest.raises(StorageError) as info:
        store.history("sam")
    assert info.value.path == path
    assert str(path) in str(info.value) and expected in str(info.value)

    with pytest.raises(StorageError) as refused:  # saving into that client is refused
        store.save(rec(date="2026-12-24", notes="new"))
    assert refused.value.problem == info.value.problem
    assert str(path) in str(refused.value) and "unchanged" in str(refused.value)
    assert path.read_bytes() == damaged_bytes
    assert leftovers(tmp_path / "c") == []


def test_list_clients_reports_damaged_files(tmp_path):
    store = ClientStore(tmp_path / "c")
    store.save(rec("kim"))
    store.save(rec("lee"))
    bad = _damaged(store, "{not json")
    with pytest.warns(StorageWarning, match="not valid JSON"):
        assert store.list_clients() == ["kim", "lee"]
    [problem] = store.problems()
    assert problem.path == bad and "not valid JSON" in problem.problem
    clients, problems = store.scan()
    assert clients == ["kim", "lee"] and [p.path for p in problems] == [bad]


def test_deeply_nested_file_is_reported_and_healthy_clients_still_listed(tmp_path):
    """A file of 5000 '[' (issue 10): listed as damaged with its name, never a RecursionError."""
    store = ClientStore(tmp_path / "c")
    store.save(rec("kim"))
    bad = _damaged(store, "[" * 5000)
    clients, problems = store.scan()
    assert clients == ["kim"]
    assert [p.path for p in problems] == [bad] and "nested too deeply" in problems[0].problem
    with pytest.warns(StorageWarning, match="nested too deeply"):
        assert store.list_clients() == ["kim"]
    assert store.save(rec("lee")).is_file()
    assert bad.read_text() == "[" * 5000


def test_list_clients_ignores_other_files(tmp_path):
    """Temporary files, the lock file and non-JSON files are not client files."""
    store = ClientStore(tmp_path / "c")
    store.save(rec())
    (tmp_path / "c" / "notes.txt").write_text("mine")
    (tmp_path / "c" / ".sam.json.abc.tmp").write_text("{")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert store.list_clients() == ["sam"]


def test_history_out_of_order_hand_edit_is_read_in_date_order(tmp_path):
    store = ClientStore(tmp_path / "c")
    hand_edited = _history_text(assessments=[rec(date="2026-12-01"), rec(date="2026-11-02")])
    path = _damaged(store, hand_edited)
    assert [r["date"] for r in store.history("sam")] == ["2026-11-02", "2026-12-01"]
    store.save(rec(date="2026-11-15"))
    saved = json.loads(path.read_text())["assessments"]
    assert [r["date"] for r in saved] == ["2026-11-02", "2026-11-15", "2026-12-01"]


# --------------------------------------------------------------------------- CSV


def test_csv_columns_cover_every_field():
    names = [c.name for c in csv_columns()]
    assert len(names) == len(set(names))
    expected = {
        "schema", "client.id", "client.age", "client.sex", "date", "screening.red_flags",
        "screening.considerable_lbp_history", "screening.lower_back_injury",
        "screening.symptoms_increasing", "screening.trainer_unsure",
        "screening.medical_clearance", "pain.now", "pain.during_exercise",
        "pain.painful_directions", "flexibility.schober_cm", "endurance.flexor_s",
        "endurance.extensor_s", "control.holds_neutral_pelvis", "control.big3_tolerated",
        "control.neutral_under_load", "notes",
    } | {f"{p}.{side}" for side in ("left", "right") for p in (
        "flexibility.slr_deg", "flexibility.ake_deficit_deg", "flexibility.thomas_hip_deg",
        "flexibility.thomas_knee_deg", "flexibility.hip_ir_deg", "flexibility.hip_er_deg",
        "endurance.side_bridge_s")}
    assert expected <= set(names)
    # every leaf of the fully filled example has its column
    leaves = {".".join(path) for path, _ in storage._leaves(FULL)}
    assert leaves <= set(names)


def test_export_csv_layout(tmp_path):
    out = export_csv([FULL], tmp_path / "sam.csv")
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    [row] = rows
    assert row["flexibility.slr_deg.left"] == "62" and row["flexibility.schober_cm"] == "5.5"
    assert row["control.neutral_under_load"] == "false" and row["screening.red_flags"] == ""
    assert row["pain.painful_directions"] == "flexion" and row["client.sex"] == "male"
    assert out.read_bytes()[:6] == b"schema"  # no byte-order mark


def test_export_csv_by_client_id_roundtrip(tmp_path):
    store = ClientStore()
    first = copy.deepcopy(FULL)
    second = rec(date="2026-12-01", flexibility={"slr_deg": {"left": 70.0}},
                 pain={"painful_directions": ["flexion", "rotation"]})
    store.save(second)
    store.save(first)
    out = export_csv("sam", tmp_path / "sam.csv")
    assert import_csv(out) == [canonical_record(first), second]
    assert store.export_csv("sam", tmp_path / "again.csv").read_bytes() == out.read_bytes()


def test_import_csv_keeps_missing_false_int_float_apart(tmp_path):
    records = [
        rec(control={"big3_tolerated": False}, flexibility={"slr_deg": {"left": 62}}),
        rec(date="2026-11-03", control={"big3_tolerated": True},
            flexibility={"slr_deg": {"right": 62.0}, "schober_cm": 5}),
        rec(date="2026-11-04"),
    ]
    back = import_csv(export_csv(records, tmp_path / "x.csv"))
    assert back == records
    assert type(back[0]["flexibility"]["slr_deg"]["left"]) is int
    assert type(back[1]["flexibility"]["slr_deg"]["right"]) is float
    assert "control" not in back[2] and "right" not in back[0]["flexibility"]["slr_deg"]


def test_import_csv_unicode_notes_with_commas_quotes_newlines(tmp_path):
    notes = [
        'Knee "clicks", left; ok\nnew line\r\nwindows line, and a tab\tthere',
        "Zoë · 痛み · émoji 🏃",
        "=HYPERLINK(\"http://x\")",
        "-3 days",
        "'quoted",
        "''",
        "   ",
        "@mention",
    ]
    records = [rec(f"client {i}, \"x\"", notes=n) for i, n in enumerate(notes)]
    path = export_csv(records, tmp_path / "notes.csv")
    assert import_csv(path) == records
    for line in csv.reader(path.read_text(encoding="utf-8").splitlines()):
        assert not line or not line[-1].startswith(("=", "@", "+"))  # no live formulas


INJECTIONS = [";=1", "a;=1", "x;+1", "note; -2", "a;@SUM(1)", "\t=1", "\r=1", "a\t=1",
              ",=1", "a,=1", "line\n=1", "a;'b", "';=1", ";", "a;b"]


def test_export_csv_protects_formulas_after_any_separator(tmp_path):
    """Issue 10: ';=1' was written unquoted, which a spreadsheet splitting on ';' runs as a
    formula. However the file is split (comma, semicolon, tab, line end), no piece starts
    with = + - @ (OWASP CSV injection); import gives the text back exactly."""
    records = [rec(f"c{i}", notes=n) for i, n in enumerate(INJECTIONS)]
    path = export_csv(records, tmp_path / "inj.csv")
    assert import_csv(path) == records
    text = path.read_text(encoding="utf-8")
    pieces = re.split(r"[,;\t\r\n]", text)
    assert [p for p in pieces if p.lstrip('"').startswith(("=", "+", "-", "@"))] == []


def test_import_csv_several_clients(tmp_path):
    records = [rec("kim"), rec({"id": "lee", "age": 40}), rec("kim", "2026-12-01")]
    assert import_csv(export_csv(records, tmp_path / "class.csv")) == records


def test_import_csv_column_subset_and_order(tmp_path):
    """A hand-made class sheet: few columns, any order, BOM, short rows, blank lines."""
    path = tmp_path / "class.csv"
    path.write_bytes(
        "\ufeffflexibility.slr_deg.left,client.id,date,control.big3_tolerated\r\n"
        "62,kim,2026-11-02,TRUE\r\n"
        ",,,\r\n"
        "\r\n"
        "70.5,lee,2026-11-02\r\n".encode("utf-8")
    )
    assert import_csv(path) == [
        rec("kim", flexibility={"slr_deg": {"left": 62}}, control={"big3_tolerated": True}),
        rec("lee", flexibility={"slr_deg": {"left": 70.5}}),
    ]


def _write(tmp_path, header: list[str], *rows: list[str]) -> Path:
    path = tmp_path / "bad.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


BAD_CELLS = [
    ("flexibility.slr_deg.left", "6o", "number"),
    ("flexibility.slr_deg.left", "62,5", "number"),
    ("flexibility.slr_deg.right", "1_000", "number"),
    ("flexibility.schober_cm", "nan", "number"),
    ("endurance.flexor_s", "1e999", "finite"),
    ("control.big3_tolerated", "maybe", "true or false"),
    ("client.age", "34.5", "whole number"),
    ("pain.painful_directions", "flexion;;rotation", "empty item"),
]


@pytest.mark.parametrize(("column", "value", "message"), BAD_CELLS)
def test_import_csv_bad_cell_names_row_column_value(tmp_path, column, value, message):
    path = _write(tmp_path, ["client.id", "date", column],
                  ["kim", "2026-11-02", ""], ["lee", "2026-11-02", value])
    with pytest.raises(StorageError) as info:
        import_csv(path)
    err = info.value
    assert err.problems == (CsvProblem(3, column, value, err.problems[0].message),)
    assert message in err.problems[0].message
    text = str(err)
    assert str(path) in text and "row 3" in text and column in text and repr(value) in text


def test_read_csv_rows_keeps_good_rows(tmp_path):
    path = _write(
        tmp_path,
        ["client.id", "date", "flexibility.slr_deg.left", "shoe size"],
        ["kim", "2026-11-02", "62", "41"],
        ["lee", "2026-11-02", "sixty", ""],
        ["ria", "2026-11-02", "55", "", "extra"],
        ["max", "2026-11-02", "", ""],
    )
    records, problems = read_csv_rows(path)
    assert [r["client"]["id"] for r in records] == ["kim", "max"]
    assert [(p.row, p.column) for p in problems] == [
        (1, "shoe size"), (3, "flexibility.slr_deg.left"), (4, None)]
    assert "unknown column" in problems[0].message and "5 cells" in problems[2].message


def test_read_csv_rows_invalid_record_reported(tmp_path):
    """A cell that parses but breaks the record rules (a wrong schema tag) is a row problem."""
    path = _write(tmp_path, ["schema", "client.id", "date"],
                  ["lbp-assessment/1", "kim", "2026-11-02"],
                  ["lbp-assessment/7", "lee", "2026-11-02"])
    records, problems = read_csv_rows(path)
    assert [r["client"]["id"] for r in records] == ["kim"]
    assert [p.row for p in problems] == [3] and "schema" in str(problems[0])


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"date,notes\r\n2026-11-02,x\r\n", "client.id"),
    (b"client.id,date,date\r\n", "more than once"),
    (b"client.id\r\n\xff\xfe\r\n", "UTF-8"),
])
def test_read_csv_rows_unreadable_file(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(StorageError, match=message) as info:
        read_csv_rows(path)
    assert info.value.path == path


def test_export_csv_atomic_keeps_old_file(tmp_path, monkeypatch):
    path = export_csv([rec(notes="old")], tmp_path / "sam.csv")
    before = path.read_bytes()
    _failing_replace(monkeypatch)
    with pytest.raises(StorageError, match="No space left"):
        export_csv([rec(notes="new")], path)
    monkeypatch.undo()
    assert path.read_bytes() == before and leftovers(tmp_path) == []


def test_export_csv_invalid_record_writes_nothing(tmp_path):
    with pytest.raises(ValueError):
        export_csv([rec(), {"schema": "nope"}], tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_export_csv_missing_folder(tmp_path):
    with pytest.raises(StorageError, match="does not exist"):
        export_csv([rec()], tmp_path / "nowhere" / "x.csv")


def test_export_csv_unknown_client(tmp_path):
    with pytest.raises(StorageError, match="no saved client"):
        export_csv("nobody", tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_canonical_record_drops_only_empty_values():
    record = rec({"id": "a", "sex": None}, screening={"red_flags": [], "trainer_unsure": False},
                 notes="", flexibility={"slr_deg": {"left": None, "right": 0}})
    assert canonical_record(record) == {
        "schema": "lbp-assessment/1", "client": {"id": "a"}, "date": "2026-11-02",
        "screening": {"trainer_unsure": False}, "flexibility": {"slr_deg": {"right": 0}},
    }


# --------------------------------------------------------------------------- round-trip property

def _value_strategy(spec):
    """Any accepted value of one FieldSpec (ints and floats both, for numbers)."""
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "integer":
        return st.integers(int(spec.minimum), int(spec.maximum))
    if spec.kind == "number":
        low, high = spec.minimum, spec.maximum
        return st.integers(math.ceil(low), math.floor(high)) | st.floats(low, high)
    if spec.kind == "choice":
        return st.sampled_from(spec.choices)
    assert spec.kind == "multi_choice", spec.kind
    return st.lists(st.sampled_from(spec.choices), min_size=1, max_size=4)  # repeats allowed


#: Valid ids as saved: no control or invisible characters, NFC, no spaces around them.
_ids = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Zl", "Zp", "Cs")),
               min_size=1, max_size=100).map(normalise_client_id).filter(
    lambda t: t.strip() and len(t) <= 100)


@st.composite
def records(draw):
    """Valid records built from FIELDS: every field may be present or missing."""
    record = {"schema": "lbp-assessment/1",
              "client": {"id": draw(_ids)},
              "date": draw(st.dates().map(lambda d: d.isoformat()))}
    for spec in FIELDS:
        *sections, name = spec.path.split(".")
        if spec.side_specific:
            value = draw(st.fixed_dictionaries({}, optional={
                side: _value_strategy(spec) for side in ("left", "right")}))
            if not value:
                continue
        elif draw(st.booleans()):
            value = draw(_value_strategy(spec))
        else:
            continue
        target = record
        for section in sections:
            target = target.setdefault(section, {})
        target[name] = value
    if draw(st.booleans()):
        record["notes"] = draw(st.text(min_size=1, max_size=300))
    return record


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(records(), min_size=1, max_size=4))
def test_import_csv_roundtrip_property(tmp_path, batch):
    """records -> CSV -> records gives the same records (types, gaps, text and all)."""
    for record in batch:
        validate_record(record)  # the strategy makes only valid records
    path = export_csv(batch, tmp_path / "roundtrip.csv")
    assert import_csv(path) == batch
    assert read_csv_rows(path) == (batch, [])


def test_save_and_csv_roundtrip_example_clients(tmp_path):
    """Every synthetic example client (data/examples/*.json) saves, reloads and
    round-trips through one class CSV unchanged (up to empty values)."""
    folder = Path(storage.__file__).resolve().parents[1] / "data" / "examples"
    examples = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    assert len(examples) >= 3, f"the example clients are missing from {folder}"
    store = ClientStore()
    for record in examples:
        store.save(record)
        assert store.latest(record["client"]["id"]) == record
    assert store.list_clients() == sorted(r["client"]["id"] for r in examples)
    back = import_csv(export_csv(examples, tmp_path / "class.csv"))
    assert back == [canonical_record(r) for r in examples]


# --------------------------------------------------------------------------- issue 10: odd inputs


def test_save_and_export_numpy_decimal_fraction_and_date(tmp_path):
    """A record built from a pandas row (numpy scalars, Decimal, Fraction, datetime.date)
    is saved and exported as plain numbers and text, not refused with a bare TypeError."""
    import datetime as dt
    import decimal
    import fractions

    import numpy as np

    odd = rec(client={"id": "sam", "age": np.int64(34)}, date=dt.date(2026, 11, 2),
              pain={"now": decimal.Decimal("2.5"), "during_exercise": fractions.Fraction(7, 2)},
              flexibility={"slr_deg": {"left": np.float32(62.5), "right": np.int64(66)}})
    store = ClientStore(tmp_path / "c")
    store.save(odd)
    [saved] = store.history("sam")
    assert saved["date"] == "2026-11-02" and saved["client"]["age"] == 34
    assert saved["flexibility"]["slr_deg"] == {"left": 62.5, "right": 66}
    assert saved["pain"] == {"now": 2.5, "during_exercise": 3.5}
    out = export_csv([odd], tmp_path / "odd.csv")
    assert import_csv(out) == [saved]


def test_look_alike_ids_are_one_client(tmp_path):
    """NFC and NFD 'Zoë' and a trailing space name one client (ids are NFC and trimmed)."""
    store = ClientStore(tmp_path / "c")
    store.save(rec("Zo\u00eb"))
    store.save(rec("Zoe\u0308", date="2026-11-09"))
    store.save(rec("Zo\u00eb ", date="2026-11-16"))
    assert store.list_clients() == ["Zo\u00eb"]
    assert len(list((tmp_path / "c").glob("*.json"))) == 1
    assert [r["client"]["id"] for r in store.history("Zoe\u0308 ")] == ["Zo\u00eb"] * 3
    assert client_filename("Zoe\u0308 ") == client_filename("Zo\u00eb")


@pytest.mark.parametrize("bad", ["sam\nReferral: not needed", "sam\u202e", "sa\u200bm"])
def test_save_refuses_control_characters_in_the_id(tmp_path, bad):
    store = ClientStore(tmp_path / "c")
    with pytest.raises(ValueError, match="control or invisible character"):
        store.save(rec(bad))
    assert not (tmp_path / "c").exists()


def _stale(folder: Path, name: str, age_s: float, text: str = "{}") -> Path:
    path = folder / name
    path.write_text(text)
    old = path.stat().st_mtime - age_s
    os.utime(path, (old, old))
    return path


def test_open_removes_stale_temporary_copies_only(tmp_path):
    """kill -9 during a save leaves '.<client file>.XXXXXXXX.tmp' (all of a client's data);
    opening the store removes such files of its own pattern when they are old enough, and
    never touches anything else."""
    folder = tmp_path / "c"
    store = ClientStore(folder)
    path = store.save(rec())
    stale = _stale(folder, f".{path.name}.ab_c1234.tmp", 3600, path.read_text())
    fresh = _stale(folder, f".{path.name}.zz9zz9zz.tmp", 0)
    others = [_stale(folder, n, 3600) for n in (
        "notes.tmp", ".sam.csv.ab_c1234.tmp", f"{path.name}.ab_c1234.tmp", ".x.json.short.tmp",
        "mine.json.bak", f".{path.name}.ab_c1234.tmp.keep")]
    ClientStore(folder)
    assert not stale.exists()
    assert fresh.exists() and all(p.exists() for p in others)
    assert store.history("sam") == [rec()]


def test_open_leaves_temporary_copies_while_a_writer_holds_the_lock(tmp_path):
    import fcntl

    folder = tmp_path / "c"
    path = ClientStore(folder).save(rec())
    stale = _stale(folder, f".{path.name}.ab_c1234.tmp", 3600)
    with open(folder / ".lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        ClientStore(folder)
        assert stale.exists()
    ClientStore(folder)
    assert not stale.exists()


def test_open_creates_nothing(tmp_path):
    ClientStore(tmp_path / "c")
    assert not (tmp_path / "c").exists()


# --------------------------------------------------------------------------- delete / rename


def test_delete_removes_only_that_clients_file(tmp_path):
    folder = tmp_path / "c"
    store = ClientStore(folder)
    sam = store.save(rec("sam"))
    kim = store.save(rec("kim"))
    (folder / "notes.txt").write_text("mine")
    assert store.delete("sam") == sam
    assert not sam.exists() and kim.exists() and (folder / "notes.txt").exists()
    assert store.list_clients() == ["kim"]
    with pytest.raises(StorageError, match="no saved client 'sam'"):
        store.delete("sam")


def test_delete_refuses_a_file_that_holds_another_client(tmp_path):
    """A damaged or renamed file is not deleted by asking for another client's id."""
    store = ClientStore(tmp_path / "c")
    path = _damaged(store, _history_text(client_id="pat", assessments=[rec("pat")]))
    with pytest.raises(StorageError):
        store.delete("sam")
    assert path.exists()


def test_rename_moves_every_assessment_and_refuses_to_overwrite(tmp_path):
    store = ClientStore(tmp_path / "c")
    store.save(rec("Jane Smith", date="2026-11-02"))
    store.save(rec("Jane Smith", date="2026-12-01", notes="second"))
    store.save(rec("kim"))
    new_path = store.rename("Jane Smith", " JS-01 ")
    assert new_path == store.path_for("JS-01") and not store.path_for("Jane Smith").exists()
    assert store.list_clients() == ["JS-01", "kim"]
    history = store.history("JS-01")
    assert [r["client"]["id"] for r in history] == ["JS-01", "JS-01"]
    assert [r["date"] for r in history] == ["2026-11-02", "2026-12-01"]
    assert history[1]["notes"] == "second"
    before = store.path_for("kim").read_bytes()
    with pytest.raises(StorageError, match="already"):
        store.rename("JS-01", "kim")
    assert store.path_for("kim").read_bytes() == before and store.path_for("JS-01").exists()
    with pytest.raises(ValueError, match="control or invisible"):
        store.rename("JS-01", "x\ny")
    assert store.list_clients() == ["JS-01", "kim"] and leftovers(tmp_path / "c") == []


@pytest.mark.parametrize("doc", [
    {"schema": "x" * 1_000_000, "client_id": "sam", "assessments": []},
    {"schema": "lbp-client-history/1", "client_id": "sam", "assessments": [], "k" * 1_000_000: 1},
])
def test_damaged_file_message_shortens_echoed_values(tmp_path, doc):
    store = ClientStore(tmp_path / "c")
    _damaged(store, json.dumps(doc))
    [problem] = store.problems()
    assert len(str(problem)) < 600 and "…" in str(problem)


def test_duplicate_key_message_is_short(tmp_path):
    store = ClientStore(tmp_path / "c")
    key = "k" * 1_000_000
    _damaged(store, '{"%s": 1, "%s": 2}' % (key, key))
    [problem] = store.problems()
    assert len(str(problem)) < 600 and "twice" in str(problem)


def test_open_removes_a_copy_named_as_a_killed_save_names_it(tmp_path):
    """The temporary name comes from tempfile.mkstemp exactly as _atomic_write calls it,
    so the cleaner's pattern matches what a killed save really leaves."""
    import tempfile

    folder = tmp_path / "c"
    path = ClientStore(folder).save(rec())
    names = []
    for _ in range(20):
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        os.write(fd, path.read_bytes())
        os.close(fd)
        old = os.stat(tmp).st_mtime - 3600
        os.utime(tmp, (old, old))
        names.append(tmp)
    ClientStore(folder)
    assert leftovers(folder) == [] and path.exists()
