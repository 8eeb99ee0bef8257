"""Quizzes: every shipped quiz follows the format; bad quiz data is rejected
with a message naming the file and the question."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import pytest

from lbp_workbook.course.quiz import QuizError, load_quiz, quiz_names, show_quiz, validate_quiz

QUIZ_DIR = resources.files("lbp_workbook") / "data" / "quizzes"
ALL_FILES = sorted(p.name for p in QUIZ_DIR.iterdir() if p.name.endswith(".json"))


def _good_question(**changes):
    q = {
        "question": "Which muscle wraps the trunk like a corset?",
        "type": "multiple_choice",
        "answers": [
            {"answer": "Transversus abdominis", "correct": True, "feedback": "Yes."},
            {"answer": "Biceps femoris", "correct": False, "feedback": "No, a hamstring."},
        ],
    }
    q.update(changes)
    return q


def _write(tmp_path, data, name="bad.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_quiz_names_lists_every_file():
    assert quiz_names() == [name[: -len(".json")] for name in ALL_FILES]
    assert "01_start_here" in quiz_names()


@pytest.mark.parametrize("filename", ALL_FILES)
def test_load_quiz_every_shipped_file_is_valid(filename):
    """Every file in data/quizzes/ (whoever wrote it) passes the format checks."""
    questions = load_quiz(filename[: -len(".json")])
    assert len(questions) >= 1
    for q in questions:
        correct = [a for a in q["answers"] if a["correct"]]
        if q["type"] == "multiple_choice":
            assert len(correct) == 1, q["question"]
        else:
            assert q["type"] == "many_choice" and len(correct) >= 1, q["question"]
        assert all(a["feedback"].strip() for a in q["answers"]), q["question"]


@pytest.mark.parametrize("filename", ALL_FILES)
def test_load_quiz_every_shipped_file_has_distinct_answers(filename):
    for q in load_quiz(filename[: -len(".json")]):
        texts = [a["answer"] for a in q["answers"]]
        assert len(texts) == len(set(texts)), q["question"]


def test_load_quiz_accepts_a_good_file(tmp_path):
    path = _write(tmp_path, [_good_question()], "good.json")
    assert load_quiz(path)[0]["type"] == "multiple_choice"


def test_load_quiz_rejects_two_correct_multiple_choice(tmp_path):
    q = _good_question()
    q["answers"][1]["correct"] = True
    path = _write(tmp_path, [_good_question(), q])
    with pytest.raises(QuizError) as err:
        load_quiz(path)
    msg = str(err.value)
    assert "bad.json" in msg and "question 2" in msg and "exactly one correct" in msg
    assert "found 2" in msg


def test_load_quiz_rejects_no_correct_multiple_choice(tmp_path):
    q = _good_question()
    q["answers"][0]["correct"] = False
    with pytest.raises(QuizError, match=r"bad\.json, question 1 .*found 0"):
        load_quiz(_write(tmp_path, [q]))


def test_load_quiz_rejects_many_choice_without_correct(tmp_path):
    q = _good_question(type="many_choice")
    q["answers"][0]["correct"] = False
    with pytest.raises(QuizError, match="many_choice needs at least one correct"):
        load_quiz(_write(tmp_path, [q]))


def test_load_quiz_accepts_many_choice_with_two_correct(tmp_path):
    q = _good_question(type="many_choice")
    q["answers"][1]["correct"] = True
    assert len(load_quiz(_write(tmp_path, [q]))) == 1


@pytest.mark.parametrize("feedback", [None, "", "   "])
def test_load_quiz_rejects_missing_feedback(tmp_path, feedback):
    q = _good_question()
    if feedback is None:
        del q["answers"][1]["feedback"]
    else:
        q["answers"][1]["feedback"] = feedback
    with pytest.raises(QuizError, match=r"bad\.json, question 1 .*answer 2: 'feedback'"):
        load_quiz(_write(tmp_path, [q]))


def test_load_quiz_rejects_unknown_type(tmp_path):
    with pytest.raises(QuizError, match="'type' is 'numeric'"):
        load_quiz(_write(tmp_path, [_good_question(type="numeric")]))


def test_load_quiz_rejects_non_boolean_correct(tmp_path):
    q = _good_question()
    q["answers"][0]["correct"] = "yes"
    with pytest.raises(QuizError, match="'correct' must be true or false"):
        load_quiz(_write(tmp_path, [q]))


def test_load_quiz_rejects_single_answer(tmp_path):
    q = _good_question()
    q["answers"] = q["answers"][:1]
    with pytest.raises(QuizError, match="at least two 'answers'"):
        load_quiz(_write(tmp_path, [q]))


def test_load_quiz_rejects_latex(tmp_path):
    with pytest.raises(QuizError, match="LaTeX"):
        load_quiz(_write(tmp_path, [_good_question(question="What is $x^2$?")]))


def test_load_quiz_rejects_empty_list_and_bad_json(tmp_path):
    with pytest.raises(QuizError, match="non-empty list"):
        load_quiz(_write(tmp_path, []))
    path = tmp_path / "broken.json"
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(QuizError, match=r"broken\.json: not valid JSON"):
        load_quiz(path)


def test_load_quiz_reports_every_problem_at_once(tmp_path):
    q1 = _good_question(type="numeric")
    q2 = _good_question()
    del q2["answers"][0]["feedback"]
    with pytest.raises(QuizError) as err:
        load_quiz(_write(tmp_path, [q1, q2]))
    lines = str(err.value).splitlines()
    assert any("question 1" in line for line in lines)
    assert any("question 2" in line for line in lines)


def test_load_quiz_unknown_name_lists_known():
    with pytest.raises(QuizError, match="no such quiz.*01_start_here"):
        load_quiz("99_nope")


def test_validate_quiz_names_source():
    with pytest.raises(QuizError, match="^my-source"):
        validate_quiz([{"question": ""}], "my-source")


def test_show_quiz_displays_html_and_a_script_that_cannot_see_mathjax():
    """show_quiz displays jupyterquiz's HTML block and its script carrying the question
    text; the script runs with MathJax shadowed, so jupyterquiz's CDN loader (still in
    its code) is never reached (the browser test proves no request leaves the machine)."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()  # a real IPython display publisher, as in a kernel
    with capture_output() as captured:
        show_quiz("01_start_here")
    kinds = [sorted(k for k in out.data if k != "text/plain") for out in captured.outputs]
    assert kinds == [["text/html"], ["application/javascript"]]
    script = captured.outputs[1].data["application/javascript"]
    assert script.startswith("(function (MathJax) {")
    assert script.rstrip().endswith("}).call(this);")
    assert "https://cdn.jsdelivr.net/npm/mathjax" in script  # jupyterquiz's, now unreachable
    first = load_quiz("01_start_here")[0]["question"]
    assert json.dumps(first)[1:-1] in script


def test_import_quiz_stays_light():
    code = (
        "import sys, lbp_workbook.course.quiz as q\n"
        "q.load_quiz('01_start_here')\n"
        "print(','.join(m for m in ('jupyterquiz', 'IPython', 'matplotlib') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
