"""A job seeker's pages: home, career profile, matched jobs with reasons, asking for an interview."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from core.accounts import Role
from core.errors import InvalidInput, NotFound
from interview.rooms import service as rooms_service
from interview.rooms.service import RoomListing
from matching import details, pipeline, records
from matching.details import JobDetails
from matching.errors import AlreadyRequested, NotMatchable, ProfileMissing
from matching.index import PostingFilter
from matching.service import MatchItem, MatchPage
from web.forms import Form, read_form
from web.keys import PUBSUB, SESSIONS
from web.matching.decisions import ApplicationView, applications_of
from web.matching.forms import (
    CAREER_ROWS,
    EMPLOYMENT_TYPES,
    REGION_SLOTS,
    Reason,
    profile_field_names,
    profile_form_data,
    profile_values,
    reasons,
    region_names,
)
from web.matching.live import MATCHING, announce_change
from web.render import flash, gettext_for, render, request_language
from web.scheduling.cards import AboutRooms, about_rooms
from web.security import require_user, requires
from web.site.js_text import LIVE_JS_TEXT, js_text

routes = web.RouteTableDef()
PER_PAGE = 10


@dataclass
class MatchView:
    item: MatchItem
    reasons: list[Reason]


@dataclass
class SeniorHome:
    has_profile: bool
    matches: list[MatchView] = field(default_factory=list)
    total: int = 0
    #: "my interviews" (rooms/_my_rooms.html)
    my_rooms: list[RoomListing] = field(default_factory=list)
    about_rooms: AboutRooms = field(default_factory=AboutRooms)
    #: "my applications" (matching/_applications.html)
    applications: list[ApplicationView] = field(default_factory=list)
    #: live.js's strings (``data-i18n`` of ``#live-status``)
    i18n: str = ""


@dataclass
class ProfilePage:
    form: Form
    career_rows: range = range(CAREER_ROWS)
    region_slots: range = range(REGION_SLOTS)
    region_names: list[str] = field(default_factory=list)
    employment_types: tuple[str, ...] = EMPLOYMENT_TYPES
    chosen_types: list[str] = field(default_factory=list)


@dataclass
class MatchesPage:
    matches: list[MatchView]
    total: int
    page: int
    pages: int
    employment_type: str
    #: live.js's strings (``data-i18n`` of ``#live-status``)
    i18n: str = ""


@dataclass
class MatchDetail:
    view: MatchView
    requested: bool
    #: the request already made for this job, as it stands now (stage in words, the message sent)
    application: ApplicationView | None = None
    #: the job itself: duties, description, hours, the company's latest visit, a map link
    job: JobDetails | None = None


def _views(result: MatchPage, request: web.Request) -> list[MatchView]:
    _ = gettext_for(request)
    return [MatchView(item, reasons(item.factors, _)) for item in result.items]


async def _ranked(request: web.Request, page: int, employment_type: str = "") -> MatchPage | None:
    user = require_user(request)
    flt = PostingFilter(employment_types=(employment_type,) if employment_type in EMPLOYMENT_TYPES else ())
    try:
        return await request.app[MATCHING].rank_postings_for_senior(user.id, flt, page, PER_PAGE, viewer=user)
    except ProfileMissing:
        return None


@routes.get("/senior", name="senior")
@requires(Role.SENIOR)
async def senior_home(request: web.Request) -> web.Response:
    result = await _ranked(request, 1)
    page = SeniorHome(has_profile=result is not None)
    if result is not None:
        page.matches, page.total = _views(result, request)[:5], result.total
    if request.query.get("partial") == "matches":
        return await render(request, "matching/_senior_matches.html", page)
    page.my_rooms = await rooms_service.rooms_for(request.app[SESSIONS], require_user(request))
    page.about_rooms = await about_rooms(request.app[SESSIONS], page.my_rooms)
    page.applications = await applications_of(request, require_user(request))
    page.i18n = js_text(LIVE_JS_TEXT, gettext_for(request))
    return await render(request, "dashboard_senior.html", page)


@routes.get("/senior/profile", name="senior_profile")
@requires(Role.SENIOR)
async def profile_form(request: web.Request) -> web.Response:
    user = require_user(request)
    profile = await records.get_profile(request.app[SESSIONS], user.id)
    values = profile_values(profile)
    chosen = values.pop("employment_types", "full_time").split(",")
    page = ProfilePage(
        Form(values=values), region_names=region_names(request_language(request)), chosen_types=chosen
    )
    return await render(request, "matching/profile.html", page)


@routes.post("/senior/profile")
@requires(Role.SENIOR)
async def profile_submit(request: web.Request) -> web.Response:
    user = require_user(request)
    form_values = await read_form(request, profile_field_names())
    posted = await request.post()
    chosen = [str(v) for v in posted.getall("employment_types", [])]
    _ = gettext_for(request)
    try:
        await request.app[MATCHING].save_profile(user, profile_form_data(form_values, chosen))
    except InvalidInput as exc:
        form = Form(values=form_values).show(exc, _)
        page = ProfilePage(form, region_names=region_names(request_language(request)), chosen_types=chosen)
        return await render(request, "matching/profile.html", page, status=422)
    await announce_change(request.app, senior_id=user.id)
    await flash(request, _("Your career profile is saved. Here are the jobs that fit it."))
    raise web.HTTPSeeOther("/senior/matches")


@routes.get("/senior/matches", name="senior_matches")
@requires(Role.SENIOR)
async def matches(request: web.Request) -> web.Response:
    try:
        page_no = max(1, min(int(request.query.get("page", "1")), 1000))
    except ValueError:
        page_no = 1
    employment_type = request.query.get("type", "")
    result = await _ranked(request, page_no, employment_type)
    if result is None:
        raise web.HTTPSeeOther("/senior/profile")
    pages = max(1, -(-result.total // PER_PAGE))
    page = MatchesPage(_views(result, request), result.total, page_no, pages, employment_type)
    if request.query.get("partial") == "matches":
        return await render(request, "matching/_match_list.html", page)
    page.i18n = js_text(LIVE_JS_TEXT, gettext_for(request))
    return await render(request, "matching/matches.html", page)


async def _detail(request: web.Request, posting_id: int) -> MatchDetail:
    user = require_user(request)
    item = await request.app[MATCHING].posting_match(user.id, posting_id)
    requested = posting_id in await records.requested_posting_ids(request.app[SESSIONS], user.id)
    application = None
    if requested:
        pair_id = await pipeline.find_pair(request.app[SESSIONS], user.id, posting_id)
        application = next((a for a in await applications_of(request, user) if a.pair_id == pair_id), None)
    job = await details.job_details(request.app[SESSIONS], posting_id)
    view = MatchView(item, reasons(item.factors, gettext_for(request)))
    return MatchDetail(view, requested, application, job)


def _posting_id(request: web.Request) -> int:
    try:
        return int(request.match_info["posting_id"])
    except ValueError:
        raise NotFound() from None


@routes.get(r"/senior/matches/{posting_id:\d+}", name="senior_match")
@requires(Role.SENIOR)
async def match_detail(request: web.Request) -> web.Response:
    try:
        detail = await _detail(request, _posting_id(request))
    except ProfileMissing:
        raise web.HTTPSeeOther("/senior/profile") from None
    return await render(request, "matching/match_detail.html", detail)


@routes.post(r"/senior/matches/{posting_id:\d+}/request", name="senior_request")
@requires(Role.SENIOR)
async def request_interview(request: web.Request) -> web.Response:
    user = require_user(request)
    posting_id = _posting_id(request)
    data = await read_form(request, ("message",))
    _ = gettext_for(request)
    try:
        await request.app[MATCHING].request_interview(
            user, user.id, posting_id, data["message"], pubsub=request.app[PUBSUB]
        )
        await flash(
            request,
            _("Your request is sent. A scheduler will offer times; you will be told here and by e-mail."),
        )
    except AlreadyRequested:
        await flash(request, _("You asked for this interview before. Here is where it stands."))
    except (NotMatchable, ProfileMissing) as exc:
        await flash(request, _(exc.message))
    raise web.HTTPSeeOther(f"/senior/matches/{posting_id}")
