"""Reliability from repeated readings: ICC, SEM, MDC95 and Bland-Altman limits.

Pure functions over plain numbers (no NumPy, no statistics library): the
readings form an n x k table, one row per person measured (the *target*),
one column per rater or per trial. The two-way analysis of variance of that
table gives every intraclass correlation of Shrout & Fleiss (1979) and the
standard error of measurement (Weir 2005); the paired differences give the
Bland-Altman bias and 95 % limits of agreement (Bland & Altman 1986).

The worked example of Shrout & Fleiss (1979, Table 2): six targets rated by
four judges.

>>> table = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8],
...          [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
>>> [round(icc(table, form).value, 2) for form in ("ICC(1,1)", "ICC(2,1)", "ICC(3,1)")]
[0.17, 0.29, 0.71]

References
----------
Shrout PE, Fleiss JL 1979. Intraclass correlations: uses in assessing rater
reliability. Psychol Bull 86(2):420-428.
Koo TK, Li MY 2016. A guideline of selecting and reporting intraclass
correlation coefficients for reliability research. J Chiropr Med 15(2):155-163.
Weir JP 2005. Quantifying test-retest reliability using the intraclass
correlation coefficient and the SEM. J Strength Cond Res 19(1):231-240.
Bland JM, Altman DG 1986. Statistical methods for assessing agreement between
two methods of clinical measurement. Lancet 1(8476):307-310.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from lbp_workbook.engine.reference import read_data

__all__ = [
    "ICC_FORMS",
    "IccForm",
    "MeanSquares",
    "Icc",
    "BlandAltman",
    "z95",
    "mean_squares",
    "icc",
    "sem_from_table",
    "mdc95",
    "bland_altman",
]


@dataclass(frozen=True)
class IccForm:
    """One intraclass correlation: Shrout & Fleiss's label and Koo & Li's name.

    Attributes
    ----------
    form : str
        Shrout & Fleiss (1979) label, e.g. ``"ICC(2,1)"``.
    model : str
        The model, type and definition in Koo & Li's (2016) words.
    source : str
        Short citations of the formula and of the name.
    """

    form: str
    model: str
    source: str


#: The six forms of Shrout & Fleiss (1979), named as Koo & Li (2016) name them.
ICC_FORMS: dict[str, IccForm] = {
    f.form: f for f in (
        IccForm("ICC(1,1)", "one-way random effects, absolute agreement, single rater",
                "Shrout & Fleiss 1979; Koo & Li 2016"),
        IccForm("ICC(2,1)", "two-way random effects, absolute agreement, single rater",
                "Shrout & Fleiss 1979; Koo & Li 2016"),
        IccForm("ICC(3,1)", "two-way mixed effects, consistency, single rater",
                "Shrout & Fleiss 1979; Koo & Li 2016"),
        IccForm("ICC(1,k)", "one-way random effects, absolute agreement, mean of k raters",
                "Shrout & Fleiss 1979; Koo & Li 2016"),
        IccForm("ICC(2,k)", "two-way random effects, absolute agreement, mean of k raters",
                "Shrout & Fleiss 1979; Koo & Li 2016"),
        IccForm("ICC(3,k)", "two-way mixed effects, consistency, mean of k raters",
                "Shrout & Fleiss 1979; Koo & Li 2016"),
    )
}


@dataclass(frozen=True)
class MeanSquares:
    """The analysis of variance of an n x k table (Shrout & Fleiss 1979, Table 1).

    Attributes
    ----------
    n, k : int
        Targets (rows) and raters or trials (columns).
    bms : float
        Between-targets mean square [unit^2].
    wms : float
        Within-target mean square (one-way) [unit^2].
    jms : float
        Between-judges (raters or trials) mean square [unit^2].
    ems : float
        Residual mean square of the two-way model [unit^2].
    """

    n: int
    k: int
    bms: float
    wms: float
    jms: float
    ems: float


@dataclass(frozen=True)
class Icc:
    """An intraclass correlation and what it is.

    Attributes
    ----------
    value : float
        The coefficient (dimensionless; may be below 0 for very poor agreement).
    form : IccForm
        Which ICC: Shrout & Fleiss label, Koo & Li name, sources.
    n, k : int
        Targets and raters or trials it was computed from.
    """

    value: float
    form: IccForm
    n: int
    k: int


@dataclass(frozen=True)
class BlandAltman:
    """Bland-Altman agreement of paired readings (second minus first).

    Attributes
    ----------
    means : tuple of float
        Mean of each pair [unit] (the plot's x axis).
    differences : tuple of float
        Second minus first reading of each pair [unit] (the plot's y axis).
    bias : float
        Mean difference [unit].
    sd_difference : float
        Sample standard deviation of the differences [unit].
    lower, upper : float
        95 % limits of agreement, bias -/+ 1.96 x SD [unit].
    """

    means: tuple[float, ...]
    differences: tuple[float, ...]
    bias: float
    sd_difference: float
    lower: float
    upper: float

    @property
    def n(self) -> int:
        """Number of pairs."""
        return len(self.differences)


def z95() -> float:
    """The two-sided 95 % normal quantile the workbook uses (1.96), from the data.

    >>> z95()
    1.96

    References
    ----------
    Weir JP 2005, J Strength Cond Res 19(1):231-240.
    """
    return float(read_data("assessment_tests.json")["measurement_error_method"]["z95"])


def _table(table: Sequence[Sequence[float]]) -> list[list[float]]:
    rows = [[float(x) for x in row] for row in table]
    if len(rows) < 2:
        raise ValueError(f"readings: {len(rows)} person(s) measured; at least 2 are needed")
    k = len(rows[0])
    if k < 2:
        raise ValueError(f"readings: {k} reading(s) per person; at least 2 are needed")
    for i, row in enumerate(rows, start=1):
        if len(row) != k:
            raise ValueError(f"readings: person {i} has {len(row)} readings, the first has {k}")
        if any(not math.isfinite(x) for x in row):
            raise ValueError(f"readings: person {i} has a reading that is not a number")
    return rows


def mean_squares(table: Sequence[Sequence[float]]) -> MeanSquares:
    """Mean squares of the one-way and two-way ANOVA of an n x k table.

    Parameters
    ----------
    table : sequence of sequence of float
        One row per target, one column per rater or trial [unit]; n >= 2, k >= 2.

    Returns
    -------
    MeanSquares

    Raises
    ------
    ValueError
        Fewer than 2 rows or columns, ragged rows, or a value that is not a number.

    References
    ----------
    Shrout PE, Fleiss JL 1979, Psychol Bull 86(2):420-428, Table 1.
    """
    rows = _table(table)
    n, k = len(rows), len(rows[0])
    grand = sum(map(sum, rows)) / (n * k)
    row_means = [sum(r) / k for r in rows]
    col_means = [sum(r[j] for r in rows) / n for j in range(k)]
    ss_total = sum((x - grand) ** 2 for r in rows for x in r)
    ss_rows = k * sum((m - grand) ** 2 for m in row_means)
    ss_cols = n * sum((m - grand) ** 2 for m in col_means)
    ss_within = ss_total - ss_rows
    ss_error = ss_total - ss_rows - ss_cols
    return MeanSquares(
        n=n, k=k,
        bms=ss_rows / (n - 1),
        wms=ss_within / (n * (k - 1)),
        jms=ss_cols / (k - 1),
        ems=ss_error / ((n - 1) * (k - 1)),
    )


def icc(table: Sequence[Sequence[float]], form: str = "ICC(2,1)") -> Icc:
    """An intraclass correlation of an n x k table of readings.

    Parameters
    ----------
    table : sequence of sequence of float
        One row per target (person measured), one column per rater or trial.
    form : str
        One of :data:`ICC_FORMS` (Shrout & Fleiss labels). ``"ICC(2,1)"``
        (two-way, absolute agreement, single rater) suits two raters measuring
        the same partners, and one rater measuring twice (Koo & Li 2016 name
        the test-retest case two-way mixed, absolute agreement: the same
        formula).

    Returns
    -------
    Icc

    Raises
    ------
    ValueError
        An unknown form, or a table :func:`mean_squares` refuses.

    References
    ----------
    Shrout PE, Fleiss JL 1979, Psychol Bull 86(2):420-428.
    Koo TK, Li MY 2016, J Chiropr Med 15(2):155-163.
    """
    if form not in ICC_FORMS:
        raise ValueError(f"ICC form: {form!r} is not one of {', '.join(ICC_FORMS)}")
    ms = mean_squares(table)
    n, k = ms.n, ms.k
    if form == "ICC(1,1)":
        num, den = ms.bms - ms.wms, ms.bms + (k - 1) * ms.wms
    elif form == "ICC(2,1)":
        num = ms.bms - ms.ems
        den = ms.bms + (k - 1) * ms.ems + k * (ms.jms - ms.ems) / n
    elif form == "ICC(3,1)":
        num, den = ms.bms - ms.ems, ms.bms + (k - 1) * ms.ems
    elif form == "ICC(1,k)":
        num, den = ms.bms - ms.wms, ms.bms
    elif form == "ICC(2,k)":
        num, den = ms.bms - ms.ems, ms.bms + (ms.jms - ms.ems) / n
    else:  # ICC(3,k)
        num, den = ms.bms - ms.ems, ms.bms
    value = num / den if den else float("nan")
    return Icc(value, ICC_FORMS[form], n, k)


def sem_from_table(table: Sequence[Sequence[float]]) -> float:
    """Standard error of measurement: the square root of the ANOVA's residual mean square.

    For two readings per person this is the SD of the differences / sqrt(2).

    Parameters
    ----------
    table : sequence of sequence of float
        One row per person, one column per rater or trial [unit].

    Returns
    -------
    float
        SEM [unit].

    References
    ----------
    Weir JP 2005, J Strength Cond Res 19(1):231-240 (SEM = sqrt(MSE)).

    >>> round(sem_from_table([[10, 12], [20, 19], [30, 33]]), 3)
    1.472
    """
    return math.sqrt(mean_squares(table).ems)


def mdc95(sem: float) -> float:
    """Minimal detectable change at 95 %: 1.96 x sqrt(2) x SEM [unit].

    >>> round(mdc95(2.5), 2)
    6.93

    References
    ----------
    Weir JP 2005, J Strength Cond Res 19(1):231-240.
    """
    return z95() * math.sqrt(2.0) * sem


def bland_altman(first: Sequence[float], second: Sequence[float]) -> BlandAltman:
    """Bias and 95 % limits of agreement of paired readings.

    Parameters
    ----------
    first, second : sequence of float
        The two readings of each person, in the same order [unit]; at least 2 pairs.

    Returns
    -------
    BlandAltman

    Raises
    ------
    ValueError
        Unequal lengths or fewer than 2 pairs.

    References
    ----------
    Bland JM, Altman DG 1986, Lancet 1(8476):307-310.

    >>> ba = bland_altman([10, 20, 30], [12, 19, 33])
    >>> round(ba.bias, 3), round(ba.sd_difference, 3)
    (1.333, 2.082)
    """
    a, b = [float(x) for x in first], [float(x) for x in second]
    if len(a) != len(b):
        raise ValueError(f"readings: {len(a)} first readings but {len(b)} second readings")
    if len(a) < 2:
        raise ValueError(f"readings: {len(a)} pair(s); at least 2 are needed")
    diffs = tuple(y - x for x, y in zip(a, b))
    means = tuple((x + y) / 2 for x, y in zip(a, b))
    bias = sum(diffs) / len(diffs)
    sd = math.sqrt(sum((d - bias) ** 2 for d in diffs) / (len(diffs) - 1))
    z = z95()
    return BlandAltman(means, diffs, bias, sd, bias - z * sd, bias + z * sd)
