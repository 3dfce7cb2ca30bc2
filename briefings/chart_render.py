"""Drawing a chart spec as a PNG with matplotlib (Agg canvas: no display), cached by content hash.

matplotlib is imported on first use, never at import: most processes draw no chart.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from typing import Any

from briefings.charts import Chart, DealsChart, TimelineChart, chart_hash

CACHE_SIZE = 64
WIDTH, HEIGHT, DPI = 8.0, 4.5, 100
_LANES = {"meeting": 2, "deal": 1, "event": 0}
_COLOURS = {"meeting": "#1f77b4", "deal": "#2ca02c", "event": "#ff7f0e"}

_cache: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()  # commands run in worker threads: one drawing, one cache update at a time


def render_png(chart: Chart) -> bytes:
    """The chart as PNG bytes; the same spec is drawn once (the last `CACHE_SIZE` are kept)."""
    key = chart_hash(chart)
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
        png = _draw(chart)
        _cache[key] = png
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
        return png


def cached(chart: Chart) -> bool:
    return chart_hash(chart) in _cache


def _draw(chart: Chart) -> bytes:
    # A bare Figure on the Agg canvas: no pyplot state, no display. Fixed margins instead of
    # tight_layout, which lays every label out twice and was half the time.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if isinstance(chart, DealsChart):
        fig.subplots_adjust(left=0.24, right=0.95, top=0.9, bottom=0.13)
        _deals(ax, chart)
    else:
        fig.subplots_adjust(left=0.12, right=0.92, top=0.9, bottom=0.2)
        _timeline(ax, chart)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, pil_kwargs={"compress_level": 3})
    return out.getvalue()


def _short(value: float) -> str:
    for scale, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:.3g}"


def _deals(ax: Any, chart: DealsChart) -> None:
    bars = list(reversed(chart.bars))  # largest on top
    labels = [b.label[:28] for b in bars]
    ax.barh(labels, [b.value for b in bars], color="#2ca02c", height=0.6)
    for y, bar in enumerate(bars):
        ax.text(bar.value, y, f" {_short(bar.value)} ({bar.deals})", va="center", fontsize=8)
    ax.set_xlabel(f"{chart.currency} (rates of {chart.rates_date.isoformat()})")
    ax.set_title(f"{chart.title} by {chart.by}", fontsize=11)
    ax.xaxis.set_major_formatter(_formatter())
    ax.margins(x=0.2)


def _formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: _short(value))


def _timeline(ax: Any, chart: TimelineChart) -> None:
    for lane, y in _LANES.items():
        points = [p for p in chart.points if p.lane == lane]
        if not points:
            continue
        exact = [p for p in points if p.precision == "day"]
        rough = [p for p in points if p.precision != "day"]
        if exact:
            ax.scatter([p.day for p in exact], [y] * len(exact), color=_COLOURS[lane], s=40, zorder=3)
        if rough:
            ax.scatter([p.day for p in rough], [y] * len(rough), facecolors="none", edgecolors=_COLOURS[lane],
                       s=40, zorder=3)
    first, last = chart.points[0].day, chart.points[-1].day
    span = max((last - first).days, 1)
    width = span * 0.3  # a 30-character label, in days of this axis
    taken: list[tuple[str, int, float, float]] = []  # (lane, level, from, to) of the labels drawn
    for point in chart.points[-16:]:
        # On the right half a label runs leftwards, so none leaves the picture; one that would
        # overlap another goes a level up (at most 4), else it is left out.
        x = (point.day - first).days
        right = x / span > 0.5
        lo, hi = (x - width, x) if right else (x, x + width)
        free = [level for level in range(4) if not any(
            lane == point.lane and at == level and lo < b and a < hi for lane, at, a, b in taken)]
        if not free:
            continue
        taken.append((point.lane, free[0], lo, hi))
        offset = (-4 if right else 4, 7 + 10 * free[0])
        ax.annotate(point.label[:30], (point.day, _LANES[point.lane]), xytext=offset,
                    textcoords="offset points", fontsize=7, ha="right" if right else "left")
    ax.set_yticks(list(_LANES.values()), [f"{k}s" for k in _LANES])
    ax.set_ylim(-0.7, 2.9)
    ax.set_title(chart.title, fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    for label in ax.get_xticklabels():
        label.set_rotation(25)
        label.set_horizontalalignment("right")
