"""Room tokens: short-lived, signed, bound to one user, one room and the user's role in it.

The web layer issues a token (through the rooms service, after it has checked that the
logged-in user takes part in the room) and the browser presents it in its ``join`` message.
Tokens are JWTs (PyJWT, HS256) signed with :meth:`Settings.secret`; each refusal is its own
error with a code the client can act on (fetch a new token, show "wrong room" …).
"""

from __future__ import annotations

import enum
import functools
import uuid
from dataclasses import dataclass
from datetime import datetime

import jwt

from core.clock import utcnow
from core.config import Settings
from core.errors import AllWorkError

AUDIENCE = "allwork:room"
ALGORITHM = "HS256"


class RoomRole(enum.StrEnum):
    CANDIDATE = "candidate"
    INTERVIEWER = "interviewer"
    #: the server-side recording peer
    RECORDER = "recorder"


class TokenError(AllWorkError):
    code = "token_invalid"
    message = "This room link is not valid. Please open the room again."
    status = 401


class TokenExpired(TokenError):
    code = "token_expired"
    message = "This room link has expired. Please open the room again."


class TokenWrongRoom(TokenError):
    code = "token_wrong_room"
    message = "This room link belongs to another room."
    status = 403


class NotParticipant(TokenError):
    code = "not_participant"
    message = "You are not a participant of this interview."
    status = 403


@functools.lru_cache(maxsize=16)
def signing_key(settings: Settings) -> bytes:
    """``settings.secret()``, read once per settings: it may read a file, which must not block the loop.

    Call it once at start-up (``setup_signaling`` does) so the file is read before serving.
    """
    return settings.secret()


@dataclass(frozen=True, slots=True)
class RoomClaims:
    user_id: int
    room_id: int
    role: RoomRole
    name: str
    expires_at: datetime
    token_id: str


def issue_room_token(
    settings: Settings,
    *,
    user_id: int,
    room_id: int,
    role: RoomRole,
    name: str = "",
    now: datetime | None = None,
    ttl: int | None = None,
) -> str:
    """A token for this user in this room, valid ``settings.room_token_ttl`` seconds."""
    issued = now or utcnow()
    seconds = settings.room_token_ttl if ttl is None else ttl
    payload = {
        "sub": str(user_id),
        "room": room_id,
        "role": RoomRole(role).value,
        "name": name[:100],
        "aud": AUDIENCE,
        "iat": int(issued.timestamp()),
        "exp": int(issued.timestamp()) + seconds,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(payload, signing_key(settings), algorithm=ALGORITHM)


def verify_room_token(
    settings: Settings, token: str, *, room_id: int | None = None, now: datetime | None = None
) -> RoomClaims:
    """Check signature, audience, expiry and (when given) the room; raise a :class:`TokenError`."""
    at = now or utcnow()
    try:
        payload = jwt.decode(
            token,
            signing_key(settings),
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={
                "require": ["exp", "iat", "sub", "aud", "jti"],
                "verify_exp": False,
                "verify_iat": False,
            },
        )
    except jwt.PyJWTError:
        raise TokenError() from None
    try:
        expires = int(payload["exp"])
        claims = RoomClaims(
            user_id=int(payload["sub"]),
            room_id=int(payload["room"]),
            role=RoomRole(payload["role"]),
            name=str(payload.get("name", ""))[:100],
            expires_at=datetime.fromtimestamp(expires, at.tzinfo),
            token_id=str(payload["jti"]),
        )
    except (KeyError, TypeError, ValueError):
        raise TokenError() from None
    if at.timestamp() >= expires:
        raise TokenExpired()
    if room_id is not None and claims.room_id != room_id:
        raise TokenWrongRoom()
    return claims
