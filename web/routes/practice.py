"""Mock-interview practice pages: pick a set, check the devices, answer, read the feedback.

The answer page talks to the server-side recorder (:mod:`interview.practice.recorder`) with a
plain HTTP offer/answer (``POST /practice/<id>/rtc``) and small JSON posts that mark the start
and end of each answer. Every id in a path is checked against the logged-in senior: another
senior's session is "not found". Recordings are served only to their owner and the coach the
owner shared the session with.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from core.accounts import Role, User
from core.errors import InvalidInput
from interview.practice import bank, coach, service, views
from interview.practice.charts import pace_chart
from interview.practice.errors import PracticeSessionNotFound, TakeNotFound
from interview.practice.models import PracticeSession, PracticeTake, TakeState
from interview.practice.postings import PostingChoice, get_posting, posting_choices
from interview.practice.questions import ROLES, bank_labels
from interview.practice.recorder import PracticeRecorder
from interview.practice.storage import Storage
from interview.signaling.turn import ice_servers
from interview.transcribe.engine import Engine, load_engine
from web.forms import Form, read_form
from web.i18n import N_
from web.keys import SESSIONS, SETTINGS
from web.render import flash, gettext_for, render, request_language
from web.security import current_user, requires

routes = web.RouteTableDef()

RECORDER = web.AppKey("practice_recorder", PracticeRecorder)
STORAGE = web.AppKey("practice_storage", Storage)

BAND_LABELS = {
    "too_slow": N_("Slow"),
    "good": N_("Good"),
    "too_fast": N_("Fast"),
    "too_short": N_("Short"),
    "too_long": N_("Long"),
    "fine": N_("Fine"),
    "noticeable": N_("Noticeable"),
    "too_many": N_("Too many"),
    "none": N_("Not measured"),
}
STAR_LABELS = {
    "situation": N_("Situation"),
    "task": N_("Task"),
    "action": N_("Action"),
    "result": N_("Result"),
}


@functools.cache
def labels() -> dict[str, Any]:
    """Category and job-family names in both languages (read once per process)."""
    return bank_labels()


# --- the app's resources --------------------------------------------------------------------------
async def practice_ctx(app: web.Application) -> AsyncIterator[None]:
    """The recorder registry and the shared Whisper engine (loaded in the background at start)."""
    settings = app[SETTINGS]
    storage = Storage(settings.data_dir)
    app[STORAGE] = storage
    sessions = app[SESSIONS]
    labels()  # read once, here, where start-up may read files
    with contextlib.suppress(Exception):  # the bank is seeded on first use otherwise
        await bank.ensure_seeded(sessions)
    await service.recover_interrupted(sessions, storage)
    loading: list[asyncio.Task[Engine]] = []

    async def engine() -> Engine:
        # loaded on first use (the first connection), then shared by every session of the process
        if not loading:
            loading.append(asyncio.create_task(asyncio.to_thread(load_engine, settings)))
        return await asyncio.shield(loading[0])

    ice = [u.strip() for u in settings.stun_urls.split(",") if u.strip()]
    app[RECORDER] = PracticeRecorder(sessions, storage, engine, ice_urls=ice)
    yield
    await app[RECORDER].close_all()
    for task in loading:
        with contextlib.suppress(BaseException):
            await task


def _senior(request: web.Request) -> User:
    user = current_user(request)
    assert user is not None
    return user


def _int(request: web.Request, name: str) -> int:
    try:
        return int(request.match_info[name])
    except (KeyError, ValueError):
        raise web.HTTPNotFound() from None


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput() from None
    if not isinstance(data, dict):
        raise InvalidInput()
    return data


# --- the start page -------------------------------------------------------------------------------
@dataclass
class SetOption:
    value: str
    label: str
    hint: str = ""


@dataclass
class IndexPage:
    form: Form
    sets: list[SetOption]
    sessions: list[tuple[PracticeSession, int]]
    counts: tuple[int, ...] = service.QUESTION_COUNTS
    thinks: tuple[int, ...] = service.THINK_SECONDS


def _set_label(kind: str, lang: str, labels: dict[str, Any], role: str | None = None) -> str:
    if kind == "role" and role:
        return str(labels["roles"].get(role, {}).get(lang, role))
    return str(labels["categories"].get(kind, {}).get(lang, kind))


async def _index_page(request: web.Request, form: Form) -> IndexPage:
    user = _senior(request)
    lang = request_language(request)
    _ = gettext_for(request)
    names = labels()
    sessions = request.app[SESSIONS]
    sets = [
        SetOption(
            "general", _set_label("general", lang, names), _("Self-introduction, motivation, strengths")
        ),
        SetOption(
            "senior", _set_label("senior", lang, names), _("Questions people with long careers are asked")
        ),
    ]
    for p in await posting_choices(sessions, user.id):
        sets.append(SetOption(f"posting:{p.id}", _("For the posting: %(title)s", title=p.title), p.company))
    sets += [SetOption(f"role:{r}", _set_label("role", lang, names, r), _("Job questions")) for r in ROLES]
    rows = await service.list_sessions(sessions, user.id)
    with_counts = []
    for row in rows[:20]:
        takes = await service.takes_of(sessions, row.id)
        with_counts.append((row, len({t.question_index for t in takes if t.state == TakeState.DONE})))
    return IndexPage(form=form, sets=sets, sessions=with_counts)


@routes.get("/practice", name="practice")
@requires(Role.SENIOR)
async def practice_index(request: web.Request) -> web.Response:
    user = _senior(request)
    form = Form(values={"set": "general", "language": user.language or "ko", "count": "5", "think": "30"})
    return await render(request, "practice/index.html", await _index_page(request, form))


async def _spec(request: web.Request, value: str, count: int) -> tuple[service.SetSpec, str]:
    lang = request_language(request)
    names = labels()
    _ = gettext_for(request)
    if value in ("general", "senior"):
        return service.SetSpec(value, count=count), _set_label(value, lang, names)
    if value.startswith("role:") and value[5:] in ROLES:
        role = value[5:]
        return service.SetSpec("role", role=role, count=count), _set_label("role", lang, names, role)
    if value.startswith("posting:") and value[8:].isdigit():
        posting: PostingChoice | None = await get_posting(request.app[SESSIONS], int(value[8:]))
        if posting is not None:
            return service.SetSpec("posting", posting=posting, count=count), posting.title
    raise InvalidInput(fields={"set": N_("Please choose a question set.")})


@routes.post("/practice", name="practice_start")
@requires(Role.SENIOR)
async def practice_start(request: web.Request) -> web.Response:
    data = await read_form(request, ("set", "language", "count", "think", "retakes"))
    _ = gettext_for(request)
    form = Form(values=data)
    try:
        count = int(data["count"] or 5)
        think = int(data["think"] or 30)
        retakes = int(data["retakes"] or 2)
    except ValueError:
        count, think, retakes = 0, 0, -1
    try:
        spec, title = await _spec(request, data["set"], count)
        row = await service.start_session(
            request.app[SESSIONS],
            _senior(request),
            spec,
            language=data["language"],
            title=title,
            max_retakes=retakes,
            think_seconds=think,
        )
    except InvalidInput as exc:
        form.errors = {k: _(v) for k, v in exc.fields.items()}
        form.message = _(exc.message)
        page = await _index_page(request, form)
        return await render(request, "practice/index.html", page, status=exc.status)
    raise web.HTTPSeeOther(f"/practice/{row.id}")


# --- the answer page ------------------------------------------------------------------------------
@dataclass
class SessionPage:
    row: PracticeSession
    state_json: str
    ice_json: str
    question_count: int
    resumed: bool


def _question_state(v: service.QuestionView, row: PracticeSession, lang: str) -> dict[str, Any]:
    q = v.question
    text = q.get("text_ko") if lang == "ko" else q.get("text_en")
    tip = q.get("tip_ko") if lang == "ko" else q.get("tip_en")
    counting = v.counting
    return {
        "index": v.index,
        "text": text,
        "tip": tip,
        "suggested": int(q.get("suggested_seconds") or 60),
        "limit": service.question_limit_seconds(q),
        "used": v.attempts_used,
        "max": 1 + row.max_retakes,
        "take": counting.id if counting else None,
    }


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element (no "</script>" can close it early)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


@routes.get(r"/practice/{sid:\d+}", name="practice_session")
@requires(Role.SENIOR)
async def practice_session(request: web.Request) -> web.Response:
    sessions = request.app[SESSIONS]
    row = await service.owned_session(sessions, _senior(request), _int(request, "sid"))
    lang = request_language(request)
    qviews = await service.question_views(sessions, row)
    speak = row.language if row.language in ("ko", "en") else lang
    state = {
        "session": row.id,
        "current": min(row.current_index, len(qviews) - 1),
        "think": row.think_seconds,
        "speechLang": "ko-KR" if speak == "ko" else "en-US",
        "questions": [_question_state(v, row, speak) for v in qviews],
    }
    # STUN, and TURN with a time-limited credential for this senior (the TURN REST API scheme)
    ice = ice_servers(request.app[SETTINGS], row.senior_id)
    resumed = any(v.takes for v in qviews)
    page = SessionPage(row, _script_json(state), _script_json(ice), len(qviews), resumed)
    return await render(request, "practice/session.html", page)


@routes.post(r"/practice/{sid:\d+}/rtc", name="practice_rtc")
@requires(Role.SENIOR)
async def practice_rtc(request: web.Request) -> web.Response:
    data = await _json_body(request)
    sdp = await request.app[RECORDER].connect(
        _senior(request), _int(request, "sid"), data.get("sdp"), data.get("type")
    )
    return web.json_response({"type": "answer", "sdp": sdp})


@routes.post(r"/practice/{sid:\d+}/takes", name="practice_take_start")
@requires(Role.SENIOR)
async def practice_take_start(request: web.Request) -> web.Response:
    data = await _json_body(request)
    index = data.get("index")
    if not isinstance(index, int) or isinstance(index, bool):
        raise InvalidInput()
    sessions, sid = request.app[SESSIONS], _int(request, "sid")
    take = await request.app[RECORDER].start_take(_senior(request), sid, index)
    row = await service.owned_session(sessions, _senior(request), sid)
    used = (await service.question_views(sessions, row))[index].attempts_used
    return web.json_response({"take": take.id, "attempt": take.attempt, "used": used})


@routes.post(r"/practice/{sid:\d+}/takes/{tid:\d+}/stop", name="practice_take_stop")
@requires(Role.SENIOR)
async def practice_take_stop(request: web.Request) -> web.Response:
    await request.app[RECORDER].stop_take(_senior(request), _int(request, "sid"), _int(request, "tid"))
    return web.json_response({"state": "processing"}, status=202)


@routes.get(r"/practice/{sid:\d+}/takes/{tid:\d+}.json", name="practice_take_state")
@requires(Role.SENIOR)
async def practice_take_state(request: web.Request) -> web.Response:
    sessions = request.app[SESSIONS]
    row = await service.owned_session(sessions, _senior(request), _int(request, "sid"))
    take = await service.get_take(sessions, row, _int(request, "tid"))
    _ = gettext_for(request)
    return web.json_response(
        {"state": str(take.state), "attempt": take.attempt, "error": _(take.error) if take.error else None}
    )


@routes.post(r"/practice/{sid:\d+}/position", name="practice_position")
@requires(Role.SENIOR)
async def practice_position(request: web.Request) -> web.Response:
    data = await _json_body(request)
    index = data.get("index")
    if not isinstance(index, int) or isinstance(index, bool):
        raise InvalidInput()
    row = await service.set_position(request.app[SESSIONS], _senior(request), _int(request, "sid"), index)
    return web.json_response({"current": row.current_index, "state": str(row.state)})


# --- feedback -------------------------------------------------------------------------------------
@dataclass
class AnswerBlock:
    """One answer's feedback as the partial ``practice/_answer.html`` shows it."""

    session_id: int
    take: PracticeTake
    view: views.AnswerView | None
    question: dict[str, Any]
    chart: str = ""
    media_base: str = ""
    comments: list[coach.CommentView] = field(default_factory=list)


def answer_block(
    request: web.Request,
    row: PracticeSession,
    take: PracticeTake,
    comments: list[coach.CommentView] | None = None,
) -> AnswerBlock:
    lang = request_language(request)
    _ = gettext_for(request)
    view = views.answer_view(take, lang)
    chart = ""
    if view is not None and not view.no_speech and view.pace.get("series"):
        unit = _("words per minute") if view.pace.get("unit") == "wpm" else _("syllables per minute")
        chart = pace_chart(
            view.pace["series"],
            view.pace.get("limits") or {"slow_below": 0, "fast_above": 0},
            title=_("Pace over the answer"),
            description=_(
                "Your pace in %(unit)s at each moment of the answer; the green band is a comfortable pace.",
                unit=unit,
            ),
            unit_label=unit,
            chart_id=f"pace-{take.id}",
        )
    return AnswerBlock(
        row.id,
        take,
        view,
        row.questions[take.question_index] if 0 <= take.question_index < len(row.questions) else {},
        chart,
        f"/practice/{row.id}/media/{take.id}",
        [c for c in comments or [] if c.take_id == take.id],
    )


@dataclass
class AnswerFragment:
    block: AnswerBlock
    band_labels: dict[str, str]
    star_labels: dict[str, str]
    owner: bool = True


def _labels(request: web.Request) -> tuple[dict[str, str], dict[str, str]]:
    _ = gettext_for(request)
    return {k: _(v) for k, v in BAND_LABELS.items()}, {k: _(v) for k, v in STAR_LABELS.items()}


@routes.get(r"/practice/{sid:\d+}/takes/{tid:\d+}", name="practice_take_feedback")
@requires(Role.SENIOR)
async def practice_take_feedback(request: web.Request) -> web.Response:
    """The feedback of one answer as an HTML fragment (the answer page inserts it)."""
    sessions = request.app[SESSIONS]
    row = await service.owned_session(sessions, _senior(request), _int(request, "sid"))
    take = await service.get_take(sessions, row, _int(request, "tid"))
    bands, stars = _labels(request)
    return await render(
        request,
        "practice/_answer_fragment.html",
        AnswerFragment(answer_block(request, row, take), bands, stars),
    )


@dataclass
class ResultPage:
    row: PracticeSession
    questions: list[tuple[service.QuestionView, AnswerBlock | None]]
    band_labels: dict[str, str]
    star_labels: dict[str, str]
    tips: list[coach.CommentView]
    coaches: list[User]
    owner: bool
    senior_name: str = ""
    comment_form: Form = field(default_factory=Form)


async def result_page(
    request: web.Request, row: PracticeSession, *, owner: bool, senior_name: str = ""
) -> ResultPage:
    sessions = request.app[SESSIONS]
    comments = await coach.comments_of(sessions, row.id)
    qviews = await service.question_views(sessions, row)
    blocks = []
    for v in qviews:
        counting = v.counting
        blocks.append((v, answer_block(request, row, counting, comments) if counting else None))
    bands, stars = _labels(request)
    return ResultPage(
        row,
        blocks,
        bands,
        stars,
        [c for c in comments if c.kind == "tip"],
        await service.coaches(sessions) if owner else [],
        owner,
        senior_name,
    )


@routes.get(r"/practice/{sid:\d+}/result", name="practice_result")
@requires(Role.SENIOR)
async def practice_result(request: web.Request) -> web.Response:
    row = await service.owned_session(request.app[SESSIONS], _senior(request), _int(request, "sid"))
    return await render(request, "practice/result.html", await result_page(request, row, owner=True))


@routes.get(r"/practice/{sid:\d+}/media/{tid:\d+}/{kind:audio|video}", name="practice_media")
@requires(Role.SENIOR, Role.COACH)
async def practice_media(request: web.Request) -> web.StreamResponse:
    """A recording, for its owner or the coach it was shared with (Range requests let it seek)."""
    sessions = request.app[SESSIONS]
    row = await service.visible_session(sessions, _senior(request), _int(request, "sid"))
    take = await service.get_take(sessions, row, _int(request, "tid"))
    rel = take.audio_file if request.match_info["kind"] == "audio" else take.video_file
    storage = request.app[STORAGE]
    if take.state != TakeState.DONE or not await storage.aexists(rel):
        raise TakeNotFound()
    assert rel is not None
    response = web.FileResponse(storage.path(rel))
    response.headers["Cache-Control"] = "private, no-store"
    response.content_type = "audio/wav" if request.match_info["kind"] == "audio" else "video/webm"
    return response


# --- deleting and sharing -------------------------------------------------------------------------
@routes.post(r"/practice/{sid:\d+}/takes/{tid:\d+}/delete", name="practice_take_delete")
@requires(Role.SENIOR)
async def practice_take_delete(request: web.Request) -> web.Response:
    sid = _int(request, "sid")
    await service.delete_take(
        request.app[SESSIONS], request.app[STORAGE], _senior(request), sid, _int(request, "tid")
    )
    _ = gettext_for(request)
    await flash(request, _("The answer and its recording were deleted."))
    raise web.HTTPSeeOther(f"/practice/{sid}/result")


@routes.post(r"/practice/{sid:\d+}/delete", name="practice_delete")
@requires(Role.SENIOR)
async def practice_delete(request: web.Request) -> web.Response:
    sid = _int(request, "sid")
    await request.app[RECORDER].disconnect(_senior(request), sid)
    await service.delete_session(request.app[SESSIONS], request.app[STORAGE], _senior(request), sid)
    _ = gettext_for(request)
    await flash(request, _("The practice session and all its recordings were deleted."))
    raise web.HTTPSeeOther("/practice")


@routes.get("/practice/delete-all", name="practice_delete_all_confirm")
@requires(Role.SENIOR)
async def practice_delete_all_confirm(request: web.Request) -> web.Response:
    return await render(request, "practice/delete_all.html")


@routes.post("/practice/delete-all", name="practice_delete_all")
@requires(Role.SENIOR)
async def practice_delete_all(request: web.Request) -> web.Response:
    user = _senior(request)
    for sid in [sid for sid, p in request.app[RECORDER].peers.items() if p.senior_id == user.id]:
        await request.app[RECORDER].disconnect(user, sid)
    await service.delete_everything(request.app[SESSIONS], request.app[STORAGE], user)
    _ = gettext_for(request)
    await flash(request, _("All your practice sessions and recordings were deleted."))
    raise web.HTTPSeeOther("/practice")


@routes.post(r"/practice/{sid:\d+}/share", name="practice_share")
@requires(Role.SENIOR)
async def practice_share(request: web.Request) -> web.Response:
    sid = _int(request, "sid")
    data = await read_form(request, ("coach",))
    coach_id = int(data["coach"]) if data["coach"].isdigit() else None
    if data["coach"] and coach_id is None:
        raise InvalidInput(fields={"coach": N_("Please choose a coach from the list.")})
    await service.share(request.app[SESSIONS], _senior(request), sid, coach_id)
    _ = gettext_for(request)
    await flash(request, _("Shared with your coach.") if coach_id else _("This session is no longer shared."))
    raise web.HTTPSeeOther(f"/practice/{sid}/result")


# --- progress -------------------------------------------------------------------------------------
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
    from interview.practice.charts import Point, line_chart
    from interview.practice.feedback.bands import FILLERS_FINE_PER_MIN, pace_bands

    sessions = request.app[SESSIONS]
    _ = gettext_for(request)
    rows = list(reversed(await service.list_sessions(sessions, _senior(request).id)))
    measures = [
        m for m in [views.session_measures(r, await service.takes_of(sessions, r.id)) for r in rows] if m
    ]
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
        [(m.date, m.pace_wpm) for m in measures if m.pace_wpm is not None],
        (en["slow_below"], en["fast_above"]),
    )
    add(
        "p-spm",
        _("Pace in Korean (syllables per minute)"),
        _("Average pace of each session; the green band is a comfortable pace."),
        [(m.date, m.pace_spm) for m in measures if m.pace_spm is not None],
        (ko["slow_below"], ko["fast_above"]),
    )
    add(
        "p-fill",
        _("Filler words per minute"),
        _("Fewer is better; up to five a minute is not noticed."),
        [(m.date, m.fillers_per_min) for m in measures],
        (0.0, FILLERS_FINE_PER_MIN),
    )
    add(
        "p-pause",
        _("Longest pause (seconds)"),
        _("The longest silence in each session; under three seconds is comfortable."),
        [(m.date, m.longest_pause) for m in measures],
        (0.0, 3.0),
    )
    add(
        "p-kw",
        _("Key points covered (%)"),
        _("How many of the questions' key points your answers touched."),
        [(m.date, m.keyword_share) for m in measures if m.keyword_share is not None],
    )
    add(
        "p-star",
        _("Answer structure (0 to 4)"),
        _("Situation, task, action and result heard in your answers."),
        [(m.date, m.structure) for m in measures],
    )
    return await render(request, "practice/progress.html", ProgressPage(charts, len(measures)))


__all__ = ["RECORDER", "STORAGE", "practice_ctx", "result_page", "routes", "PracticeSessionNotFound"]
