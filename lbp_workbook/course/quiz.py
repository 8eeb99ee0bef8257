"""Checks of understanding: short quizzes shown with jupyterquiz.

Each quiz is a JSON file in ``lbp_workbook/data/quizzes/`` named after its
notebook (``03_hamstring_pelvis_pull.json``), holding a list of questions in
jupyterquiz's own JSON form::

    [{"question": "...", "type": "multiple_choice",
      "answers": [{"answer": "...", "correct": true, "feedback": "..."}, ...]}]

Rules checked by :func:`load_quiz` (and by ``tests/test_quiz.py`` for every
file in the folder):

- ``type`` is ``multiple_choice`` (exactly one correct answer) or
  ``many_choice`` (at least one correct answer);
- every question has at least two answers, and every answer has non-empty
  ``answer`` and ``feedback`` text and a boolean ``correct``;
- no LaTeX (``$`` or ``\\(``): MathJax in quizzes misbehaves under
  JupyterLab 4, and trainers do not need formulas here.

Why jupyterquiz: it draws the quiz as HTML and JavaScript from this JSON, so
a click gives feedback at once without a round trip to the kernel; it works
in JupyterLab, classic Notebook, Voila and Jupyter Book; and it shows the
feedback written for each answer, which is where the teaching happens.

Nothing is fetched from the internet. jupyterquiz's script typesets maths
with the page's MathJax, and when it finds a MathJax that cannot typeset
(JupyterLab 4's, Voila's) it loads MathJax 3 from cdn.jsdelivr.net. The
quizzes hold no maths (see the LaTeX rule above), so :func:`show_quiz` runs
jupyterquiz's script with ``MathJax`` hidden from it (:func:`offline_script`):
it neither typesets nor loads anything.

Importing this module is light: jupyterquiz and IPython are imported only
inside :func:`show_quiz`.

>>> "01_start_here" in quiz_names()
True
>>> questions = load_quiz("01_start_here")
>>> all(q["answers"] for q in questions)
True
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["QuizError", "load_quiz", "quiz_names", "show_quiz", "validate_quiz", "QUIZ_COLORS",
           "offline_script"]

#: Question types the workbook uses, with a description of the correct-answer rule.
QUESTION_TYPES = {
    "multiple_choice": "exactly one correct answer",
    "many_choice": "at least one correct answer",
}

#: jupyterquiz colours swapped for the Okabe-Ito palette, so right (blue) and
#: wrong (vermilion) stay distinct for colour-blind learners; the feedback
#: text says which it is as well.
QUIZ_COLORS = {
    "--jq-multiple-choice-bg": "#0072B2",
    "--jq-many-choice-bg": "#6A3D9A",
    "--jq-correct-color": "#0072B2",
    "--jq-incorrect-color": "#D55E00",
}

_LATEX_MARKS = ("$", "\\(", "\\[")


class QuizError(ValueError):
    """A quiz file is missing or does not follow the quiz format."""


def _quiz_dir():
    return resources.files("lbp_workbook") / "data" / "quizzes"


def quiz_names() -> list[str]:
    """Return the names of the quizzes shipped with the workbook, sorted.

    A name is the file name without ``.json``, e.g. ``"02_core_anatomy"``.
    """
    return sorted(
        entry.name[: -len(".json")]
        for entry in _quiz_dir().iterdir()
        if entry.name.endswith(".json")
    )


def _check_text(value: Any, where: str, field: str, problems: list[str]) -> None:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: '{field}' must be non-empty text")
        return
    if any(mark in value for mark in _LATEX_MARKS):
        problems.append(f"{where}: '{field}' contains LaTeX ($ or \\( ); write it in words")


def validate_quiz(data: Any, source: str = "quiz") -> list[dict]:
    """Check quiz data against the quiz format and return it.

    Parameters
    ----------
    data : list of dict
        The parsed JSON of one quiz.
    source : str
        The file (or name) the data came from, used in error messages.

    Returns
    -------
    list of dict
        ``data`` itself, unchanged.

    Raises
    ------
    QuizError
        Listing every problem found, one per line, each naming ``source``
        and the question (by number and its opening words).
    """
    if not isinstance(data, list) or not data:
        raise QuizError(f"{source}: a quiz must be a non-empty list of questions")
    problems: list[str] = []
    for number, question in enumerate(data, start=1):
        if not isinstance(question, dict):
            problems.append(f"{source}, question {number}: must be an object")
            continue
        text = question.get("question")
        label = f"question {number}"
        if isinstance(text, str) and text.strip():
            label += f" ({text.strip()[:40]!r})"
        where = f"{source}, {label}"
        _check_text(text, where, "question", problems)
        qtype = question.get("type")
        if qtype not in QUESTION_TYPES:
            problems.append(
                f"{where}: 'type' is {qtype!r}; use one of {', '.join(QUESTION_TYPES)}"
            )
        answers = question.get("answers")
        if not isinstance(answers, list) or len(answers) < 2:
            problems.append(f"{where}: needs a list of at least two 'answers'")
            continue
        n_correct = 0
        for a_number, answer in enumerate(answers, start=1):
            a_where = f"{where}, answer {a_number}"
            if not isinstance(answer, dict):
                problems.append(f"{a_where}: must be an object")
                continue
            _check_text(answer.get("answer"), a_where, "answer", problems)
            _check_text(answer.get("feedback"), a_where, "feedback", problems)
            if not isinstance(answer.get("correct"), bool):
                problems.append(f"{a_where}: 'correct' must be true or false")
            elif answer["correct"]:
                n_correct += 1
        if qtype == "multiple_choice" and n_correct != 1:
            problems.append(
                f"{where}: multiple_choice needs exactly one correct answer, found {n_correct}"
            )
        if qtype == "many_choice" and n_correct < 1:
            problems.append(f"{where}: many_choice needs at least one correct answer, found 0")
    if problems:
        raise QuizError("\n".join(problems))
    return data


def load_quiz(name: str | Path) -> list[dict]:
    """Load and check one quiz.

    Parameters
    ----------
    name : str or Path
        A quiz name from :func:`quiz_names` (``"02_core_anatomy"``), or the
        path of a ``.json`` file.

    Returns
    -------
    list of dict
        The questions, in jupyterquiz's JSON form.

    Raises
    ------
    QuizError
        If the quiz does not exist, is not valid JSON, or breaks the format;
        the message names the file and the question.
    """
    if isinstance(name, Path) or str(name).endswith(".json"):
        path = Path(name)
        label = str(path)
        if not path.is_file():
            raise QuizError(f"{label}: no such quiz file")
        text = path.read_text(encoding="utf-8")
    else:
        entry = _quiz_dir() / f"{name}.json"
        label = f"data/quizzes/{name}.json"
        if not entry.is_file():
            raise QuizError(f"{label}: no such quiz; known quizzes: {', '.join(quiz_names())}")
        text = entry.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise QuizError(f"{label}: not valid JSON ({err})") from err
    return validate_quiz(data, label)


def offline_script(script: str) -> str:
    """jupyterquiz's JavaScript, run where it cannot see a ``MathJax``.

    Every MathJax step in jupyterquiz's script (typesetting a drawn quiz or an answer's
    feedback, and loading MathJax 3 from a CDN when the page's MathJax cannot typeset)
    starts with ``typeof MathJax != 'undefined'``. Run inside a function whose parameter
    ``MathJax`` is undefined, every one of those tests is false: the quiz and its feedback
    are drawn as before, nothing is typeset and nothing is fetched. The page's own MathJax
    (JupyterLab's) is untouched.

    Parameters
    ----------
    script : str
        The script jupyterquiz displays (``application/javascript``).

    Returns
    -------
    str
        The same script wrapped in ``(function (MathJax) { ... }).call(this)``.

    >>> offline_script("f();").startswith("(function (MathJax) {")
    True
    """
    return (
        "(function (MathJax) {  // lbp_workbook.course.quiz: no MathJax, so no CDN script\n"
        f"{script}\n"
        "}).call(this);\n"
    )


def _quiz_outputs(questions: list[dict], shuffle_answers: bool) -> list[dict]:
    """What jupyterquiz displays for ``questions`` (its HTML, then its script), captured."""
    from IPython.utils.capture import capture_output
    from jupyterquiz import display_quiz  # heavy: keep out of `import lbp_workbook`

    with capture_output(stdout=False, stderr=False, display=True) as captured:
        display_quiz(questions, shuffle_answers=shuffle_answers, colors=QUIZ_COLORS)
    outputs = [dict(out.data) for out in captured.outputs]
    if not any("application/javascript" in data for data in outputs):
        raise RuntimeError("jupyterquiz displayed no script; is this running in IPython?")
    return outputs


def show_quiz(name: str | Path, shuffle_answers: bool = True) -> None:
    """Show a quiz in the notebook, with feedback on every answer.

    Parameters
    ----------
    name : str or Path
        As for :func:`load_quiz`.
    shuffle_answers : bool
        Shuffle the answer order each time the cell runs (default True).

    Notes
    -----
    The quiz runs in the browser (HTML and JavaScript); nothing a learner
    clicks is sent back to Python or saved, and the page fetches nothing from
    the internet for it (:func:`offline_script`).
    """
    questions = load_quiz(name)
    from IPython.display import display

    for data in _quiz_outputs(questions, shuffle_answers):
        script = data.get("application/javascript")
        if script is not None:
            data = {**data, "application/javascript": offline_script(script)}
        display(data, raw=True)
