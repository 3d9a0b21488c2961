"""Admin pages for vetting companies: site-visit logs and the approve / reject decision."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from core.accounts import Role
from core.errors import AllWorkError, InvalidInput, NotFound
from matching import records
from matching.models import Company, Posting, SiteVisit, VettingStatus
from web.forms import Form, read_form
from web.keys import SESSIONS
from web.matching.forms import VISIT_FIELDS, region_label
from web.matching.live import MATCHING, announce_change
from web.render import flash, gettext_for, render, request_language
from web.security import require_user, requires

routes = web.RouteTableDef()


@dataclass
class CompaniesPage:
    companies: list[tuple[Company, str]]


@dataclass
class CompanyPage:
    company: Company
    region: str
    visits: list[SiteVisit]
    postings: list[Posting]
    form: Form


async def _company(request: web.Request) -> Company:
    try:
        company_id = int(request.match_info["company_id"])
    except ValueError:
        raise NotFound() from None
    company = await records.get_company(request.app[SESSIONS], company_id)
    if company is None:
        raise NotFound()
    return company


async def _company_page(request: web.Request, company: Company, form: Form) -> CompanyPage:
    postings = await records.postings_of(request.app[SESSIONS], company.id)
    visits = await records.site_visits(request.app[SESSIONS], company.id)
    return CompanyPage(
        company, region_label(company.region, request_language(request)), visits, postings, form
    )


@routes.get("/admin/companies", name="admin_companies")
@requires(Role.ADMIN)
async def companies(request: web.Request) -> web.Response:
    lang = request_language(request)
    rows = await records.companies_for_vetting(request.app[SESSIONS])
    return await render(
        request,
        "matching/admin_companies.html",
        CompaniesPage([(c, region_label(c.region, lang)) for c in rows]),
    )


@routes.get(r"/admin/companies/{company_id:\d+}", name="admin_company")
@requires(Role.ADMIN)
async def company_detail(request: web.Request) -> web.Response:
    company = await _company(request)
    return await render(request, "matching/admin_company.html", await _company_page(request, company, Form()))


@routes.post(r"/admin/companies/{company_id:\d+}/visits", name="admin_visit")
@requires(Role.ADMIN)
async def log_visit(request: web.Request) -> web.Response:
    admin = require_user(request)
    company = await _company(request)
    values = await read_form(request, VISIT_FIELDS)
    _ = gettext_for(request)
    try:
        await request.app[MATCHING].record_site_visit(admin, company.id, values)
    except InvalidInput as exc:
        form = Form(values).show(exc, _)
        return await render(
            request, "matching/admin_company.html", await _company_page(request, company, form), status=422
        )
    await flash(request, _("The visit is recorded."))
    raise web.HTTPSeeOther(f"/admin/companies/{company.id}")


@routes.post(r"/admin/companies/{company_id:\d+}/vetting", name="admin_vet")
@requires(Role.ADMIN)
async def vet(request: web.Request) -> web.Response:
    admin = require_user(request)
    company = await _company(request)
    data = await read_form(request, ("status",))
    _ = gettext_for(request)
    if data["status"] not in {s.value for s in VettingStatus}:
        raise InvalidInput(fields={"status": InvalidInput.message})
    try:
        await request.app[MATCHING].vet_company(admin, company.id, data["status"])
    except AllWorkError as exc:
        await flash(request, _(exc.message, **exc.params))
        raise web.HTTPSeeOther(f"/admin/companies/{company.id}") from None
    open_postings = await records.open_posting_ids(request.app[SESSIONS], company.id)
    await announce_change(request.app, posting_ids=open_postings, company_id=company.id)
    await flash(request, _("The company's status is saved."))
    raise web.HTTPSeeOther(f"/admin/companies/{company.id}")
