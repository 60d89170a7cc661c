"""Bar charts drawn as plain SVG by a template.

No charting library: a bar chart is a dozen rectangles whose coordinates this module
computes, and the template (`reports/includes/bar_chart.html`) writes them out. That
costs nothing per page beyond the template itself (no JavaScript, no fonts, no
server-side plotting library to import), and every bar carries its value as text, so
the chart reads without colour; its numbers are also in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 10, 24, 40


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    value: float
    y: float


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    bars: list[Bar]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - _BOTTOM
    left: float = _LEFT
    right: float = WIDTH - _RIGHT

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def _nice_max(value: float) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    magnitude = 1.0
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def bar_chart(chart_id: str, title: str, items: Sequence[tuple[str, float]]) -> BarChart:
    top = _nice_max(max((value for _label, value in items), default=0))
    plot_height = HEIGHT - _TOP - _BOTTOM
    slot = (WIDTH - _LEFT - _RIGHT) / max(1, len(items))
    bars = []
    for index, (label, value) in enumerate(items):
        height = plot_height * value / top
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(_LEFT + index * slot + slot * 0.15, 1),
                y=round(HEIGHT - _BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
            )
        )
    ticks = [
        Tick(value=top * step / 4, y=round(HEIGHT - _BOTTOM - plot_height * step / 4, 1))
        for step in range(5)
    ]
    return BarChart(chart_id=chart_id, title=title, bars=bars, ticks=ticks)
