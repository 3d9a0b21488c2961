"""Server-rendered SVG charts: pace over one answer, and each measure over a senior's sessions.

Plain SVG strings with a ``viewBox`` (they scale to any width and stay readable at 360px),
large labels, the good band shaded, and a ``<title>``/``<desc>`` pair so a screen reader
hears what the chart says. Labels are passed in already translated; every number is
formatted here, and every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 20, 52
INK, SOFT, BAND, LINE, POINT = "#1a1a1a", "#5a5a5a", "#e3f1e6", "#0b4f8a", "#0b4f8a"
FONT = 'font-family="system-ui, sans-serif" font-size="20"'


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    label: str = ""  #: shown under the point on progress charts (a date)


def _nice_max(value: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        top = step * 4
        if value <= top:
            return float(top)
    return float(value * 1.2)


def _fmt(v: float) -> str:
    return f"{v:.0f}" if abs(v) >= 10 or float(v).is_integer() else f"{v:.1f}"


def _clock(seconds: float) -> str:
    s = max(0, int(round(seconds)))
    return f"{s // 60}:{s % 60:02d}"


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    description: str,
    y_label: str,
    band: tuple[float, float] | None = None,
    x_is_time: bool = True,
    y_max: float | None = None,
    chart_id: str = "chart",
) -> str:
    """A line chart with y from 0; ``band`` (low, high) is shaded as the good range."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    ys = [p.y for p in points]
    top = y_max if y_max is not None else _nice_max(max([*ys, *(band or ()), 1.0]) * 1.1)
    if x_is_time:
        x0 = min((p.x for p in points), default=0.0)
        x1 = max((p.x for p in points), default=1.0)
        x0 = min(x0, 0.0)
    else:
        x0, x1 = 0.0, float(max(1, len(points) - 1))
    span = (x1 - x0) or 1.0

    def sx(i: int, p: Point) -> float:
        x = p.x if x_is_time else float(i)
        if not x_is_time and len(points) == 1:
            return LEFT + plot_w / 2
        return LEFT + (x - x0) / span * plot_w

    def sy(y: float) -> float:
        return TOP + plot_h - min(max(y, 0.0), top) / top * plot_h

    out = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg" '
        'preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    if band is not None:
        lo, hi = sy(band[1]), sy(band[0])
        out.append(f'<rect x="{LEFT}" y="{lo:.1f}" width="{plot_w}" height="{hi - lo:.1f}" fill="{BAND}"/>')
    for frac in (0.0, 0.5, 1.0):
        y = TOP + plot_h - frac * plot_h
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c8c8c8"/>')
        out.append(
            f'<text x="{LEFT - 8}" y="{y + 7:.1f}" text-anchor="end" fill="{SOFT}" {FONT}>'
            f"{_fmt(top * frac)}</text>"
        )
    if x_is_time:
        for t in (x0, x0 + span / 2, x1):
            out.append(
                f'<text x="{LEFT + (t - x0) / span * plot_w:.1f}" y="{HEIGHT - BOTTOM + 28}" '
                f'text-anchor="middle" fill="{SOFT}" {FONT}>{_clock(t)}</text>'
            )
    elif points:
        shown = {0, len(points) - 1, (len(points) - 1) // 2}
        for i, p in enumerate(points):
            if i in shown and p.label:
                out.append(
                    f'<text x="{sx(i, p):.1f}" y="{HEIGHT - BOTTOM + 28}" text-anchor="middle" '
                    f'fill="{SOFT}" {FONT}>{escape(p.label)}</text>'
                )
    coords = [(sx(i, p), sy(p.y)) for i, p in enumerate(points)]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        out.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="4"/>')
    for (x, y), p in zip(coords, points, strict=True):
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{POINT}"><title>{_fmt(p.y)}</title></circle>'
        )
    out.append("</svg>")
    return "".join(out)


def pace_chart(
    series: Sequence[dict[str, float]],
    limits: dict[str, object],
    *,
    title: str,
    description: str,
    unit_label: str,
    chart_id: str,
) -> str:
    """Pace over one answer from the feedback's ``pace.series`` (window middles on the x axis)."""
    points = [Point((float(p["start"]) + float(p["end"])) / 2, float(p["value"])) for p in series]
    band = (float(limits["slow_below"]), float(limits["fast_above"]))  # type: ignore[arg-type]
    return line_chart(
        points, title=title, description=description, y_label=unit_label, band=band, chart_id=chart_id
    )
