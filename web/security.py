"""Sessions, the logged-in user, CSRF protection and role guards.

- Sessions are encrypted cookies (aiohttp-session's Fernet storage) keyed from the secret key; the
  cookie holds the token of a server-side login session (``core.login_sessions``), so a login can be
  ended: log out, log out everywhere, a new password and a switched-off account end it on every node.
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

from core import login_sessions
from core.accounts import Role, User
from core.config import Settings
from core.errors import AllWorkError, Forbidden
from web.forms import FORM_TYPES, posted
from web.keys import REQ_CSRF, REQ_USER, SESSIONS, SETTINGS

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


def _same(expected: str, sent: str) -> bool:
    """Constant-time comparison that takes any text (``hmac.compare_digest`` refuses non-ASCII ``str``)."""
    return hmac.compare_digest(expected.encode(), sent.encode("utf-8", "replace"))


@web.middleware
async def csrf_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method in UNSAFE_METHODS and not request.path.startswith("/ws/"):
        session = await get_session(request)
        expected = session.get("csrf")
        if not isinstance(expected, str):
            raise CsrfFailed()  # no page of ours was opened in this session: refused before any body is read
        sent = request.headers.get(CSRF_HEADER)
        if sent is not None and not _same(expected, sent):
            raise CsrfFailed()  # a wrong header: refused before any body is read
        if request.content_type in FORM_TYPES:
            # parsed here once for every handler (request.post() returns it): a malformed body is a 400
            form = await posted(request)
            if sent is None:
                value = form.get(CSRF_FIELD)
                sent = value if isinstance(value, str) else None
        if not (sent and _same(expected, sent)):
            raise CsrfFailed()
    return await handler(request)


@web.middleware
async def user_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Load the logged-in user (if any) into the request once.

    The cookie only names a server-side login session (``core.login_sessions``): one that was ended
    (log out, log out everywhere, a new password, a switched-off account) or unused too long is
    forgotten here, on whichever node the request reaches."""
    request[REQ_USER] = None
    session = await get_session(request)
    token = session.get("sid")
    if isinstance(token, str):
        max_age = request.app[SETTINGS].session_max_age
        user = await login_sessions.user_of(request.app[SESSIONS], token, max_age=max_age)
        if user is None:
            session.invalidate()
        else:
            request[REQ_USER] = user
    elif "uid" in session:
        session.invalidate()  # a cookie from before server-side sessions: log in again
    return await handler(request)


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
    """Start a fresh session for ``user``: a new server-side record and a new cookie, so an old cookie
    cannot be fixed on them."""
    old = await get_session(request)
    old_token = old.get("sid")
    if isinstance(old_token, str):
        await login_sessions.end(request.app[SESSIONS], old_token)
    token = await login_sessions.start(
        request.app[SESSIONS], user.id, max_age=request.app[SETTINGS].session_max_age
    )
    session = await new_session(request)
    session["sid"] = token
    session["csrf"] = secrets.token_urlsafe(32)
    request[REQ_CSRF] = session["csrf"]
    request[REQ_USER] = user


async def log_out(request: web.Request) -> None:
    """End this browser's session on the server (every node) and clear its cookie."""
    session = await get_session(request)
    token = session.get("sid")
    if isinstance(token, str):
        await login_sessions.end(request.app[SESSIONS], token)
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
