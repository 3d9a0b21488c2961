"""Log in, log out, sign up, and /dashboard (each role's home)."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from core.accounts import SELF_SIGNUP_ROLES, Role, create_user, login, validate_account
from core.errors import EmailTaken, InvalidInput, LoginFailed, TooManyAttempts
from core.i18n import N_
from core.passwords import check_new_password
from web.accounts.throttle import (
    SIGNUP_REFUSED,
    client_address,
    count_signup,
    is_known_device,
    remember_device,
)
from web.forms import Form, read_form
from web.keys import SESSIONS, SETTINGS
from web.render import gettext_for, render, request_language
from web.security import current_user, log_in, log_out, require_user, requires, safe_next

routes = web.RouteTableDef()

DASHBOARDS = {
    Role.SENIOR: "/senior",
    Role.COMPANY: "/company",
    Role.COACH: "/coach",
    Role.SCHEDULER: "/scheduler",
    Role.ADMIN: "/admin",
}


@dataclass
class LoginPage:
    form: Form
    next: str


@dataclass
class SignupPage:
    form: Form
    roles: list[tuple[str, str]] = field(default_factory=list)


@routes.get("/login", name="login")
async def login_form(request: web.Request) -> web.Response:
    if current_user(request) is not None:
        raise web.HTTPSeeOther("/dashboard")
    return await render(request, "login.html", LoginPage(Form(), safe_next(request.query.get("next"), "")))


@routes.post("/login")
async def login_submit(request: web.Request) -> web.Response:
    data = await read_form(request, ("email", "password", "next"))
    settings = request.app[SETTINGS]
    _ = gettext_for(request)
    form = Form(values={"email": data["email"]})
    try:
        user = await login(
            request.app[SESSIONS],
            data["email"],
            data["password"],
            address=client_address(request),
            max_failures=settings.login_max_failures,
            window=settings.login_failure_window,
            known_device=is_known_device(request, data["email"]),
        )
    except (LoginFailed, TooManyAttempts) as exc:
        form.show(exc, _)
        return await render(
            request, "login.html", LoginPage(form, safe_next(data["next"], "")), status=exc.status
        )
    await log_in(request, user)
    done = web.HTTPSeeOther(safe_next(data["next"], DASHBOARDS[user.role]))
    remember_device(request, done, user.email)
    raise done


@routes.post("/logout", name="logout")
async def logout(request: web.Request) -> web.Response:
    await log_out(request)
    raise web.HTTPSeeOther("/")


def _signup_roles(request: web.Request) -> list[tuple[str, str]]:
    _ = gettext_for(request)
    labels = {Role.SENIOR: _("I am looking for work"), Role.COMPANY: _("I am hiring for a company")}
    return [(role.value, labels[role]) for role in SELF_SIGNUP_ROLES]


@routes.get("/signup", name="signup")
async def signup_form(request: web.Request) -> web.Response:
    role = request.query.get("role", Role.SENIOR.value)
    form = Form(values={"role": role if role in {r.value for r in SELF_SIGNUP_ROLES} else Role.SENIOR.value})
    return await render(request, "signup.html", SignupPage(form, _signup_roles(request)))


@routes.post("/signup")
async def signup_submit(request: web.Request) -> web.Response:
    data = await read_form(request, ("email", "name", "password", "password2", "role"))
    _ = gettext_for(request)
    form = Form(values={k: data[k] for k in ("email", "name", "role")})
    try:
        if data["role"] not in {r.value for r in SELF_SIGNUP_ROLES}:
            raise InvalidInput(fields={"role": N_("Please choose what kind of account you need.")})
        account = validate_account(
            data["email"], data["name"], data["password"], data["role"], request_language(request)
        )
        if data["password"] != data["password2"]:
            raise InvalidInput(fields={"password2": N_("The two passwords are not the same.")})
        await check_new_password(account.password, email=account.email, name=account.name)
        await count_signup(request)  # before the password is hashed
        user = await create_user(request.app[SESSIONS], account)
    except EmailTaken:
        # the same words as for any form that cannot be used: nothing says that the address has an account
        form.show(InvalidInput(SIGNUP_REFUSED), _)
        return await render(request, "signup.html", SignupPage(form, _signup_roles(request)), status=422)
    except (InvalidInput, TooManyAttempts) as exc:
        form.show(exc, _)
        return await render(
            request, "signup.html", SignupPage(form, _signup_roles(request)), status=exc.status
        )
    await log_in(request, user)
    raise web.HTTPSeeOther(DASHBOARDS[user.role])


@routes.get("/dashboard", name="dashboard")
@requires()
async def dashboard(request: web.Request) -> web.Response:
    user = require_user(request)
    raise web.HTTPSeeOther(DASHBOARDS[user.role])
