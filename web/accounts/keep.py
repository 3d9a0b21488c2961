"""Keeping an account: a forgotten password (``/password/forgot``, ``/password/reset/<code>``), changing
the password (``/account/password``) and "log out everywhere" (``/account/sessions/end``).

The forgot form answers every address with the same neutral page; a link goes out by mail (the outbox,
and SMTP when set) only when an active account has the address. The services live in
``core.credentials`` and ``core.login_sessions``.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from core import login_sessions
from core.credentials import (
    ResetLinkExpired,
    ResetLinkInvalid,
    change_password,
    request_reset,
    reset_link_user,
    reset_mail,
    reset_password,
)
from core.errors import InvalidInput
from core.i18n import N_
from web.forms import Form, read_form
from web.keys import CATALOGS, SESSIONS, SETTINGS
from web.messaging import MAILER
from web.render import flash, gettext_for, render
from web.security import current_user, log_in, log_out, require_user, requires

routes = web.RouteTableDef()

#: the hint under every new-password field
PASSWORD_HINT = N_(
    "At least 8 characters. Not a birthday, a phone number or an easy one like qwer1234: "
    "two or three words only you would think of, with a number, work well."
)


@dataclass
class ForgotPage:
    form: Form
    sent: bool = False
    minutes: int = 30


@dataclass
class ResetPage:
    form: Form
    code: str
    #: the reason the link cannot be used (translated), or "" when the form is shown
    problem: str = ""
    hint: str = PASSWORD_HINT


@dataclass
class ChangePage:
    form: Form
    hint: str = PASSWORD_HINT


@routes.get("/password/forgot", name="password_forgot")
async def forgot_form(request: web.Request) -> web.Response:
    minutes = request.app[SETTINGS].password_reset_minutes
    form = Form(values={"email": request.query.get("email", "")[:254]})
    return await render(request, "accounts/forgot.html", ForgotPage(form, minutes=minutes))


@routes.post("/password/forgot")
async def forgot_submit(request: web.Request) -> web.Response:
    data = await read_form(request, ("email",))
    settings = request.app[SETTINGS]
    _ = gettext_for(request)
    email = data["email"].strip()
    if not email or "@" not in email or len(email) > 254:
        problem = _("Please enter an email address like name@example.com.")
        form = Form(values={"email": email}, errors={"email": problem})
        page = ForgotPage(form, minutes=settings.password_reset_minutes)
        return await render(request, "accounts/forgot.html", page, status=422)
    found = await request_reset(request.app[SESSIONS], email, valid_minutes=settings.password_reset_minutes)
    if found is not None:
        user, code = found
        link = f"{settings.public_url.rstrip('/')}/password/reset/{code}"
        mail = reset_mail(
            to=user.email,
            name=user.name,
            link=link,
            minutes=settings.password_reset_minutes,
            _=request.app[CATALOGS].gettext(user.language),
        )
        await request.app[MAILER].send(mail)
    # the same page whether or not the address has an account
    page = ForgotPage(Form(values={"email": email}), sent=True, minutes=settings.password_reset_minutes)
    return await render(request, "accounts/forgot.html", page)


@routes.get("/password/reset/{code}", name="password_reset")
async def reset_form(request: web.Request) -> web.Response:
    code = request.match_info["code"][:100]
    _ = gettext_for(request)
    try:
        await reset_link_user(request.app[SESSIONS], code)
    except (ResetLinkInvalid, ResetLinkExpired) as exc:
        page = ResetPage(Form(), code, _(exc.message))
        return await render(request, "accounts/reset.html", page, status=exc.status)
    return await render(request, "accounts/reset.html", ResetPage(Form(), code))


@routes.post("/password/reset/{code}")
async def reset_submit(request: web.Request) -> web.Response:
    code = request.match_info["code"][:100]
    data = await read_form(request, ("password", "password2"))
    _ = gettext_for(request)
    try:
        await reset_password(request.app[SESSIONS], code, data["password"], data["password2"])
    except (ResetLinkInvalid, ResetLinkExpired) as exc:
        page = ResetPage(Form(), code, _(exc.message))
        return await render(request, "accounts/reset.html", page, status=exc.status)
    except InvalidInput as exc:
        form = Form().show(exc, _)
        return await render(request, "accounts/reset.html", ResetPage(form, code), status=exc.status)
    if current_user(request) is not None:
        await log_out(request)
    await flash(request, _("Your new password is set. Please log in with it."))
    raise web.HTTPSeeOther("/login")


@routes.get("/account/password", name="account_password")
@requires()
async def change_form(request: web.Request) -> web.Response:
    return await render(request, "accounts/change_password.html", ChangePage(Form()))


@routes.post("/account/password")
@requires()
async def change_submit(request: web.Request) -> web.Response:
    user = require_user(request)
    data = await read_form(request, ("current", "password", "password2"))
    _ = gettext_for(request)
    try:
        user = await change_password(
            request.app[SESSIONS], user, data["current"], data["password"], data["password2"]
        )
    except InvalidInput as exc:
        form = Form().show(exc, _)
        return await render(request, "accounts/change_password.html", ChangePage(form), status=exc.status)
    # every session ended, this one too: start a fresh one for this browser
    await log_in(request, user)
    await flash(request, _("Your password is changed. Every other device that was logged in is logged out."))
    raise web.HTTPSeeOther("/account/settings")


@routes.post("/account/sessions/end", name="account_sessions_end")
@requires()
async def end_everywhere(request: web.Request) -> web.Response:
    user = require_user(request)
    await login_sessions.end_everywhere(request.app[SESSIONS], user.id)
    await log_out(request)
    _ = gettext_for(request)
    await flash(request, _("You are logged out on every device, this one too."))
    raise web.HTTPSeeOther("/login")
