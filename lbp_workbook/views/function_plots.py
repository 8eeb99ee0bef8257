"""The PSFS chart: a client's average Patient-Specific Functional Scale score over visits.

A picture (PNG with alt text), not a widget: matplotlib is imported only when
it is drawn. The smallest real change comes from ``data/person.json``.
"""

from __future__ import annotations

from typing import Any, Sequence

from lbp_workbook.engine.person import psfs_average, psfs_rule

__all__ = ["psfs_chart"]


def psfs_chart(records: Sequence[Any], name: str = "the client") -> Any:
    """A picture of the average PSFS score at each visit, with the smallest real change.

    Parameters
    ----------
    records : sequence of Record or mapping
        The visits in date order.
    name : str
        The client's name for the alt text.

    Returns
    -------
    plotstyle.FigureImage
        PNG with alt text that gives every visit's average and says which
        changes are larger than the PSFS's smallest real change.
    """
    from lbp_workbook.engine.record import validate_record
    from lbp_workbook.views import tables
    from lbp_workbook.views.plotstyle import PALETTE, figure_image, new_figure, style_axes

    recs = [validate_record(r).to_dict() for r in records]
    rule = psfs_rule()
    points = [(r.get("date") or f"visit {i + 1}", psfs_average(r)) for i, r in enumerate(recs)]
    points = [(d, a) for d, a in points if a is not None]
    fig = new_figure(7.5, 3.6, dpi=100)
    ax = fig.add_subplot(111)
    xs = list(range(len(points)))
    ys = [a for _, a in points]
    if points:
        first = ys[0]
        ax.axhspan(first - rule.mdc_average_points, first + rule.mdc_average_points,
                   color=PALETTE["band"], alpha=0.25, lw=0)
        ax.text(0.02, first - rule.mdc_average_points - 0.2,
                f"within ±{rule.mdc_average_points:g} of the first visit: cannot be told apart from noise",
                transform=ax.get_yaxis_transform(), fontsize=9, color="#333", va="top")
        ax.plot(xs, ys, "o-", color=PALETTE["normal"], lw=2, ms=7)
        for x, y in zip(xs, ys):
            ax.annotate(f"{y:.1f}", (x, y), textcoords="offset points", xytext=(0, 8),
                        ha="center", fontsize=10)
    ax.set_xticks(xs, [d for d, _ in points])
    ax.set_ylim(rule.score_min, rule.score_max)
    ax.set_xlim(-0.4, max(len(points) - 0.6, 0.6))
    ax.set_ylabel("average PSFS score [0-10]")
    style_axes(ax)
    fig.subplots_adjust(left=0.11, right=0.98, top=0.95, bottom=0.14)
    steps = str(tables.psfs_table(records)).replace("\n", "; ")
    alt = (f"Line chart of {name}'s average Patient-Specific Functional Scale score at each "
           f"visit: {steps}. The shaded band is {rule.mdc_average_points:g} points either side "
           "of the first visit.")
    return figure_image(fig, alt)
