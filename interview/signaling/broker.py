"""Message brokers: who is in which room, and delivery of room events to every server node.

A broker keeps *presence* (the peers of a room, with their user, role and lobby state) and
carries *events* (JSON dicts) to every node that has a peer in the room. The signaling
server's hub subscribes one handler per room it holds connections for.

:class:`MemoryBroker` serves one process (the default). :class:`~.redis_broker.RedisBroker`
shares rooms between processes through Redis pub/sub, with presence entries that expire
unless their node keeps refreshing them, so a node that dies drops out of its rooms.
:func:`make_broker` picks by ``settings.redis_url``.
"""

from __future__ import annotations

import abc
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from core.config import Settings

log = logging.getLogger(__name__)

Event = dict[str, Any]
EventHandler = Callable[[Event], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Presence:
    """One connected peer of a room, as every node sees it."""

    peer_id: str
    user_id: int
    role: str
    name: str = ""
    admitted: bool = True
    node: str = ""
    #: the connection that holds the peer (a reconnection replaces it)
    conn: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Presence:
        return cls(
            peer_id=str(data["peer_id"]),
            user_id=int(data["user_id"]),
            role=str(data["role"]),
            name=str(data.get("name", "")),
            admitted=bool(data.get("admitted", True)),
            node=str(data.get("node", "")),
            conn=str(data.get("conn", "")),
        )

    def public(self) -> dict[str, Any]:
        """What other participants learn about this peer."""
        return {"peer": self.peer_id, "user_id": self.user_id, "role": self.role, "name": self.name}


def left_event(peer_id: str, reason: str) -> Event:
    return {"kind": "left", "peer": peer_id, "reason": reason}


class Broker(abc.ABC):
    """Presence and room events shared by every server node."""

    def __init__(self) -> None:
        self.node_id = uuid.uuid4().hex[:12]
        self._handlers: dict[int, EventHandler] = {}

    async def start(self) -> None:  # noqa: B027 (optional hook)
        """Connect and start background work."""

    async def close(self) -> None:  # noqa: B027
        """Stop background work and disconnect."""

    # --- events ---
    async def subscribe(self, room: int, handler: EventHandler) -> None:
        """Deliver every event of ``room`` to ``handler`` (one handler per room per node)."""
        self._handlers[room] = handler

    async def unsubscribe(self, room: int) -> None:
        self._handlers.pop(room, None)

    @abc.abstractmethod
    async def publish(self, room: int, event: Event) -> None:
        """Send ``event`` to the handlers of ``room`` on every node."""

    # --- presence ---
    @abc.abstractmethod
    async def join(self, room: int, presence: Presence) -> None:
        """Add or replace a peer of the room."""

    @abc.abstractmethod
    async def leave(self, room: int, peer_id: str) -> bool:
        """Remove a peer; True if this call removed it (exactly one caller announces it)."""

    @abc.abstractmethod
    async def peers(self, room: int) -> list[Presence]:
        """The room's live peers, admitted or in the lobby."""

    async def peer(self, room: int, peer_id: str, *, fresh: bool = False) -> Presence | None:
        """One peer of the room; ``fresh`` asks the shared store, never a node's cache."""
        for p in await self.peers(room):
            if p.peer_id == peer_id:
                return p
        return None

    def known_peers(self, room: int) -> list[Presence] | None:
        """The room's peers as this node already knows them without asking anyone, or None."""
        return None

    async def set_admitted(self, room: int, peer_id: str) -> Presence | None:
        """Mark a lobby peer admitted (and remember its user, so a rejoin skips the lobby)."""
        p = await self.peer(room, peer_id, fresh=True)
        if p is None:
            return None
        p = replace(p, admitted=True)
        await self.join(room, p)
        await self.remember_admitted(room, p.user_id)
        return p

    # --- room facts that outlive connections ---
    @abc.abstractmethod
    async def remember_admitted(self, room: int, user_id: int) -> None: ...

    @abc.abstractmethod
    async def was_admitted(self, room: int, user_id: int) -> bool: ...

    @abc.abstractmethod
    async def mark_ended(self, room: int) -> None: ...

    @abc.abstractmethod
    async def is_ended(self, room: int) -> bool: ...


class MemoryBroker(Broker):
    """Everything in this process: for one server node and for tests."""

    def __init__(self) -> None:
        super().__init__()
        self._rooms: dict[int, dict[str, Presence]] = {}
        self._admitted: dict[int, set[int]] = {}
        self._ended: set[int] = set()

    async def publish(self, room: int, event: Event) -> None:
        handler = self._handlers.get(room)
        if handler is not None:
            try:
                await handler(event)
            except Exception:  # a broken handler must not break the publisher
                log.exception("room %s: event handler failed", room)

    async def join(self, room: int, presence: Presence) -> None:
        self._rooms.setdefault(room, {})[presence.peer_id] = replace(presence, node=self.node_id)

    async def leave(self, room: int, peer_id: str) -> bool:
        peers = self._rooms.get(room, {})
        removed = peers.pop(peer_id, None) is not None
        if not peers:
            self._rooms.pop(room, None)
        return removed

    async def peers(self, room: int) -> list[Presence]:
        return list(self._rooms.get(room, {}).values())

    async def remember_admitted(self, room: int, user_id: int) -> None:
        self._admitted.setdefault(room, set()).add(user_id)

    async def was_admitted(self, room: int, user_id: int) -> bool:
        return user_id in self._admitted.get(room, set())

    async def mark_ended(self, room: int) -> None:
        self._ended.add(room)

    async def is_ended(self, room: int) -> bool:
        return room in self._ended


def make_broker(settings: Settings, **redis_options: Any) -> Broker:
    """The Redis broker when ``ALLWORK_REDIS_URL`` is set, else the in-process one."""
    if settings.redis_url:
        from interview.signaling.redis_broker import RedisBroker

        return RedisBroker(settings.redis_url, **redis_options)
    return MemoryBroker()
