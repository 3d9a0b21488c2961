"""Admin pages: the admin's home and accounts for coaches, schedulers and other admins."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from core.accounts import Role, User, count_by_role, create_user, recent_users, validate_account
from core.errors import EmailTaken, InvalidInput
from core.passwords import check_new_password
from web.forms import Form, read_form
from web.keys import SESSIONS
from web.render import flash, gettext_for, render
from web.security import require_user, requires

routes = web.RouteTableDef()

ADMIN_CREATED_ROLES = (Role.COACH, Role.SCHEDULER, Role.ADMIN, Role.SENIOR, Role.COMPANY)


@dataclass
class AdminPage:
    form: Form
    users: list[User] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    roles: tuple[Role, ...] = ADMIN_CREATED_ROLES


async def _page(request: web.Request, form: Form) -> AdminPage:
    sessions = request.app[SESSIONS]
    return AdminPage(form=form, users=await recent_users(sessions, 50), counts=await count_by_role(sessions))


@routes.get("/admin", name="admin")
@requires(Role.ADMIN)
async def admin_home(request: web.Request) -> web.Response:
    return await render(request, "dashboard_admin.html", await _page(request, Form(values={"role": "coach"})))


@routes.post("/admin/users", name="admin_users")
@requires(Role.ADMIN)
async def admin_create_user(request: web.Request) -> web.Response:
    data = await read_form(request, ("email", "name", "password", "role"))
    _ = gettext_for(request)
    form = Form(values={k: data[k] for k in ("email", "name", "role")})
    admin = require_user(request)
    try:
        account = validate_account(data["email"], data["name"], data["password"], data["role"])
        await check_new_password(account.password, email=account.email, name=account.name)
        user = await create_user(request.app[SESSIONS], account, created_by=admin.id)
    except (InvalidInput, EmailTaken) as exc:
        form.show(exc, _)
        return await render(request, "dashboard_admin.html", await _page(request, form), status=exc.status)
    await flash(request, _("Account created: %(email)s", email=user.email))
    raise web.HTTPSeeOther("/admin")
