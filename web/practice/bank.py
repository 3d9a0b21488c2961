"""Admins keep the practice question bank: list, add, edit, disable and enable questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from core.accounts import Role
from core.errors import InvalidInput
from interview.practice import bank
from interview.practice.models import PracticeQuestion
from interview.practice.questions import CATEGORIES, ROLES
from web.forms import Form, read_form
from web.keys import SESSIONS
from web.practice.runtime import labels
from web.render import flash, gettext_for, render, request_language
from web.security import require_user, requires

routes = web.RouteTableDef()


@dataclass
class BankPage:
    rows: list[PracticeQuestion]
    labels: dict[str, Any]
    lang: str


@dataclass
class QuestionFormPage:
    form: Form
    labels: dict[str, Any]
    lang: str
    question_id: str | None = None
    categories: tuple[str, ...] = CATEGORIES
    roles: tuple[str, ...] = ROLES
    fields: tuple[str, ...] = field(default=bank.FIELDS)


@routes.get("/admin/questions", name="question_bank")
@requires(Role.ADMIN)
async def question_bank(request: web.Request) -> web.Response:
    rows = await bank.all_rows(request.app[SESSIONS])
    return await render(request, "practice/bank.html", BankPage(rows, labels(), request_language(request)))


def _form_values(row: PracticeQuestion) -> dict[str, str]:
    return {
        "id": row.id,
        "category": row.category,
        "role": row.role or "",
        "suggested_seconds": str(row.suggested_seconds),
        "text_ko": row.text_ko,
        "text_en": row.text_en,
        "keywords_ko": ", ".join(row.keywords_ko or []),
        "keywords_en": ", ".join(row.keywords_en or []),
        "tip_ko": row.tip_ko,
        "tip_en": row.tip_en,
    }


@routes.get("/admin/questions/new", name="question_new")
@requires(Role.ADMIN)
async def question_new(request: web.Request) -> web.Response:
    form = Form(values={"category": "general", "suggested_seconds": "60"})
    return await render(
        request,
        "practice/question_form.html",
        QuestionFormPage(form, labels(), request_language(request)),
    )


@routes.get(r"/admin/questions/{qid:[a-z0-9-]{1,80}}", name="question_edit")
@requires(Role.ADMIN)
async def question_edit(request: web.Request) -> web.Response:
    row = await bank.get_row(request.app[SESSIONS], request.match_info["qid"])
    page = QuestionFormPage(Form(values=_form_values(row)), labels(), request_language(request), row.id)
    return await render(request, "practice/question_form.html", page)


async def _save(request: web.Request, question_id: str | None) -> web.Response:
    data = await read_form(request, bank.FIELDS)
    _ = gettext_for(request)
    try:
        q = await bank.save(request.app[SESSIONS], require_user(request), data, question_id=question_id)
    except InvalidInput as exc:
        form = Form(values=data).show(exc, _)
        page = QuestionFormPage(form, labels(), request_language(request), question_id)
        return await render(request, "practice/question_form.html", page, status=exc.status)
    await flash(request, _("The question %(id)s was saved.", id=q.id))
    raise web.HTTPSeeOther("/admin/questions")


@routes.post("/admin/questions", name="question_create")
@requires(Role.ADMIN)
async def question_create(request: web.Request) -> web.Response:
    return await _save(request, None)


@routes.post(r"/admin/questions/{qid:[a-z0-9-]{1,80}}", name="question_update")
@requires(Role.ADMIN)
async def question_update(request: web.Request) -> web.Response:
    return await _save(request, request.match_info["qid"])


@routes.post(r"/admin/questions/{qid:[a-z0-9-]{1,80}}/active", name="question_active")
@requires(Role.ADMIN)
async def question_active(request: web.Request) -> web.Response:
    data = await read_form(request, ("active",))
    active = data["active"] == "1"
    await bank.set_active(request.app[SESSIONS], require_user(request), request.match_info["qid"], active)
    _ = gettext_for(request)
    await flash(
        request, _("The question is in use again.") if active else _("The question is no longer used.")
    )
    raise web.HTTPSeeOther("/admin/questions")
