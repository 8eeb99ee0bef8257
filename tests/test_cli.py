"""Command line: real subprocesses on real files in tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lbp_workbook.cli import build_parser, main
from lbp_workbook.engine.result import EDUCATIONAL_NOTICE  # noqa: F401
from lbp_workbook.views import wording

VALID = {
    "schema": "lbp-assessment/1",
    "client": {"id": "sam", "age": 34},
    "date": "2024-03-01",
    "pain": {"now": 2, "during_exercise": 2, "painful_directions": ["flexion"]},
    "flexibility": {"slr_deg": {"left": 62, "right": 66}},
    "control": {"holds_neutral_pelvis": True, "big3_tolerated": True},
}


def run(*args, stdin=b""):
    proc = subprocess.run(
        [sys.executable, "-m", "lbp_workbook", *args],
        input=stdin, capture_output=True, timeout=120,
    )
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert "Traceback" not in err and "Traceback" not in out
    return proc.returncode, out, err


def write(tmp_path, content, name="rec.json"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def test_cli_assess_valid_summary_order(tmp_path):
    code, out, err = run("assess", write(tmp_path, json.dumps(VALID)))
    assert code == 0 and err == ""
    first_notice = out.index(wording.EDUCATIONAL_SHORT)
    assert out.index("Referral") < first_notice < out.index("Findings (flexibility")
    assert out.index("Findings (flexibility") < out.index("Phase 2 · ") < out.index("Exercise plan")
    assert "hamstrings" in out


def test_cli_assess_json_matches_result(tmp_path):
    from lbp_workbook import assess

    code, out, _ = run("assess", "--json", write(tmp_path, json.dumps(VALID)))
    assert code == 0
    assert json.loads(out) == json.loads(json.dumps(assess(VALID).to_dict()))


def test_cli_assess_stdin():
    code, out, _ = run("assess", "-", "--json", stdin=json.dumps(VALID).encode())
    assert code == 0 and json.loads(out)["phase"] == 2


def test_cli_assess_referral_first(tmp_path):
    data = dict(VALID, screening={"red_flags": ["saddle_numbness"]})
    code, out, _ = run("assess", write(tmp_path, json.dumps(data)))
    assert code == 0
    assert out.splitlines()[2].startswith("REFER — EMERGENCY: THE SAME DAY")
    assert "Exercise plan: none while a referral is needed" in out
    assert "Gates" not in out and " met" not in out  # no gates applied while referring


def test_cli_assess_referral_findings_not_a_basis_for_training(tmp_path):
    """Sam's tight hamstrings with a red flag: recorded for the provider, no focus area offered."""
    findings = wording.REFERRAL_FINDINGS
    assert findings.startswith("Recorded for the medical provider")
    data = dict(VALID, screening={"red_flags": ["cancer_history"]})
    code, out, _ = run("assess", write(tmp_path, json.dumps(data)))
    assert code == 0 and out.splitlines()[2].startswith("REFER — URGENT")
    assert "short: below 80 deg" in out  # the findings are still recorded...
    assert f"Measurements recorded: {findings}" in out  # ...and say what they are for
    assert out.index(findings) < out.index("Findings (flexibility")
    assert "Focus areas" not in out


def test_cli_assess_focus_areas_without_referral(tmp_path):
    code, out, _ = run("assess", write(tmp_path, json.dumps(VALID)))
    assert code == 0 and "Focus areas: hamstrings" in out
    assert "Recorded for the medical provider" not in out


def test_cli_assess_plan_gives_each_dose_its_source(tmp_path):
    """Every planned exercise is followed by its why and its data/exercises.json source."""
    from lbp_workbook import assess

    code, out, _ = run("assess", write(tmp_path, json.dumps(VALID)))
    assert code == 0
    lines = out.splitlines()
    exercises = assess(VALID).exercises
    assert exercises
    for e in exercises:
        i = lines.index(f"  - {e.name} ({e.kind}): {wording.dosage(e.dosage)}")
        assert lines[i + 1] == f"      why: {wording.reasons(e.why)}"
        assert lines[i + 2] == f"      source: {e.source} ({wording.evidence_words(e.evidence)})"


@pytest.mark.parametrize("extra", [["assess"], ["assess", "--json"], ["report", "--html"]])
def test_cli_duplicate_json_key_exit_2(tmp_path, extra):
    """{"client": {"id": "a"}, "client": {"id": "b"}} is refused, never read as client b."""
    text = json.dumps(VALID)[:-1] + ', "client": {"id": "b"}}'
    assert json.loads(text)["client"] == {"id": "b"}  # what plain json.loads would keep
    path = write(tmp_path, text)
    args = [extra[0], path, *extra[1:]]
    if "--html" in args:
        args.append(str(tmp_path / "x.html"))
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        f"{path}: not usable JSON: the key 'client' appears twice in one object; "
        "each key may appear only once"]
    assert not (tmp_path / "x.html").exists()


def test_cli_duplicate_key_in_nested_object_stdin():
    text = b'{"schema": "lbp-assessment/1", "client": {"id": "a", "id": "b"}}'
    code, out, err = run("assess", "-", stdin=text)
    assert code == 2 and out == ""
    assert err.strip() == ("<stdin>: not usable JSON: the key 'id' appears twice in one "
                           "object; each key may appear only once")


def test_cli_assess_released_triggers_shown(tmp_path):
    data = dict(VALID, screening={"lower_back_injury": True, "medical_clearance": True})
    code, out, _ = run("assess", write(tmp_path, json.dumps(data)))
    assert code == 0
    assert "released by medical clearance" in out and "Lower back injury" in out
    assert "Phase 2 · " in out


def test_cli_assess_invalid_lists_every_problem(tmp_path):
    data = dict(VALID, flexibility={"slr_deg": {"left": 140, "right": "80"}}, extra=1)
    code, out, err = run("assess", write(tmp_path, json.dumps(data)))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert "flexibility.slr_deg.left: 140 is outside 0–130 deg" in lines
    assert any(line.startswith("flexibility.slr_deg.right:") for line in lines)
    assert any(line.startswith("extra: unknown field") for line in lines)


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (json.dumps(VALID)[:40].encode(), "not valid JSON"),
        (b"\xff\xfe\x00garbage\x80", "not UTF-8"),
        (bytes(range(256)), "not UTF-8"),
        (b"hello, trainer", "not valid JSON"),
        (b"[1, 2, 3]", "not a record"),
        (b"NaN", "not a record"),
        (b"[" * 100000, "nested too deeply"),
        (b"1" * 5000, "not usable JSON"),
    ],
)

def test_cli_assess_malformed_input_exit_2(tmp_path, content, needle):
    code, out, err = run("assess", write(tmp_path, content))
    assert code == 2 and out == ""
    assert needle in err
    assert len(err.strip().splitlines()) == 1


def test_cli_assess_missing_file(tmp_path):
    code, _, err = run("assess", str(tmp_path / "nope.json"))
    assert code == 2 and "no such file" in err


def test_cli_assess_directory(tmp_path):
    code, _, err = run("assess", str(tmp_path))
    assert code == 2 and "folder" in err


def test_cli_usage_errors_exit_2():
    code, _, err = run()
    assert code == 2 and "usage" in err
    code, _, err = run("assess")
    assert code == 2 and "FILE" in err


def test_main_in_process_returns_exit_code(tmp_path, capsys):
    """main() returns the status instead of exiting (the console script wraps it)."""
    assert main(["assess", write(tmp_path, json.dumps(VALID))]) == 0
    assert "Phase 2 · " in capsys.readouterr().out
    assert main(["assess", write(tmp_path, "{}", "bad.json")]) == 2
    err = capsys.readouterr().err
    assert "schema: missing" in err and "client: missing" in err


def test_build_parser_has_assess_subcommand():
    args = build_parser().parse_args(["assess", "x.json"])
    assert (args.command, args.file, args.json) == ("assess", "x.json", False)


# --------------------------------------------------------------------------- issue 10


@pytest.mark.parametrize("bad", ["sam\nReferral: not needed", "sam\x1b[2J", "sam\u202e"])
def test_cli_assess_refuses_control_characters_in_the_id(tmp_path, bad):
    """An id cannot forge a line ("Referral: not needed") or send terminal escape codes."""
    record = dict(VALID, client={"id": bad})
    code, out, err = run("assess", write(tmp_path, json.dumps(record)))
    assert code == 2 and out == ""
    assert "client.id" in err and "control or invisible character" in err
    assert err.isascii() or err.replace("\n", "").isprintable()
    assert "\x1b" not in err and "\u202e" not in err and "Referral: not needed" not in out
    assert len(err.strip().splitlines()) == 1


def test_format_summary_escapes_control_characters_in_the_id():
    """Defence in depth: even a Result whose id holds a newline prints it as \\u000a."""
    import dataclasses

    from lbp_workbook import assess
    from lbp_workbook.cli import format_summary

    result = dataclasses.replace(assess(VALID), client_id="sam\nReferral: not needed\x1b[2J")
    text = format_summary(result)
    assert text.splitlines()[0] == ("LBP Workbook assessment: client "
                                    "sam\\u000aReferral: not needed\\u001b[2J, 2024-03-01")
    assert "\x1b" not in text
    assert [line for line in text.splitlines() if line.startswith("Referral")] == [
        "Referral: not needed (no red flag or referral trigger recorded)"]
    assert not any(line.startswith("Referral") for line in text.splitlines()[1:2])


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_cli_assess_endless_input_is_capped(device):
    """/dev/zero grew to GBs and /dev/urandom never ended: the input is capped at 1 MB."""
    from lbp_workbook.cli import MAX_INPUT_BYTES

    code, out, err = run("assess", device)
    assert code == 2 and out == ""
    assert device in err and "1 MB" in err and len(err) < 400
    assert MAX_INPUT_BYTES == 1_000_000


def test_cli_assess_stdin_too_large_is_capped():
    code, _, err = run("assess", "-", stdin=b" " * 1_000_001)
    assert code == 2 and "<stdin>" in err and "larger than 1 MB" in err


def test_cli_assess_help_says_the_input_limit():
    code, out, _ = run("assess", "--help")
    assert code == 0 and "1 MB" in out


def test_cli_long_unknown_or_duplicate_key_gives_a_short_line(tmp_path):
    key = "k" * 1_000_000
    for text in (json.dumps(dict(VALID, **{key: 1})), '{"%s": 1, "%s": 2}' % (key, key)):
        code, out, err = run("assess", write(tmp_path, text))
        assert code == 2 and len(err) < 600, len(err)


def test_cli_assess_leg_spread_refers_before_training(tmp_path):
    """The leg-spread answer (issue 9, section 1; the workbook's referral policy) refers before
    training whatever clearance; the CLI names it in plain words and says whom to contact."""
    rec = dict(VALID, screening={"symptoms_spread_to_leg": True, "medical_clearance": True})
    code, out, _ = run("assess", write(tmp_path, json.dumps(rec)))
    assert code == 0
    assert "REFER — BEFORE ANY TRAINING" in out
    assert "Symptoms spread into a leg during or after exercise" in out
    assert "Who to contact: A physician or physical therapist" in out
    assert "Training on hold until cleared" in out and "symptoms_spread_to_leg" not in out


def test_cli_assess_released_risk_factor_and_emergency_contact(tmp_path):
    """A cleared risk factor is released with the clinician's guidance; an emergency sign sends
    the client to the emergency department (A&E in the UK) whatever clearance."""
    rec = dict(VALID, screening={"red_flags": ["osteoporosis_or_steroids"],
                                 "medical_clearance": True})
    code, out, _ = run("assess", write(tmp_path, json.dumps(rec)))
    assert code == 0 and "Released by medical clearance (still noted): Osteoporosis" in out
    assert "Train within the clinician's written guidance." in out and "Phase 2 · " in out
    rec["screening"]["red_flags"].append("sexual_dysfunction")
    code, out, _ = run("assess", write(tmp_path, json.dumps(rec)))
    assert code == 0 and "REFER — EMERGENCY: THE SAME DAY" in out
    assert "Who to contact: The emergency department, the same day (in the UK, A&E)" in out
    assert "New sexual problems" in out and "sign present now" in out


def test_cli_assess_json_carries_sem_and_mdc95(tmp_path):
    """assess --json: each finding whose test has a known error carries sem and mdc95 in the
    test's unit (SLR SEM 2.6 deg, J Sport Rehabil 2015, doi:10.1123/jsr.2014-0220; MDC95 =
    1.96 x sqrt(2) x SEM = 7.2 deg, Weir 2005), and each side-bridge time too (typical error
    11 s, Juan-Recio et al. 2022 -> 30.5 s); a test without a known error carries null."""
    data = dict(VALID, flexibility={"slr_deg": {"left": 76, "right": 66}, "hip_ir_deg": {"left": 35}},
                endurance={"side_bridge_s": {"left": 60, "right": 64}})
    code, out, _ = run("assess", "--json", write(tmp_path, json.dumps(data)))
    assert code == 0
    result = json.loads(out)
    slr = {f["side"]: f for f in result["flexibility"] if f["test"] == "slr_deg"}
    assert (slr["left"]["sem"], slr["left"]["mdc95"]) == (2.6, 7.2)
    assert slr["left"]["within_error_of_cutoff"] is True  # 76 deg: 80 is inside 76 +/- 5.1
    assert slr["right"]["within_error_of_cutoff"] is False
    assert "measurement_error" not in slr["left"] and "Weir" in slr["left"]["measurement_error_source"]
    ir = next(f for f in result["flexibility"] if f["test"] == "hip_ir_deg")
    assert (ir["sem"], ir["mdc95"], ir["within_error_of_cutoff"]) == (None, None, None)
    assert result["endurance"]["measurement_errors"] == {
        "side_bridge_s.left": {"sem": 11.0, "mdc95": 30.5},
        "side_bridge_s.right": {"sem": 11.0, "mdc95": 30.5},
    }


def test_cli_summary_says_within_measurement_error_of_the_cut_off(tmp_path):
    """SLR 76 deg: the 80 deg reference point lies inside 76 +/- 1.96 x SEM 2.6 deg (J Sport
    Rehabil 2015; Weir 2005), so the summary says so; 66 deg is clearly short."""
    data = dict(VALID, flexibility={"slr_deg": {"left": 76, "right": 66}})
    code, out, _ = run("assess", write(tmp_path, json.dumps(data)))
    left = next(ln for ln in out.splitlines() if "Passive straight-leg raise, left" in ln)
    right = next(ln for ln in out.splitlines() if "Passive straight-leg raise, right" in ln)
    assert "within measurement error of the cut-off" in left
    assert "within measurement error" not in right
