"""Mock-interview practice pages: pick a set, check the devices, answer, read the feedback.

The answer page talks to the server-side recorder (:mod:`interview.practice.recorder`) with a
plain HTTP offer/answer (``POST /practice/<id>/rtc``) and small JSON posts that mark the start
and end of each answer. Every id in a path is checked against the logged-in senior: another
senior's session is "not found". Recordings are served only to their owner and the coach the
owner shared the session with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from core.accounts import Role
from core.errors import InvalidInput
from core.i18n import N_
from interview.practice import service
from interview.practice.errors import TakeNotFound
from interview.practice.models import PracticeSession, TakeState
from interview.practice.postings import PostingChoice, get_posting, posting_choices
from interview.practice.questions import ROLES
from interview.signaling.turn import ice_servers
from web.forms import Form, read_form
from web.keys import SESSIONS, SETTINGS
from web.practice import nodes
from web.practice.admission import busy_notice, full_message
from web.practice.js_text import PRACTICE_JS_TEXT
from web.practice.pages import AnswerFragment, answer_block, band_and_star_labels, result_page, script_json
from web.practice.runtime import OLD_VIDEOS, RECORDER, STORAGE, labels
from web.render import flash, gettext_for, render, request_language
from web.security import require_user, requires
from web.site.js_text import js_text

routes = web.RouteTableDef()


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
    user = require_user(request)
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
    answered = await service.answered_counts(sessions, [row.id for row in rows[:20]])
    with_counts = [(row, answered.get(row.id, 0)) for row in rows[:20]]
    return IndexPage(form=form, sets=sets, sessions=with_counts)


@routes.get("/practice", name="practice")
@requires(Role.SENIOR)
async def practice_index(request: web.Request) -> web.Response:
    user = require_user(request)
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
    if value.startswith("posting:") and value[8:].isdecimal():
        posting: PostingChoice | None = await get_posting(
            request.app[SESSIONS], require_user(request), int(value[8:])
        )
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
            require_user(request),
            spec,
            language=data["language"],
            title=title,
            max_retakes=retakes,
            think_seconds=think,
        )
    except InvalidInput as exc:
        form.show(exc, _)
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
    #: practice.js's strings (``data-i18n``)
    i18n: str
    #: this node is full: the message shown instead of the device check (web/practice/admission.py)
    full: str = ""


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


@routes.get(r"/practice/{sid:\d+}", name="practice_session")
@requires(Role.SENIOR)
async def practice_session(request: web.Request) -> web.Response:
    sessions = request.app[SESSIONS]
    row = await service.owned_session(sessions, require_user(request), _int(request, "sid"))
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
    i18n = js_text(PRACTICE_JS_TEXT, gettext_for(request))
    page = SessionPage(row, script_json(state), script_json(ice), len(qviews), resumed, i18n)
    page.full = full_message(request, row.id)
    return await render(request, "practice/session.html", page)


@routes.post(r"/practice/{sid:\d+}/rtc", name="practice_rtc")
@requires(Role.SENIOR)
async def practice_rtc(request: web.Request) -> web.Response:
    data = await _json_body(request)
    sdp = await request.app[RECORDER].connect(
        require_user(request), _int(request, "sid"), data.get("sdp"), data.get("type")
    )
    await nodes.answered_offer(request.app, _int(request, "sid"))
    return web.json_response({"type": "answer", "sdp": sdp, **busy_notice(request, _int(request, "sid"))})


@routes.post(r"/practice/{sid:\d+}/takes", name="practice_take_start")
@requires(Role.SENIOR)
async def practice_take_start(request: web.Request) -> web.Response:
    data = await _json_body(request)
    index = data.get("index")
    if not isinstance(index, int) or isinstance(index, bool):
        raise InvalidInput()
    sessions, sid = request.app[SESSIONS], _int(request, "sid")
    take = await nodes.start_take(request.app, require_user(request), sid, index)
    row = await service.owned_session(sessions, require_user(request), sid)
    used = (await service.question_views(sessions, row))[index].attempts_used
    notice = busy_notice(request, sid)
    return web.json_response({"take": take.id, "attempt": take.attempt, "used": used, **notice})


@routes.post(r"/practice/{sid:\d+}/takes/{tid:\d+}/stop", name="practice_take_stop")
@requires(Role.SENIOR)
async def practice_take_stop(request: web.Request) -> web.Response:
    await nodes.stop_take(request.app, require_user(request), _int(request, "sid"), _int(request, "tid"))
    return web.json_response({"state": "processing"}, status=202)


@routes.get(r"/practice/{sid:\d+}/takes/{tid:\d+}.json", name="practice_take_state")
@requires(Role.SENIOR)
async def practice_take_state(request: web.Request) -> web.Response:
    sessions = request.app[SESSIONS]
    row = await service.owned_session(sessions, require_user(request), _int(request, "sid"))
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
    row = await service.set_position(
        request.app[SESSIONS], require_user(request), _int(request, "sid"), index
    )
    return web.json_response({"current": row.current_index, "state": str(row.state)})


@routes.get(r"/practice/{sid:\d+}/takes/{tid:\d+}", name="practice_take_feedback")
@requires(Role.SENIOR)
async def practice_take_feedback(request: web.Request) -> web.Response:
    """The feedback of one answer as an HTML fragment (the answer page inserts it)."""
    sessions = request.app[SESSIONS]
    row = await service.owned_session(sessions, require_user(request), _int(request, "sid"))
    take = await service.get_take(sessions, row, _int(request, "tid"))
    bands, stars = band_and_star_labels(request)
    return await render(
        request,
        "practice/_answer_fragment.html",
        AnswerFragment(answer_block(request, row, take), bands, stars),
    )


@routes.get(r"/practice/{sid:\d+}/result", name="practice_result")
@requires(Role.SENIOR)
async def practice_result(request: web.Request) -> web.Response:
    row = await service.owned_session(request.app[SESSIONS], require_user(request), _int(request, "sid"))
    return await render(request, "practice/result.html", await result_page(request, row, owner=True))


@routes.get(r"/practice/{sid:\d+}/media/{tid:\d+}/{kind:audio|video}", name="practice_media")
@requires(Role.SENIOR, Role.COACH)
async def practice_media(request: web.Request) -> web.StreamResponse:
    """A recording, for its owner or the coach it was shared with (Range requests let it seek)."""
    sessions = request.app[SESSIONS]
    row = await service.visible_session(sessions, require_user(request), _int(request, "sid"))
    take = await service.get_take(sessions, row, _int(request, "tid"))
    rel = take.audio_file if request.match_info["kind"] == "audio" else take.video_file
    storage = request.app[STORAGE]
    if take.state != TakeState.DONE or not await storage.aexists(rel):
        raise TakeNotFound()
    assert rel is not None
    if request.match_info["kind"] == "video" and take.audio_file:
        await request.app[OLD_VIDEOS].ensure(storage.path(rel), storage.path(take.audio_file))
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
        request.app[SESSIONS], request.app[STORAGE], require_user(request), sid, _int(request, "tid")
    )
    _ = gettext_for(request)
    await flash(request, _("The answer and its recording were deleted."))
    raise web.HTTPSeeOther(f"/practice/{sid}/result")


@routes.post(r"/practice/{sid:\d+}/delete", name="practice_delete")
@requires(Role.SENIOR)
async def practice_delete(request: web.Request) -> web.Response:
    sid = _int(request, "sid")
    await request.app[RECORDER].disconnect(require_user(request), sid)
    await service.delete_session(request.app[SESSIONS], request.app[STORAGE], require_user(request), sid)
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
    user = require_user(request)
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
    await service.share(request.app[SESSIONS], require_user(request), sid, coach_id)
    _ = gettext_for(request)
    await flash(request, _("Shared with your coach.") if coach_id else _("This session is no longer shared."))
    raise web.HTTPSeeOther(f"/practice/{sid}/result")
