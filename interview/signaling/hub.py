"""This node's side of the rooms: its open connections and the delivery of room events to them.

A :class:`Connection` wraps one WebSocket with an outgoing queue and a writer task, so a
slow client never stalls delivery to the others (it is dropped when its queue is full).
The :class:`Hub` subscribes to the broker for every room it holds a connection in and turns
broker events into messages for its own connections.

Broker events (JSON dicts, ``kind`` field):

- ``deliver``: ``msg`` to ``to`` (one peer) or every admitted peer but ``exclude``;
  ``roles`` limits it to peers with those roles, ``lobby`` includes peers in the lobby
- ``left``: a peer left or its presence expired -> ``peer_left``
- ``admit`` / ``deny``: lobby decision for ``peer``
- ``end``: the room ended; every connection gets ``room_ended`` and is closed
- ``kick``: ``peer`` reconnected elsewhere; an older connection ``conn`` != ``keep`` is closed
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from interview.signaling import protocol as p
from interview.signaling.broker import Broker, Event

log = logging.getLogger(__name__)


class Connection:
    """One joined (or joining) WebSocket."""

    def __init__(self, ws: web.WebSocketResponse, *, queue_size: int, rate: float, burst: int) -> None:
        self.ws = ws
        self.uid = uuid.uuid4().hex
        self.room = 0
        self.peer_id = ""
        self.user_id = 0
        self.role = ""
        self.name = ""
        self.admitted = False
        self.closing = False
        self._queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue(queue_size)
        self._writer = asyncio.create_task(self._write(), name=f"ws-writer-{self.uid[:8]}")
        self._rate = rate
        self._burst = float(burst)
        self._tokens = float(burst)
        self._stamp = time.monotonic()
        self.strikes = 0

    # --- rate limit ---
    def take_token(self) -> bool:
        """Token bucket: True if this message may be handled now."""
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    # --- output ---
    def send(self, message: dict[str, Any]) -> None:
        if self.closing:
            return
        try:
            self._queue.put_nowait(("msg", message))
        except asyncio.QueueFull:
            log.warning("peer %s: send queue full, dropping the connection", self.peer_id or self.uid)
            self.closing = True
            self._writer.cancel()
            asyncio.get_running_loop().create_task(self.ws.close(code=p.CLOSE_FLOOD, message=b"too slow"))

    def close(self, code: int, reason: str = "") -> None:
        """Close after the messages already queued have been sent."""
        if self.closing:
            return
        self.closing = True
        with contextlib.suppress(asyncio.QueueFull):
            self._queue.put_nowait(("close", (code, reason)))
            return
        self._writer.cancel()
        asyncio.get_running_loop().create_task(self.ws.close(code=code, message=reason.encode()[:120]))

    async def _write(self) -> None:
        try:
            while True:
                kind, value = await self._queue.get()
                if kind == "close":
                    code, reason = value
                    await self.ws.close(code=code, message=reason.encode()[:120])
                    return
                if self.ws.closed:
                    return
                await self.ws.send_str(p.dump(value))
        except (ConnectionError, RuntimeError) as exc:  # the socket went away under us
            log.debug("peer %s: write failed: %s", self.peer_id, exc)

    async def finish(self) -> None:
        """Stop the writer (after it has flushed a pending close)."""
        if not self._writer.done():
            if not self.closing:
                self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._writer), 2.0)
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer


class Hub:
    """This node's connections by room, fed by the broker."""

    def __init__(self, broker: Broker) -> None:
        self.broker = broker
        self.rooms: dict[int, dict[str, Connection]] = {}
        #: one lock per room being subscribed or let go (and how many wait for it), so that
        #: rooms join and leave in parallel while one room's subscription is never raced
        self._locks: dict[int, tuple[asyncio.Lock, list[int]]] = {}

    @contextlib.asynccontextmanager
    async def _room_lock(self, room: int) -> AsyncIterator[None]:
        entry = self._locks.get(room)
        if entry is None:
            entry = self._locks[room] = (asyncio.Lock(), [0])
        lock, users = entry
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if not users[0]:
                del self._locks[room]

    async def attach(self, conn: Connection) -> None:
        async with self._room_lock(conn.room):
            room = self.rooms.get(conn.room)
            if room is None:
                room = self.rooms[conn.room] = {}
                try:
                    await self.broker.subscribe(conn.room, functools.partial(self.dispatch, conn.room))
                except BaseException:
                    del self.rooms[conn.room]
                    raise
            old = room.get(conn.peer_id)
            room[conn.peer_id] = conn
        if old is not None and old is not conn:
            old.close(p.CLOSE_REPLACED, "replaced")

    async def detach(self, conn: Connection) -> None:
        async with self._room_lock(conn.room):
            room = self.rooms.get(conn.room)
            if room is None or room.get(conn.peer_id) is not conn:
                return
            del room[conn.peer_id]
            if not room:
                del self.rooms[conn.room]
                await self.broker.unsubscribe(conn.room)

    def local(self, room: int) -> list[Connection]:
        return list(self.rooms.get(room, {}).values())

    async def dispatch(self, room: int, event: Event) -> None:
        kind = event.get("kind")
        conns = self.local(room)
        if kind == "deliver":
            msg, to, exclude = event["msg"], event.get("to"), event.get("exclude")
            roles, lobby = event.get("roles"), bool(event.get("lobby"))
            for c in conns:
                if to is not None and c.peer_id != to:
                    continue
                if c.peer_id == exclude or (roles and c.role not in roles):
                    continue
                if c.admitted or lobby or to is not None:
                    c.send(msg)
        elif kind == "left":
            for c in conns:
                if c.peer_id != event["peer"] and (c.admitted or c.role == "interviewer"):
                    c.send(
                        {"type": "peer_left", "peer": event["peer"], "reason": event.get("reason", "left")}
                    )
        elif kind == "admit":
            for c in conns:
                if c.peer_id == event["peer"] and not c.admitted:
                    c.admitted = True
                    # from the node's cache when it has one: the listener does not wait on Redis
                    known = self.broker.known_peers(room)
                    if known is None:
                        known = await self.broker.peers(room)
                    peers = [x.public() for x in known if x.admitted]
                    c.send({"type": "admitted", "peers": [x for x in peers if x["peer"] != c.peer_id]})
        elif kind == "deny":
            for c in conns:
                if c.peer_id == event["peer"]:
                    c.send({"type": "denied"})
                    c.close(p.CLOSE_DENIED, "denied")
        elif kind == "end":
            for c in conns:
                c.send({"type": "room_ended", "by": event.get("by")})
                c.close(p.CLOSE_ROOM_ENDED, "room ended")
        elif kind == "kick":
            for c in conns:
                if c.peer_id == event["peer"] and c.uid != event.get("keep"):
                    c.close(p.CLOSE_REPLACED, "replaced")

    def stop_writing(self) -> None:
        """Shutdown: no more output; the server closes the sockets itself with GOING_AWAY."""
        for room in list(self.rooms.values()):
            for c in list(room.values()):
                c.closing = True
