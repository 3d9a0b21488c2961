"""The senior's progress over their practice sessions: one chart per measure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from core.accounts import Role
from interview.practice import service, views
from interview.practice.feedback.bands import FILLERS_FINE_PER_MIN, pace_bands
from web.keys import SESSIONS
from web.localtime import times_for
from web.practice.charts import Point, line_chart
from web.render import gettext_for, render
from web.security import require_user, requires

routes = web.RouteTableDef()


@dataclass
class ProgressChart:
    title: str
    svg: str
    latest: str


@dataclass
class ProgressPage:
    charts: list[ProgressChart]
    sessions: int


@routes.get("/practice/progress", name="practice_progress")
@requires(Role.SENIOR)
async def practice_progress(request: web.Request) -> web.Response:
    sessions = request.app[SESSIONS]
    _ = gettext_for(request)
    rows = list(reversed(await service.list_sessions(sessions, require_user(request).id)))
    takes = await service.takes_by_session(sessions, [r.id for r in rows])
    measures = [m for m in (views.session_measures(r, takes.get(r.id, [])) for r in rows) if m]
    times = times_for(request)  # each session's day in the reader's zone ("12월 3일")
    days = {r.id: times.month_day(r.created_at) for r in rows}
    charts: list[ProgressChart] = []

    def add(
        key: str, title: str, desc: str, values: list[tuple[str, float]], band: Any = None, unit: str = ""
    ) -> None:
        if not values:
            return
        points = [Point(float(i), v, label) for i, (label, v) in enumerate(values)]
        svg = line_chart(
            points, title=title, description=desc, y_label=unit, band=band, x_is_time=False, chart_id=key
        )
        charts.append(ProgressChart(title, svg, f"{values[-1][1]:.0f} {unit}".strip()))

    en, ko = pace_bands("en"), pace_bands("ko")
    add(
        "p-wpm",
        _("Pace in English (words per minute)"),
        _("Average pace of each session; the green band is a comfortable pace."),
        [(days[m.session_id], m.pace_wpm) for m in measures if m.pace_wpm is not None],
        (en["slow_below"], en["fast_above"]),
    )
    add(
        "p-spm",
        _("Pace in Korean (syllables per minute)"),
        _("Average pace of each session; the green band is a comfortable pace."),
        [(days[m.session_id], m.pace_spm) for m in measures if m.pace_spm is not None],
        (ko["slow_below"], ko["fast_above"]),
    )
    add(
        "p-fill",
        _("Filler words per minute"),
        _("Fewer is better; up to five a minute is not noticed."),
        [(days[m.session_id], m.fillers_per_min) for m in measures],
        (0.0, FILLERS_FINE_PER_MIN),
    )
    add(
        "p-pause",
        _("Longest pause (seconds)"),
        _("The longest silence in each session; under three seconds is comfortable."),
        [(days[m.session_id], m.longest_pause) for m in measures],
        (0.0, 3.0),
    )
    add(
        "p-kw",
        _("Key points covered (%)"),
        _("How many of the questions' key points your answers touched."),
        [(days[m.session_id], m.keyword_share) for m in measures if m.keyword_share is not None],
    )
    add(
        "p-star",
        _("Answer structure (0 to 4)"),
        _("Situation, task, action and result heard in your answers."),
        [(days[m.session_id], m.structure) for m in measures],
    )
    return await render(request, "practice/progress.html", ProgressPage(charts, len(measures)))
