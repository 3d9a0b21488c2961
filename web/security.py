"""Sessions, the logged-in user, CSRF protection and role guards.

- Sessions are encrypted cookies (aiohttp-session's Fernet storage) keyed from the secret key.
- Every state-changing request (POST, PUT, PATCH, DELETE) must carry the session's CSRF token,
  as the form field ``csrf_token`` or the ``X-CSRF-Token`` header; without it: a 403 page.
- ``@requires(Role.X, ...)`` guards a handler: a visitor is sent to the login page, a
  logged-in user of another role gets 403.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from functools import wraps
from urllib.parse import quote, urlsplit

from aiohttp import web
from aiohttp_session import get_session, new_session
from aiohttp_session import setup as setup_session
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from core.accounts import Role, User, get_user
from core.config import Settings
from core.errors import AllWorkError, Forbidden
from web.keys import REQ_CSRF, REQ_USER, SESSIONS

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class CsrfFailed(AllWorkError):
    code = "csrf_failed"
    message = "This page was open too long or came from elsewhere. Please go back, reload and try again."
    status = 403


def install_sessions(app: web.Application, settings: Settings) -> None:
    key = hashlib.sha256(b"allwork-session:" + settings.secret()).digest()  # 32 raw bytes
    storage = EncryptedCookieStorage(
        key,
        cookie_name="allwork_session",
        max_age=settings.session_max_age,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="Lax",
    )
    setup_session(app, storage)


async def csrf_token(request: web.Request) -> str:
    """The session's CSRF token, created on first use."""
    if REQ_CSRF in request:
        return str(request[REQ_CSRF])
    session = await get_session(request)
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    request[REQ_CSRF] = token
    return token


@web.middleware
async def csrf_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method in UNSAFE_METHODS and not request.path.startswith("/ws/"):
        session = await get_session(request)
        expected = session.get("csrf")
        sent = request.headers.get(CSRF_HEADER)
        if sent is None and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            form = await request.post()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
        if not (isinstance(expected, str) and sent and hmac.compare_digest(expected, sent)):
            raise CsrfFailed()
    return await handler(request)


@web.middleware
async def user_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Load the logged-in user (if any) into the request once."""
    request[REQ_USER] = None
    session = await get_session(request)
    user_id = session.get("uid")
    if isinstance(user_id, int):
        user = await get_user(request.app[SESSIONS], user_id)
        if user is None:
            session.invalidate()
        elif session.get("pwv") != password_version(user):
            session.invalidate()  # password changed elsewhere: old logins end
        else:
            request[REQ_USER] = user
    return await handler(request)


def password_version(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def current_user(request: web.Request) -> User | None:
    user = request.get(REQ_USER)
    return user if isinstance(user, User) else None


def require_user(request: web.Request) -> User:
    """The logged-in user of a handler guarded by :func:`requires`.

    A visitor who reached it anyway (a handler without the guard) is sent to the login page."""
    user = current_user(request)
    if user is None:
        raise web.HTTPSeeOther(f"/login?next={quote(request.path_qs, safe='/?=&')}")
    return user


async def log_in(request: web.Request, user: User) -> None:
    """Start a fresh session for ``user`` (a new session id, so an old cookie cannot be fixed on them)."""
    session = await new_session(request)
    session["uid"] = user.id
    session["pwv"] = password_version(user)
    session["csrf"] = secrets.token_urlsafe(32)
    request[REQ_CSRF] = session["csrf"]


async def log_out(request: web.Request) -> None:
    session = await get_session(request)
    session.invalidate()


def safe_next(target: str | None, default: str = "/") -> str:
    """The place to go after logging in or switching the language: a same-site path, else ``default``.

    Browsers drop tabs and line breaks anywhere in a URL and read ``\\`` as ``/``, so ``/%09/evil.example``
    (a tab after the slash) becomes ``//evil.example``, another site. The target is trimmed, refused when
    it holds a control or other unprintable character or a backslash, and must then parse as a path with
    no scheme and no host that starts with a single ``/``. Login's ``next`` and the language switch's
    ``next`` both go through here."""
    if not target:
        return default
    target = target.strip(" ")
    if not target.isprintable() or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def requires(*roles: Role) -> Callable[[Handler], Handler]:
    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            user = current_user(request)
            if user is None:
                raise web.HTTPSeeOther(f"/login?next={quote(request.path_qs, safe='/?=&')}")
            if roles and user.role not in roles:
                raise Forbidden()
            return await handler(request)

        guarded.__dict__["allwork_roles"] = roles
        return guarded

    return decorate
