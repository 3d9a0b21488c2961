"""What the login throttle needs from a request: the client's address and whether this browser is known;
and the sign-up form's count per address.

- The client's address is the connection's peer, unless that peer is one of the configured trusted
  proxies (``ALLWORK_TRUSTED_PROXIES``, e.g. the load balancer): then ``X-Forwarded-For`` is read from
  the right, skipping trusted hops, and the first address that is not a trusted proxy is the client.
  Without trusted proxies the header is ignored, so nobody picks their own address by sending it.
- A browser that logged in to an account gets a *known device* cookie for it: an HMAC of the e-mail
  under the secret key. Its logins are not held back by the account-wide counter (OWASP's device
  cookies), so a stranger guessing the password from many addresses does not lock the owner out of
  the browser they always use.
"""

from __future__ import annotations

import hashlib
import hmac
from ipaddress import ip_address

from aiohttp import web

from core import throttle
from core.config import Settings
from core.i18n import N_
from web.keys import SESSIONS, SETTINGS

DEVICE_KEY = web.AppKey("device_key", bytes)
DEVICE_COOKIE = "allwork_device"
DEVICE_MAX_AGE = 180 * 24 * 3600
#: a browser keeps the cookies of this many accounts at most (a shared family computer)
DEVICE_ACCOUNTS = 3


def client_address(request: web.Request) -> str:
    """The address the throttle counts this request under (see the module's description)."""
    settings = request.app[SETTINGS]
    peer = str(request.remote or "unknown")
    networks = settings.trusted_proxy_networks
    if not networks or not _trusted(peer, settings):
        return peer
    hops = [h.strip() for h in ",".join(request.headers.getall("X-Forwarded-For", [])).split(",")]
    for hop in reversed([h for h in hops if h]):
        try:
            address = str(ip_address(hop))
        except ValueError:
            return peer  # a malformed hop: trust nothing the proxy passed on
        if not _trusted(address, settings):
            return address
    return peer


def _trusted(address: str, settings: Settings) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.trusted_proxy_networks)


def setup(app: web.Application, settings: Settings) -> None:
    """Derive the known-device key once, at start-up (reading the secret may read a file)."""
    app[DEVICE_KEY] = hashlib.sha256(b"allwork-device:" + settings.secret()).digest()


def _device_mark(request: web.Request, email: str) -> str:
    key = request.app[DEVICE_KEY]
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


def is_known_device(request: web.Request, email: str) -> bool:
    """True when this browser has logged in to ``email``'s account before."""
    marks = request.cookies.get(DEVICE_COOKIE, "").split(".")
    expected = _device_mark(request, email)
    return any(hmac.compare_digest(mark, expected) for mark in marks if mark)


def remember_device(request: web.Request, response: web.StreamResponse, email: str) -> None:
    """Mark this browser as known for ``email`` (kept with up to two other accounts)."""
    settings = request.app[SETTINGS]
    mark = _device_mark(request, email)
    others = [m for m in request.cookies.get(DEVICE_COOKIE, "").split(".") if m and m != mark]
    response.set_cookie(
        DEVICE_COOKIE,
        ".".join([mark, *others][:DEVICE_ACCOUNTS]),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="Lax",
    )


#: the sign-up form's answer for an address that already has an account: it does not say so
SIGNUP_REFUSED = N_(
    "We could not make an account with these details. If you already have an account, please log in; "
    "if you forgot its password, choose “Forgot your password?” on the login page."
)


async def count_signup(request: web.Request) -> None:
    """Count a sign-up from this address before its password is hashed; :class:`TooManyAttempts` past
    ``ALLWORK_LOGIN_MAX_FAILURES`` × 4 in the window (each try costs an Argon2 hash, and each could
    probe whether an address has an account)."""
    settings = request.app[SETTINGS]
    limit = settings.login_max_failures * throttle.WIDE_FACTOR
    counter = throttle.Counter(f"signup:{client_address(request)}", limit)
    await throttle.take(request.app[SESSIONS], [counter], window=settings.login_failure_window)
