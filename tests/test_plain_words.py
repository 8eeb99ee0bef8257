"""Plain words (issue 12 section 2): what a learner or a client reads never shows a record
field path, a rule id, an evidence code, an exception name or a data-file name.

Rendered for real: the assessment app with every example client loaded (the HTML of its
output widgets), every case card and reassessment decision, every lesson table, the command
line summary, and the client summary as HTML and as PDF text (pypdf). The forbidden words
are read from the package itself: field paths from ``record.FIELDS``, rule ids from
``data/rules.json``, file names from ``lbp_workbook/data``.
"""

from __future__ import annotations

import html as _html
import io
import json
import re
from functools import lru_cache
from importlib.resources import files

import pytest

import lbp_workbook as lbp
from lbp_workbook.cli import format_summary
from lbp_workbook.course import cases
from lbp_workbook.engine.examples import list_examples, load_example
from lbp_workbook.engine.record import FIELDS
from lbp_workbook.views import tables

EXCEPTIONS = ("ValueError", "RecordError", "KeyError", "TypeError", "Traceback")
#: An evidence code as a token: "(V2)", "[C]", "evidence V".
EVIDENCE_CODE = re.compile(r"[(\[](?:V|V2|C|R)[)\]]|\bevidence:? (?:V|V2|C|R)\b")


def _data_dir():
    return files("lbp_workbook") / "data"


@lru_cache(maxsize=1)
def forbidden() -> tuple[str, ...]:
    """Field paths (and their last parts, such as ``slr_deg``), rule ids and data-file names."""
    words: set[str] = set()
    for spec in FIELDS:
        words.add(spec.path)
        if spec.side_specific:
            words.update(f"{spec.path}.{side}" for side in ("left", "right"))
        last = spec.path.rsplit(".", 1)[-1]
        if "_" in last:
            words.add(last)

    def ids(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "id" and isinstance(value, str):
                    yield value
                yield from ids(value)
        elif isinstance(node, list):
            for value in node:
                yield from ids(value)

    rules = json.loads((_data_dir() / "rules.json").read_text(encoding="utf-8"))
    words.update(i for i in ids(rules) if "_" in i)  # "pain_now_phase2", "flexor_extensor"

    def names(folder):
        for entry in folder.iterdir():
            if entry.is_dir():
                yield from names(entry)
            elif entry.name.endswith((".json", ".csv")):
                yield entry.name

    words.update(names(_data_dir()))
    return tuple(sorted(words, key=len, reverse=True))


def problems(text: str) -> list[str]:
    """Every internal code in ``text`` (HTML tags and attributes removed first)."""
    plain = _html.unescape(re.sub(r"<[^>]+>", " ", text))
    found = [w for w in forbidden() if re.search(rf"(?<![\w.]){re.escape(w)}(?![\w])", plain)]
    found += [e for e in EXCEPTIONS if e in plain]
    found += EVIDENCE_CODE.findall(plain)
    found += re.findall(r"\b(?:progress|endurance|asymmetry|referral)\.[a-z_]+\b", plain)
    return found


def test_the_check_itself_finds_each_kind_of_code():
    """The check would fail on each thing issue 12 saw on screen."""
    assert "pain.now" in problems("pain.now: -1 is outside 0–10")
    assert "slr_deg" in problems("slr_deg left 62 deg (&lt; 80)")
    assert "rules.json" in problems("see <b>rules.json</b>")
    assert problems("evidence V") and problems("a source (V2)")
    assert "ValueError" in problems("⚠ ValueError: an entry is invalid")
    assert problems("rule progress.same_phase")
    assert problems("Passive straight-leg raise, left: 62 deg (checked in the original paper)") == []


def _widget_html(widget) -> list[str]:
    out = []
    if "lbp-output" in getattr(widget, "_dom_classes", ()) and isinstance(
            getattr(widget, "value", None), str):
        out.append(widget.value)
    for child in getattr(widget, "children", ()) or ():
        out += _widget_html(child)
    return out


@pytest.fixture(scope="module")
def app():
    return lbp.assessment_app()


@pytest.mark.parametrize("name", list_examples())
def test_app_output_in_plain_words(app, name):
    app.load_record(load_example(name))
    shown = _widget_html(app.widget)
    assert shown, "the app shows its result in output widgets"
    for text in shown:
        assert problems(text) == [], (name, problems(text))


@pytest.mark.parametrize("name", cases.list_cases())
def test_case_cards_and_decisions_in_plain_words(name):
    case = cases.load_case(name)
    for i in range(len(case.assessments)):
        card = case.card(i)
        assert problems(card.html) == [] and problems(card.text) == [], (name, i)
    decision = case.overall()
    assert problems(decision._repr_html_()) == [], name
    assert problems(case._repr_html_()) == [], name


def _lesson_tables():
    results = [lbp.assess(load_example(n)) for n in list_examples()]
    out = [tables.red_flag_table(), tables.trigger_table(), tables.reference_point_table(),
           tables.assessment_table(), tables.asymmetry_table(), tables.yellow_flag_table(),
           tables.start_back_table(), tables.flare_plan_table(), tables.return_checks_table(),
           tables.direction_table(*results)]
    for r in results:
        out += [tables.findings_reference_table(r), tables.ratio_table(r), tables.gate_table(r),
                tables.plan_table(r)]
    from lbp_workbook.engine.progress import decision_rules

    out.append(decision_rules())
    return out


def test_lesson_tables_in_plain_words():
    for table in _lesson_tables():
        assert problems(table._repr_html_()) == [], problems(table._repr_html_())
        assert problems(str(table)) == [], problems(str(table))


@pytest.mark.parametrize("name", list_examples())
def test_cli_summary_in_plain_words(name):
    text = format_summary(lbp.assess(load_example(name)))
    assert problems(text) == [], problems(text)
    assert "n/a" not in text and "True" not in text and "False" not in text


@pytest.mark.parametrize("name", list_examples())
def test_client_summary_html_in_plain_words(name):
    from lbp_workbook.views.report import summary_html

    page = re.sub(r"data:image/[^\"']+", "", summary_html(load_example(name)))
    assert problems(page) == [], problems(page)


@pytest.mark.parametrize("name", ["runner_sam", "red_flag_pat"])
def test_client_summary_pdf_in_plain_words(name):
    pypdf = pytest.importorskip("pypdf")
    from lbp_workbook.views.report import summary_pdf

    reader = pypdf.PdfReader(io.BytesIO(summary_pdf(load_example(name))))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    assert text.strip()
    assert problems(text) == [], problems(text)


def test_cli_json_help_in_plain_words():
    from lbp_workbook.cli import build_parser

    sub = build_parser()._subparsers._group_actions[0].choices["assess"]
    assert "to_dict" not in sub.format_help() and "Result." not in sub.format_help()
