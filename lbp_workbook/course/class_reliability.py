"""The class reliability lab: how reliable are *our* measurements?

In the practical two learners measure the same partner (or one learner
measures the partner twice). The class file then has one row per reading,
with two optional columns beside the record's: ``rater`` (who measured, a
pseudonym) and ``trial`` (1 for the first reading, 2 for the second). Rows of
the same ``client.id`` are that person's repeated readings.

For every test and side with at least three people measured twice, the lab
computes from the pairs (:mod:`lbp_workbook.engine.reliability`): the standard
error of measurement (SEM), MDC95, the intraclass correlation (ICC(2,1),
named as Koo & Li 2016 name it) and the Bland-Altman bias and limits of
agreement, and sets them beside the test's published SEM and MDC95 (from the
test's data, with its source).

>>> lab = class_reliability(load_reliability_csv(reliability_example_path()))
>>> slr = [r for r in lab if r.test == "slr_deg" and r.side == "left"][0]
>>> slr.n_pairs, slr.design, slr.published_sem
(12, 'two raters', 2.6)

References
----------
Shrout PE, Fleiss JL 1979. Psychol Bull 86(2):420-428.
Koo TK, Li MY 2016. J Chiropr Med 15(2):155-163.
Bland JM, Altman DG 1986. Lancet 1(8476):307-310.
Weir JP 2005. J Strength Cond Res 19(1):231-240.
"""

from __future__ import annotations

import html as _html
import os
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, Sequence

from lbp_workbook.engine import reference
from lbp_workbook.engine import reliability as rel
from lbp_workbook.engine.storage import CsvProblem, read_csv_rows

__all__ = [
    "LAB_COLUMNS",
    "MIN_PAIRS",
    "ReliabilityData",
    "TestReliability",
    "reliability_example_path",
    "load_reliability_csv",
    "class_reliability",
    "reliability_table_html",
    "reliability_table",
    "bland_altman_chart",
    "bland_altman_alt",
]

#: The class file's optional columns for the lab: who measured, and which reading.
LAB_COLUMNS = ("rater", "trial")
#: Fewest people measured twice for a test to be analysed (an ICC from 2 is meaningless).
MIN_PAIRS = 3
RELIABILITY_EXAMPLE = "class_reliability.csv"


@dataclass(frozen=True)
class ReliabilityData:
    """A class file's good records, each with its rater and trial, and its problems.

    Attributes
    ----------
    records : tuple of dict
        Valid ``lbp-assessment/1`` records, in file order.
    raters : tuple of str
        The ``rater`` cell of each record ("" when empty).
    trials : tuple of str
        The ``trial`` cell of each record ("" when empty).
    problems : tuple of CsvProblem
        The bad rows' problems (those rows are skipped).
    source : str
        File name, for display.
    """

    records: tuple[dict, ...]
    raters: tuple[str, ...]
    trials: tuple[str, ...]
    problems: tuple[CsvProblem, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class TestReliability:
    """One test and side: the class's reliability beside the published figures.

    Attributes
    ----------
    test, name, side, unit : str
        Test id, its plain name, ``"left"``/``"right"``/None, unit.
    design : str
        ``"two raters"`` (different raters on each pair), ``"one rater twice"``
        or ``"mixed"``.
    n_pairs : int
        People measured twice.
    sem, mdc95 : float
        The class's SEM and MDC95 [unit].
    icc : Icc
        ICC(2,1) of the pairs, with its model name and source.
    agreement : BlandAltman
        Bias and 95 % limits of agreement (second minus first reading) [unit].
    published_sem, published_mdc95 : float or None
        The test's published figures [unit] (one reported, one derived).
    published_source : str
        Where they come from.
    """

    __test__ = False

    test: str
    name: str
    side: str | None
    unit: str
    design: str
    n_pairs: int
    sem: float
    mdc95: float
    icc: rel.Icc
    agreement: rel.BlandAltman = field(repr=False)
    published_sem: float | None
    published_mdc95: float | None
    published_source: str = field(repr=False, default="")

    @property
    def label(self) -> str:
        """Name and side, e.g. ``"Passive straight-leg raise, left"``."""
        return f"{self.name}, {self.side}" if self.side else self.name

    @property
    def ratio_to_published(self) -> float | None:
        """The class's SEM over the published SEM (how many times bigger)."""
        if not self.published_sem:
            return None
        return self.sem / self.published_sem


def reliability_example_path() -> Path:
    """Path of the synthetic reliability class file shipped with the workbook.

    Twelve synthetic partners, each measured by two learners (trial 1 and 2).

    >>> reliability_example_path().name
    'class_reliability.csv'
    """
    return Path(str(files("lbp_workbook") / "data" / "examples" / RELIABILITY_EXAMPLE))


def load_reliability_csv(path: str | os.PathLike) -> ReliabilityData:
    """Read a class file with ``rater`` and ``trial`` columns.

    Parameters
    ----------
    path : str or Path
        The class CSV (the workbook's CSV export columns, plus ``rater`` and
        ``trial``); one row per reading.

    Returns
    -------
    ReliabilityData

    Raises
    ------
    StorageError
        The file cannot be read as a CSV at all (see
        :func:`lbp_workbook.engine.storage.read_csv_rows`).
    """
    extras: list[dict] = []
    records, problems = read_csv_rows(path, extra_columns=LAB_COLUMNS, extras=extras)
    trials = tuple(e.get("trial", "") for e in extras)
    return ReliabilityData(tuple(records), tuple(e.get("rater", "") for e in extras), trials,
                           tuple(problems), Path(path).name)


def _reading(record: dict, test: reference.AssessmentTest, side: str | None) -> float | None:
    value: Any = record.get(test.section, {}).get(test.id)
    if side is not None:
        value = value.get(side) if isinstance(value, dict) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else None


def _trial_key(trial: str, index: int) -> tuple[int, int]:
    return (int(trial) if trial.isdigit() else 99, index)


def class_reliability(data: ReliabilityData) -> tuple[TestReliability, ...]:
    """Per test and side: the class's SEM, MDC95, ICC and agreement from the pairs.

    Parameters
    ----------
    data : ReliabilityData
        From :func:`load_reliability_csv`.

    Returns
    -------
    tuple of TestReliability
        In the order of the tests in the data; a test and side appear only with
        at least :data:`MIN_PAIRS` people measured twice.

    Notes
    -----
    A person's readings are ordered by ``trial`` (then file order) and the
    first two form the pair. The ICC is ICC(2,1) (Shrout & Fleiss 1979): two
    raters on the same partners are Koo & Li's (2016) "two-way random effects,
    absolute agreement, single rater"; one rater twice is their test-retest
    case, "two-way mixed effects, absolute agreement", which has the same
    formula. SEM = sqrt(MSE) and MDC95 = 1.96 x sqrt(2) x SEM (Weir 2005).
    """
    out: list[TestReliability] = []
    for test in reference.assessment_tests():
        sides = ("left", "right") if test.side_specific else (None,)
        for side in sides:
            by_person: dict[str, list[tuple[tuple[int, int], float, str]]] = {}
            for i, record in enumerate(data.records):
                value = _reading(record, test, side)
                if value is None:
                    continue
                person = str(record.get("client", {}).get("id", ""))
                by_person.setdefault(person, []).append(
                    (_trial_key(data.trials[i], i), value, data.raters[i]))
            pairs = []
            same_rater = []
            for readings in by_person.values():
                if len(readings) < 2:
                    continue
                first, second = sorted(readings)[:2]
                pairs.append((first[1], second[1]))
                same_rater.append(bool(first[2]) and first[2] == second[2])
            if len(pairs) < MIN_PAIRS:
                continue
            design = ("one rater twice" if all(same_rater)
                      else "two raters" if not any(same_rater) else "mixed")
            sem = rel.sem_from_table(pairs)
            me = test.measurement_error
            out.append(TestReliability(
                test=test.id, name=test.name, side=side, unit=test.unit, design=design,
                n_pairs=len(pairs), sem=sem, mdc95=rel.mdc95(sem),
                icc=rel.icc(pairs, "ICC(2,1)"),
                agreement=rel.bland_altman([a for a, _ in pairs], [b for _, b in pairs]),
                published_sem=me.sem if me else None,
                published_mdc95=me.mdc95 if me else None,
                published_source=me.source if me else "",
            ))
    return tuple(out)


def _f(value: float | None, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "not published"
    return f"{value:.{digits}f} {unit}".strip()


def reliability_table_html(rows: Sequence[TestReliability]) -> str:
    """The lab's results as an HTML table: ours beside the published figures.

    >>> html = reliability_table_html(class_reliability(
    ...     load_reliability_csv(reliability_example_path())))
    >>> "ICC(2,1)" in html and "<th scope=\\"col\\">Our SEM</th>" in html
    True
    """
    e = _html.escape
    head = ("Test", "Pairs", "Who measured", "Our SEM", "Published SEM", "Our MDC95",
            "Published MDC95", "Our ICC", "Bias (2nd − 1st)", "95 % limits of agreement")
    caption = ("Our class's measurement error beside the published figures (SEM and MDC95: "
               "Weir 2005; ICC(2,1): Shrout & Fleiss 1979, named as Koo & Li 2016; limits of "
               "agreement: Bland & Altman 1986)")
    lines = ['<style>.lbp-reliability th, .lbp-reliability td {text-align:left;'
             'vertical-align:top;padding:4px 8px;border-bottom:1px solid #ddd}</style>'
             f'<table class="lbp-reliability" style="border-collapse:collapse;font-size:0.92em"><caption>{e(caption)}</caption><thead><tr>'
             + "".join(f'<th scope="col">{e(h)}</th>' for h in head) + "</tr></thead><tbody>"]
    for r in rows:
        a = r.agreement
        cells = (
            r.label, str(r.n_pairs), r.design, _f(r.sem, r.unit), _f(r.published_sem, r.unit),
            _f(r.mdc95, r.unit), _f(r.published_mdc95, r.unit),
            f"{r.icc.value:.2f} ({r.icc.form.form})", _f(a.bias, r.unit),
            f"{a.lower:.1f} to {a.upper:.1f} {r.unit}",
        )
        lines.append('<tr><th scope="row">' + e(cells[0]) + "</th>"
                     + "".join(f"<td>{e(c)}</td>" for c in cells[1:]) + "</tr>")
    lines.append("</tbody></table>")
    return "".join(lines)


def reliability_table(rows: Sequence[TestReliability]):
    """The lab's results for a notebook: a Table (HTML in Jupyter, text with ``str()``).

    >>> rows = class_reliability(load_reliability_csv(reliability_example_path()))
    >>> str(reliability_table(rows)).splitlines()[1].startswith("Passive straight-leg raise, left")
    True
    """
    from lbp_workbook.views.tables import Table

    lines = ["test | pairs | our SEM | published SEM | our MDC95 | published MDC95 | our ICC"]
    for r in rows:
        lines.append(f"{r.label} | {r.n_pairs} | {_f(r.sem, r.unit)} | "
                     f"{_f(r.published_sem, r.unit)} | {_f(r.mdc95, r.unit)} | "
                     f"{_f(r.published_mdc95, r.unit)} | {r.icc.value:.2f} ({r.icc.form.form})")
    return Table(html=reliability_table_html(rows), text="\n".join(lines))


def bland_altman_alt(row: TestReliability) -> str:
    """Alt text of a Bland-Altman chart: what it shows, with its numbers."""
    a = row.agreement
    inside = sum(a.lower <= d <= a.upper for d in a.differences)
    return (f"Bland-Altman chart of the {row.label.lower()} measured twice ({row.design}): "
            f"{a.n} dots, one per person, with the mean of the two readings across "
            f"({min(a.means):.0f} to {max(a.means):.0f} {row.unit}) and the second minus the "
            f"first reading up the side. The mean difference (bias) is {a.bias:.1f} {row.unit}; "
            f"the 95 % limits of agreement run from {a.lower:.1f} to {a.upper:.1f} {row.unit}, "
            f"and {inside} of the {a.n} differences lie between them.")


def bland_altman_chart(row: TestReliability):
    """A Bland-Altman plot of one test's pairs (Bland & Altman 1986), as a FigureImage.

    Parameters
    ----------
    row : TestReliability

    Returns
    -------
    lbp_workbook.views.plotstyle.FigureImage
        The picture with :func:`bland_altman_alt` as its alt text.
    """
    from lbp_workbook.views.plotstyle import PALETTE, figure_image, new_figure, style_axes

    a = row.agreement
    fig = new_figure(7.0, 4.0)
    ax = fig.add_subplot(1, 1, 1)
    ax.scatter(a.means, a.differences, color=PALETTE["normal"], zorder=3)
    for y, text, style in ((a.bias, f"bias {a.bias:.1f}", "-"),
                           (a.upper, f"+1.96 SD {a.upper:.1f}", "--"),
                           (a.lower, f"−1.96 SD {a.lower:.1f}", "--")):
        ax.axhline(y, color=PALETTE["cutoff"], linestyle=style, linewidth=1.5)
        ax.annotate(f"{text} {row.unit}", xy=(1.0, y), xycoords=("axes fraction", "data"),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=10)
    ax.axhline(0, color=PALETTE["band"], linewidth=1)
    ax.set_xlabel(f"mean of the two readings ({row.unit})")
    ax.set_ylabel(f"second − first ({row.unit})")
    style_axes(ax)
    fig.subplots_adjust(left=0.12, right=0.76, bottom=0.16, top=0.95)
    return figure_image(fig, bland_altman_alt(row))
