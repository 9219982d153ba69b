"""A server-drawn SVG bar chart of approved and pending hours against targets (pure).

Positions are percentages of the chart's width, so the bars stretch with the
page while the text keeps its size, from a phone to a desktop.
"""
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

ROW_HEIGHT = 74
TOP = 6


@dataclass(frozen=True)
class ChartRow:
    """One bar: a label, approved and pending hours, and the target in hours."""

    label: str
    approved: float
    pending: float
    target: float


def hours_text(value: float) -> str:
    """Hours without trailing zeros: 40, 12.5, 0.25."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _pct(value: float, scale: float) -> str:
    return f"{100 * value / scale:.2f}%" if scale else "0%"


def _row(index: int, row: ChartRow, scale: float, hatch: str) -> str:
    y = TOP + index * ROW_HEIGHT
    pending = min(row.pending, max(scale - row.approved, 0))
    detail = (f"{hours_text(row.approved)} h approved, {hours_text(row.pending)} h pending"
              f" of {hours_text(row.target)} h")
    return (
        f'<g class="chart-row"><text class="chart-label" x="0" y="{y + 15}">{escape(row.label)}</text>'
        f'<rect class="chart-track" x="0" y="{y + 24}" width="100%" height="20" rx="4"/>'
        f'<rect class="chart-approved" x="0" y="{y + 24}" width="{_pct(min(row.approved, scale), scale)}" height="20" rx="4"/>'
        f'<rect class="chart-pending" x="{_pct(min(row.approved, scale), scale)}" y="{y + 24}" '
        f'width="{_pct(pending, scale)}" height="20" fill="url(#{hatch})"/>'
        f'<line class="chart-target" x1="{_pct(row.target, scale)}" x2="{_pct(row.target, scale)}" '
        f'y1="{y + 19}" y2="{y + 49}"/>'
        f'<text class="chart-value" x="0" y="{y + 64}">{escape(detail)}</text></g>'
    )


def hours_chart(rows: Sequence[ChartRow], chart_id: str, title: str) -> Markup:
    """The chart as inline SVG markup; every text is escaped, chart_id keeps ids unique."""
    scale = max([max(r.target, r.approved + r.pending) for r in rows] or [1]) * 1.04
    ident = escape(chart_id)
    summary = "; ".join(
        f"{r.label}: {hours_text(r.approved)} h approved, {hours_text(r.pending)} h pending, "
        f"target {hours_text(r.target)} h" for r in rows) or "No hour requirements."
    body = "".join(_row(i, row, scale, f"{ident}-hatch") for i, row in enumerate(rows))
    height = TOP + ROW_HEIGHT * max(len(rows), 1)
    return Markup(
        f'<svg class="hours-chart" width="100%" height="{height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(summary)}</desc>'
        f'<defs><pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect class="chart-hatch-bg" width="6" height="6"/>'
        f'<line class="chart-hatch" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>'
        f'{body}</svg>'
    )
