"""A company's pages: home, company profile, postings, and the candidates of each posting with reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from core.accounts import Role
from core.errors import InvalidInput, NotFound
from interview.rooms import service as rooms_service
from interview.rooms.service import RoomListing
from matching import details, records
from matching.errors import AgeLimitFound, AlreadyRequested, CompanyNotApproved, NotMatchable, ProfileMissing
from matching.models import Company, Posting
from web.forms import Form, read_form
from web.keys import PUBSUB, SESSIONS
from web.matching.decisions import STAGE_LABELS
from web.matching.forms import (
    COMPANY_FIELDS,
    POSTING_FIELDS,
    Reason,
    company_values,
    posting_values,
    reasons,
    region_label,
    region_names,
)
from web.matching.live import MATCHING, announce_change
from web.render import flash, gettext_for, render, request_language
from web.scheduling.cards import AboutRooms, about_rooms
from web.security import require_user, requires

routes = web.RouteTableDef()
PER_PAGE = 10


@dataclass
class CompanyHome:
    company: Company | None
    postings: list[Posting] = field(default_factory=list)
    region: str = ""
    #: "my interviews" (rooms/_my_rooms.html)
    my_rooms: list[RoomListing] = field(default_factory=list)
    about_rooms: AboutRooms = field(default_factory=AboutRooms)


@dataclass
class CompanyFormPage:
    form: Form
    region_names: list[str]
    is_new: bool


@dataclass
class PostingFormPage:
    form: Form
    region_names: list[str]
    posting_id: int | None


@dataclass
class CandidateView:
    senior_id: int
    name: str
    headline: str
    years: float
    score: int
    reasons: list[Reason]
    #: the pair's stage in words when an interview was already asked for, else ""
    stage: str = ""


@dataclass
class CandidatesPage:
    posting: Posting
    candidates: list[CandidateView]
    total: int
    page: int
    pages: int


async def _company(request: web.Request) -> Company | None:
    user = require_user(request)
    companies = await records.companies_of(request.app[SESSIONS], user.id)
    return companies[0] if companies else None


async def _own_posting(request: web.Request) -> Posting:
    company = await _company(request)
    try:
        posting_id = int(request.match_info["posting_id"])
    except ValueError:
        raise NotFound() from None
    posting = await records.get_posting(request.app[SESSIONS], posting_id)
    if company is None or posting is None or posting.company_id != company.id:
        raise NotFound()  # another company's posting looks like no posting at all
    return posting


@routes.get("/company", name="company")
@requires(Role.COMPANY)
async def company_home(request: web.Request) -> web.Response:
    company = await _company(request)
    page = CompanyHome(company)
    if company is not None:
        page.region = region_label(company.region, request_language(request))
        page.postings = await records.postings_of(request.app[SESSIONS], company.id)
    page.my_rooms = await rooms_service.rooms_for(request.app[SESSIONS], require_user(request))
    page.about_rooms = await about_rooms(request.app[SESSIONS], page.my_rooms)
    return await render(request, "dashboard_company.html", page)


@routes.get("/company/profile", name="company_profile")
@requires(Role.COMPANY)
async def company_form(request: web.Request) -> web.Response:
    company = await _company(request)
    page = CompanyFormPage(
        Form(values=company_values(company)), region_names(request_language(request)), company is None
    )
    return await render(request, "matching/company_form.html", page)


@routes.post("/company/profile")
@requires(Role.COMPANY)
async def company_submit(request: web.Request) -> web.Response:
    user = require_user(request)
    company = await _company(request)
    values = await read_form(request, COMPANY_FIELDS)
    _ = gettext_for(request)
    try:
        await request.app[MATCHING].save_company(user, values, company.id if company else None)
    except InvalidInput as exc:
        form = Form(values).show(exc, _)
        page = CompanyFormPage(form, region_names(request_language(request)), company is None)
        return await render(request, "matching/company_form.html", page, status=422)
    await flash(request, _("Your company profile is saved."))
    raise web.HTTPSeeOther("/company")


@routes.get("/company/postings/new", name="posting_new")
@requires(Role.COMPANY)
async def posting_new(request: web.Request) -> web.Response:
    if await _company(request) is None:
        raise web.HTTPSeeOther("/company/profile")
    page = PostingFormPage(Form(values=posting_values(None)), region_names(request_language(request)), None)
    return await render(request, "matching/posting_form.html", page)


@routes.get(r"/company/postings/{posting_id:\d+}/edit", name="posting_edit")
@requires(Role.COMPANY)
async def posting_edit(request: web.Request) -> web.Response:
    posting = await _own_posting(request)
    page = PostingFormPage(
        Form(values=posting_values(posting)), region_names(request_language(request)), posting.id
    )
    return await render(request, "matching/posting_form.html", page)


@routes.post("/company/postings/new")
@routes.post(r"/company/postings/{posting_id:\d+}/edit")
@requires(Role.COMPANY)
async def posting_submit(request: web.Request) -> web.Response:
    user = require_user(request)
    company = await _company(request)
    if company is None:
        raise web.HTTPSeeOther("/company/profile")
    posting_id = (await _own_posting(request)).id if "posting_id" in request.match_info else None
    values = await read_form(request, POSTING_FIELDS)
    _ = gettext_for(request)
    try:
        posting = await request.app[MATCHING].save_posting(
            user, values, company_id=company.id, posting_id=posting_id
        )
    except InvalidInput as exc:
        form = Form(values).show(exc, _)
        if isinstance(exc, AgeLimitFound):  # the field's message quotes the sentence and names the law
            form.errors = {name: _(msg, **exc.params) for name, msg in exc.fields.items()}
        page = PostingFormPage(form, region_names(request_language(request)), posting_id)
        return await render(request, "matching/posting_form.html", page, status=422)
    await announce_change(request.app, posting_ids=[posting.id])
    await flash(request, _("The job posting is saved."))
    raise web.HTTPSeeOther("/company")


@routes.get(r"/company/postings/{posting_id:\d+}/candidates", name="posting_candidates")
@requires(Role.COMPANY)
async def candidates(request: web.Request) -> web.Response:
    user = require_user(request)
    posting = await _own_posting(request)
    try:
        page_no = max(1, min(int(request.query.get("page", "1")), 1000))
    except ValueError:
        page_no = 1
    _ = gettext_for(request)
    try:
        result = await request.app[MATCHING].rank_seniors_for_posting(
            posting.id, user, None, page_no, PER_PAGE
        )
    except CompanyNotApproved:
        await flash(request, _(CompanyNotApproved.message))
        raise web.HTTPSeeOther("/company") from None
    except NotFound:
        result = None
    pairs = await details.pair_stages(request.app[SESSIONS], posting.id)
    views = [
        CandidateView(
            item.senior_id,
            str(item.info.get("name", "")),
            str(item.info.get("headline", "")),
            float(item.info.get("years", 0)),
            round(item.score * 100),
            reasons(item.factors, _),
            _(STAGE_LABELS[pairs[item.senior_id].stage]) if item.senior_id in pairs else "",
        )
        for item in (result.items if result else [])
    ]
    total = result.total if result else 0
    page = CandidatesPage(posting, views, total, page_no, max(1, -(-total // PER_PAGE)))
    return await render(request, "matching/candidates.html", page)


@routes.post(r"/company/postings/{posting_id:\d+}/candidates/{senior_id:\d+}/request", name="company_request")
@requires(Role.COMPANY)
async def company_request(request: web.Request) -> web.Response:
    user = require_user(request)
    posting = await _own_posting(request)
    senior_id = int(request.match_info["senior_id"])
    _ = gettext_for(request)
    try:
        await request.app[MATCHING].request_interview(user, senior_id, posting.id, pubsub=request.app[PUBSUB])
        await flash(
            request,
            _("Your request is sent. A scheduler will offer times; you will be told here and by e-mail."),
        )
    except (AlreadyRequested, NotMatchable, ProfileMissing, CompanyNotApproved) as exc:
        await flash(request, _(exc.message))
    back = request.query.get("back", "")
    if back == "profile":
        raise web.HTTPSeeOther(f"/company/postings/{posting.id}/candidates/{senior_id}")
    raise web.HTTPSeeOther(f"/company/postings/{posting.id}/candidates")
