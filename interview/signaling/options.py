"""Tunables of the signaling endpoint and the hooks through which the rooms domain takes part.

``interview.signaling`` knows nothing of rooms (see DESIGN.md): the rooms package passes
a :class:`SignalingHooks` whose callbacks check a participant against the database and
record lobby decisions, consent and the end of a room.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from interview.signaling.protocol import MAX_MESSAGE_BYTES
from interview.signaling.tokens import RoomClaims


@dataclass(frozen=True, slots=True)
class SignalingOptions:
    #: a message larger than this gets a ``too_big`` error; four times this closes with 1009
    max_message_bytes: int = MAX_MESSAGE_BYTES
    #: token bucket per connection: sustained messages per second and burst size
    rate: float = 30.0
    burst: int = 60
    #: refused messages (net of accepted ones) after which the connection is closed as a flood
    flood_strikes: int = 30
    #: seconds a new connection has to send ``join``
    join_timeout: float = 10.0
    #: messages waiting for a slow client before it is dropped
    send_queue: int = 512
    #: WebSocket ping interval (seconds); a client that stops answering is dropped
    ws_heartbeat: float = 20.0
    #: Redis broker: key prefix, presence lifetime and refresh interval
    redis_prefix: str = "allwork:sig"
    presence_ttl: float = 15.0
    presence_heartbeat: float | None = None


async def _allow(claims: RoomClaims) -> None:
    return None


async def _nothing(*args: object) -> None:
    return None


@dataclass(frozen=True, slots=True)
class SignalingHooks:
    """Callbacks into the domain; each may raise an ``AllWorkError`` to refuse."""

    #: called on every join after the token checked out (raise to refuse: not a participant, room ended)
    authorize: Callable[[RoomClaims], Awaitable[None]] = field(default=_allow)
    #: (room_id, interviewer user id, candidate user id)
    on_admit: Callable[[int, int, int], Awaitable[None]] = field(default=_nothing)
    on_deny: Callable[[int, int, int], Awaitable[None]] = field(default=_nothing)
    #: (room_id, user id, agree)
    on_consent: Callable[[int, int, bool], Awaitable[None]] = field(default=_nothing)
    #: (room_id, interviewer user id)
    on_end: Callable[[int, int], Awaitable[None]] = field(default=_nothing)
    #: (room_id) the last peer left
    on_empty: Callable[[int], Awaitable[None]] = field(default=_nothing)
