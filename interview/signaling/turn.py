"""ICE servers for browsers: STUN and TURN URLs from settings, TURN credentials per join.

TURN credentials follow the TURN REST API scheme (draft-uberti-behave-turn-rest-00) that
coturn implements with ``--use-auth-secret --static-auth-secret=SECRET``: the username is
``<expiry unix time>:<user id>`` and the password is base64(HMAC-SHA1(SECRET, username)).
A standard coturn checks them without talking to us; they stop working at the expiry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.clock import utcnow
from core.config import Settings


@dataclass(frozen=True, slots=True)
class TurnCredential:
    username: str
    credential: str
    expires_at: int


def turn_credential(
    secret: bytes | str, user_id: int | str, ttl: int, now: datetime | None = None
) -> TurnCredential:
    """A time-limited TURN username and password for ``user_id``."""
    key = secret.encode() if isinstance(secret, str) else secret
    expiry = int((now or utcnow()).timestamp()) + int(ttl)
    username = f"{expiry}:{user_id}"
    digest = hmac.new(key, username.encode(), hashlib.sha1).digest()
    return TurnCredential(username, base64.b64encode(digest).decode("ascii"), expiry)


def _urls(value: str, schemes: tuple[str, ...]) -> list[str]:
    urls = [u.strip() for u in value.split(",") if u.strip()]
    for url in urls:
        if not url.startswith(schemes):
            raise ValueError(f"ICE server URL must start with {' or '.join(schemes)}: {url!r}")
    return urls


def ice_servers(settings: Settings, user_id: int | str, now: datetime | None = None) -> list[dict[str, Any]]:
    """The ``iceServers`` list of an ``RTCConfiguration`` for this user, as JSON-ready dicts."""
    servers: list[dict[str, Any]] = []
    stun = _urls(settings.stun_urls, ("stun:", "stuns:"))
    if stun:
        servers.append({"urls": stun})
    turn = _urls(settings.turn_urls, ("turn:", "turns:"))
    if turn and settings.turn_secret is not None:
        cred = turn_credential(settings.turn_secret.get_secret_value(), user_id, settings.turn_ttl, now)
        servers.append({"urls": turn, "username": cred.username, "credential": cred.credential})
    return servers
