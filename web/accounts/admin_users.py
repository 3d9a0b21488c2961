"""The admin's page for one account (``/admin/users/<id>``): a reset link to give by phone, shown once,
and switching the account off or on again. ``/admin/users/find?email=`` opens an account by its address."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from core import login_sessions
from core.accounts import Role, User, user_by_email
from core.credentials import ADMIN_RESET_HOURS, account_of, issue_reset, set_active
from core.errors import InvalidInput, NotFound
from web.forms import read_form
from web.keys import SESSIONS, SETTINGS
from web.render import flash, gettext_for, render
from web.security import require_user, requires

routes = web.RouteTableDef()


@dataclass
class AccountPage:
    account: User
    #: logged-in browsers of this account
    open_sessions: int
    #: the reset link just issued, shown this once (never stored in a readable form)
    link: str = ""
    hours: int = ADMIN_RESET_HOURS
    error: str = ""


def _user_id(request: web.Request) -> int:
    raw = request.match_info["user_id"]
    if not raw.isdigit() or len(raw) > 12:
        raise NotFound()
    return int(raw)


async def _page(request: web.Request, user_id: int, *, link: str = "", error: str = "") -> AccountPage:
    sessions = request.app[SESSIONS]
    account = await account_of(sessions, require_user(request), user_id)
    count = await login_sessions.open_count(
        sessions, account.id, max_age=request.app[SETTINGS].session_max_age
    )
    return AccountPage(account, count, link=link, error=error)


@routes.get("/admin/users/find", name="admin_user_find")
@requires(Role.ADMIN)
async def find_account(request: web.Request) -> web.Response:
    email = request.query.get("email", "")[:254]
    user = await user_by_email(request.app[SESSIONS], email) if email.strip() else None
    if user is None:
        _ = gettext_for(request)
        await flash(request, _("No account has the address %(email)s.", email=email.strip()))
        raise web.HTTPSeeOther("/admin#accounts")
    raise web.HTTPSeeOther(f"/admin/users/{user.id}")


@routes.get("/admin/users/{user_id:\\d+}", name="admin_user")
@requires(Role.ADMIN)
async def account_page(request: web.Request) -> web.Response:
    return await render(request, "accounts/admin_user.html", await _page(request, _user_id(request)))


@routes.post("/admin/users/{user_id:\\d+}/reset", name="admin_user_reset")
@requires(Role.ADMIN)
async def issue_link(request: web.Request) -> web.Response:
    user_id = _user_id(request)
    _ = gettext_for(request)
    try:
        _account, code = await issue_reset(request.app[SESSIONS], require_user(request), user_id)
    except InvalidInput as exc:
        page = await _page(request, user_id, error=_(exc.message))
        return await render(request, "accounts/admin_user.html", page, status=exc.status)
    link = f"{request.app[SETTINGS].public_url.rstrip('/')}/password/reset/{code}"
    # shown on this response only: a reload or the back button cannot show it again
    return await render(request, "accounts/admin_user.html", await _page(request, user_id, link=link))


@routes.post("/admin/users/{user_id:\\d+}/active", name="admin_user_active")
@requires(Role.ADMIN)
async def switch_active(request: web.Request) -> web.Response:
    user_id = _user_id(request)
    data = await read_form(request, ("active",))
    _ = gettext_for(request)
    if data["active"] not in ("0", "1"):
        page = await _page(request, user_id, error=_("Please use the buttons on this page."))
        return await render(request, "accounts/admin_user.html", page, status=422)
    try:
        active = data["active"] == "1"
        account = await set_active(request.app[SESSIONS], require_user(request), user_id, active)
    except InvalidInput as exc:
        page = await _page(request, user_id, error=_(exc.message))
        return await render(request, "accounts/admin_user.html", page, status=exc.status)
    if account.is_active:
        await flash(request, _("The account of %(name)s is on again. They can log in.", name=account.name))
    else:
        text = _("The account of %(name)s is switched off and logged out everywhere.", name=account.name)
        await flash(request, text)
    raise web.HTTPSeeOther(f"/admin/users/{user_id}")
