"""Geometry for a server-drawn SVG bar chart of approved and pending hours against targets (pure).

Positions are percentages of the chart's width, so the bars stretch with the
page while the text keeps its size, from a phone to a desktop. The markup is
drawn by templates/hours/_chart.html, where Jinja escapes every text.
"""
from collections.abc import Sequence
from dataclasses import dataclass

ROW_HEIGHT = 74
TOP = 6


@dataclass(frozen=True)
class ChartRow:
    """One bar: a label, approved and pending hours, and the target in hours."""

    label: str
    approved: float
    pending: float
    target: float


@dataclass(frozen=True)
class Bar:
    """Where one bar's parts go: y in pixels, the rest in percent of the width."""

    y: int
    label: str
    approved: str
    pending_x: str
    pending: str
    target: str
    detail: str


@dataclass(frozen=True)
class Chart:
    """A chart ready to draw: unique id prefix, title, text alternative, height, bars."""

    ident: str
    title: str
    summary: str
    height: int
    bars: tuple[Bar, ...]


def hours_text(value: float) -> str:
    """Hours without trailing zeros: 40, 12.5, 0.25."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _pct(value: float, scale: float) -> str:
    return f"{100 * value / scale:.2f}%" if scale else "0%"


def _bar(index: int, row: ChartRow, scale: float) -> Bar:
    approved = min(row.approved, scale)
    pending = min(row.pending, max(scale - row.approved, 0))
    return Bar(y=TOP + index * ROW_HEIGHT, label=row.label, approved=_pct(approved, scale),
               pending_x=_pct(approved, scale), pending=_pct(pending, scale), target=_pct(row.target, scale),
               detail=f"{hours_text(row.approved)} h approved, {hours_text(row.pending)} h pending"
                      f" of {hours_text(row.target)} h")


def hours_chart(rows: Sequence[ChartRow], chart_id: str, title: str) -> Chart:
    """Lay out the bars against the largest target or total; chart_id keeps ids unique on a page."""
    scale = max([max(r.target, r.approved + r.pending) for r in rows] or [1]) * 1.04
    summary = "; ".join(
        f"{r.label}: {hours_text(r.approved)} h approved, {hours_text(r.pending)} h pending, "
        f"target {hours_text(r.target)} h" for r in rows) or "No hour requirements."
    return Chart(ident=chart_id, title=title, summary=summary, height=TOP + ROW_HEIGHT * max(len(rows), 1),
                 bars=tuple(_bar(i, row, scale) for i, row in enumerate(rows)))
