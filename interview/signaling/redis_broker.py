"""Redis broker: rooms shared by several server processes.

Keys (``prefix`` defaults to ``allwork:sig``; tests use a unique one):

- ``{prefix}:room:{id}:peers`` sorted set, peer id -> the time its presence expires
- ``{prefix}:room:{id}:info``  hash, peer id -> presence JSON
- ``{prefix}:room:{id}:admitted`` set of user ids let in from the lobby
- ``{prefix}:room:{id}:ended`` present once the room has ended
- channel ``{prefix}:ch:{id}`` carries the room's broadcast events to every node holding the room
- channel ``{prefix}:node:{node}`` carries events addressed to one peer on that node

Every message on either channel is an envelope ``{"n": origin node, "r": room, "e": event}``.

Cross-node relay costs no Redis round trip beyond the publish itself (docs/signaling.md,
"Brokers, several nodes"):

- **Presence cache.** A node that holds a room keeps the room's presence in memory: loaded
  from Redis once the room's channel is subscribed (the subscription confirmed first, events
  that arrive meanwhile replayed on top), then kept current from the room's own events
  (``presence`` on every join or admission, ``left`` on every leave or expiry). ``peer()``
  answers from it; a miss asks Redis. ``peers()`` (joins and admissions) and
  ``peer(fresh=True)`` (a departing connection checking it was not replaced) read Redis.
- **Addressed events go to the target's node only** (its node channel, from the cache), so a
  node never parses the relays between peers it does not hold; when the target is on this
  node and none of this node's own events of the room are still on their way back from Redis,
  the event is handed over in process, without Redis at all.
- **One publisher per node**: publishes wait in one queue and leave in pipelined batches on one
  connection, so a burst costs a round trip per batch, not per message, and the order of a
  node's events is the order Redis (and so every subscriber) sees them.

Every node refreshes the expiry of its own peers every ``heartbeat`` seconds and sweeps
entries whose expiry has passed (one pipeline for all its rooms): the node that wins the
``ZREM`` publishes ``left`` for the peer, so a node that died (no finally blocks ran) drops
out of its rooms after ``presence_ttl``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from dataclasses import replace
from typing import Any

import redis.asyncio as redis
from redis.exceptions import RedisError

from interview.signaling.broker import Broker, Event, EventHandler, Presence, left_event

log = logging.getLogger(__name__)

ROOM_FACT_TTL = 24 * 3600
#: most publishes sent in one pipeline
BATCH = 512
#: how long a subscription may take to be confirmed before the room's presence is read anyway
CONFIRM_TIMEOUT = 2.0


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


class RedisBroker(Broker):
    def __init__(
        self,
        url: str,
        *,
        prefix: str = "allwork:sig",
        presence_ttl: float = 15.0,
        heartbeat: float | None = None,
    ) -> None:
        super().__init__()
        self.url = url
        self.prefix = prefix
        self.presence_ttl = presence_ttl
        self.heartbeat = heartbeat if heartbeat is not None else presence_ttl / 3
        self._redis: redis.Redis | None = None
        self._pubsub: Any = None
        self._local: dict[int, dict[str, Presence]] = {}
        self._tasks: list[asyncio.Task[None]] = []
        #: presence of the rooms this node holds, kept from their events
        self._cache: dict[int, dict[str, Presence]] = {}
        #: rooms whose presence is being read: their presence events wait here
        self._loading: dict[int, list[Event]] = {}
        self._confirm: dict[str, asyncio.Future[None]] = {}
        #: this node's events of a room published but not yet received back
        self._inflight: dict[int, int] = {}
        self._outbox: list[tuple[str, str, asyncio.Future[None]]] = []
        self._wake = asyncio.Event()
        #: counters for benchmarks and tests
        self.stats = {"published": 0, "batches": 0, "local": 0, "received": 0, "lookups": 0}

    # --- keys ---
    def _k(self, room: int, what: str) -> str:
        return f"{self.prefix}:room:{room}:{what}"

    def _channel(self, room: int) -> str:
        return f"{self.prefix}:ch:{room}"

    def _node_channel(self, node: str) -> str:
        return f"{self.prefix}:node:{node}"

    @property
    def r(self) -> redis.Redis:
        if self._redis is None:
            raise RuntimeError("RedisBroker not started")
        return self._redis

    # --- life cycle ---
    async def start(self) -> None:
        self._redis = redis.Redis.from_url(self.url, decode_responses=True)
        await self._redis.ping()
        self._pubsub = self._redis.pubsub()
        self._wake = asyncio.Event()
        await self._pubsub.subscribe(self._node_channel(self.node_id))
        self._tasks = [
            asyncio.create_task(self._listen(), name=f"broker-listen-{self.node_id}"),
            asyncio.create_task(self._publisher(), name=f"broker-publish-{self.node_id}"),
            asyncio.create_task(self._beat(), name=f"broker-beat-{self.node_id}"),
        ]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        for _, _, fut in self._outbox:
            if not fut.done():
                fut.set_exception(ConnectionError("broker closed"))
        self._outbox = []
        if self._pubsub is not None:
            await self._pubsub.aclose()
        if self._redis is not None:
            await self._redis.aclose()
        self._redis = self._pubsub = None

    # --- events ---
    async def subscribe(self, room: int, handler: EventHandler) -> None:
        await super().subscribe(room, handler)
        await self._follow(room)

    async def _follow(self, room: int) -> None:
        """Subscribe to the room's channel, then read its presence into the cache."""
        channel = self._channel(room)
        self._loading[room] = []
        self._inflight.pop(room, None)
        confirmed = asyncio.get_running_loop().create_future()
        self._confirm[channel] = confirmed
        try:
            await self._pubsub.subscribe(channel)
            # a join written after this reading is announced on a channel already heard
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(confirmed), CONFIRM_TIMEOUT)
            snapshot = {p.peer_id: p for p in await self._read_peers(room)}
        finally:
            self._confirm.pop(channel, None)
            pending = self._loading.pop(room, [])
        if room not in self._handlers:
            return  # let go while subscribing
        self._cache[room] = snapshot
        for event in pending:
            self._apply(room, event)

    async def unsubscribe(self, room: int) -> None:
        await super().unsubscribe(room)
        self._cache.pop(room, None)
        self._inflight.pop(room, None)
        if self._pubsub is not None:
            with contextlib.suppress(RedisError, ConnectionError):
                await self._pubsub.unsubscribe(self._channel(room))

    async def publish(self, room: int, event: Event) -> None:
        channel = self._channel(room)
        to = event.get("to")
        if to is not None and event.get("kind") == "deliver":
            target = self._cache.get(room, {}).get(to)
            if target is not None and target.node:
                if target.node == self.node_id and not self._inflight.get(room) and room in self._handlers:
                    self.stats["local"] += 1
                    await self._deliver(room, event)
                    return
                channel = self._node_channel(target.node)
        if room in self._handlers and channel in (self._channel(room), self._node_channel(self.node_id)):
            self._inflight[room] = self._inflight.get(room, 0) + 1
        await self._send(channel, _dumps({"n": self.node_id, "r": room, "e": event}))

    async def _send(self, channel: str, data: str) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._outbox.append((channel, data, done))
        self._wake.set()
        await done

    async def _publisher(self) -> None:
        """The one writer of this node's publishes: pipelined batches, in order."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._outbox:
                batch, self._outbox = self._outbox[:BATCH], self._outbox[BATCH:]
                try:
                    async with self.r.pipeline(transaction=False) as pipe:
                        for channel, data, _ in batch:
                            pipe.publish(channel, data)
                        await pipe.execute()
                except asyncio.CancelledError:
                    for _, _, fut in batch:
                        if not fut.done():
                            fut.set_exception(ConnectionError("broker closed"))
                    raise
                except (RedisError, ConnectionError, OSError) as exc:
                    for _, _, fut in batch:
                        if not fut.done():
                            fut.set_exception(exc)
                    continue
                self.stats["published"] += len(batch)
                self.stats["batches"] += 1
                for _, _, fut in batch:
                    if not fut.done():
                        fut.set_result(None)

    async def _listen(self) -> None:
        while True:
            try:
                msg = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except (RedisError, ConnectionError, OSError):
                log.warning("node %s: Redis subscription lost, reconnecting", self.node_id)
                await asyncio.sleep(0.5)
                await self._resubscribe()
                continue
            if msg is None:
                continue
            if msg.get("type") == "subscribe":
                confirmed = self._confirm.get(str(msg["channel"]))
                if confirmed is not None and not confirmed.done():
                    confirmed.set_result(None)
                continue
            if msg.get("type") != "message":
                continue
            try:
                envelope = json.loads(msg["data"])
                room, event, origin = int(envelope["r"]), envelope["e"], str(envelope["n"])
            except (ValueError, TypeError, KeyError):
                continue
            if not isinstance(event, dict):
                continue
            self.stats["received"] += 1
            if origin == self.node_id and self._inflight.get(room):
                self._inflight[room] -= 1
            self._apply(room, event)
            await self._deliver(room, event)

    async def _deliver(self, room: int, event: Event) -> None:
        handler = self._handlers.get(room)
        if handler is None:
            return
        try:
            await handler(event)
        except Exception:
            log.exception("room %s: event handler failed", room)

    def _apply(self, room: int, event: Event) -> None:
        """Keep the presence cache from the room's own events."""
        kind = event.get("kind")
        if kind not in ("presence", "left"):
            return
        pending = self._loading.get(room)
        if pending is not None:
            pending.append(event)
            return
        cache = self._cache.get(room)
        if cache is None:
            return
        if kind == "presence":
            with contextlib.suppress(ValueError, KeyError, TypeError):
                p = Presence.from_dict(event["p"])
                cache[p.peer_id] = p
        else:
            cache.pop(str(event.get("peer")), None)

    async def _resubscribe(self) -> None:
        with contextlib.suppress(RedisError, ConnectionError, OSError):
            await self._pubsub.subscribe(self._node_channel(self.node_id))
            for room in list(self._handlers):
                await self._follow(room)

    # --- presence ---
    async def join(self, room: int, presence: Presence) -> None:
        presence = replace(presence, node=self.node_id)
        self._local.setdefault(room, {})[presence.peer_id] = presence
        await self._write(room, presence)

    async def set_admitted(self, room: int, peer_id: str) -> Presence | None:
        """Mark a lobby peer admitted; it stays the peer of its own node (which refreshes it)."""
        p = await self.peer(room, peer_id, fresh=True)
        if p is None:
            return None
        p = replace(p, admitted=True)
        await self._write(room, p)
        await self.remember_admitted(room, p.user_id)
        return p

    async def _write(self, room: int, presence: Presence) -> None:
        """Store a peer's presence and announce it to the nodes holding the room, in one step."""
        if room in self._cache and room not in self._loading:
            self._cache[room][presence.peer_id] = presence
        event = {"kind": "presence", "p": presence.to_dict()}
        if room in self._handlers:
            self._inflight[room] = self._inflight.get(room, 0) + 1
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.zadd(self._k(room, "peers"), {presence.peer_id: time.time() + self.presence_ttl})
            pipe.hset(self._k(room, "info"), presence.peer_id, _dumps(presence.to_dict()))
            pipe.expire(self._k(room, "peers"), ROOM_FACT_TTL)
            pipe.expire(self._k(room, "info"), ROOM_FACT_TTL)
            pipe.publish(self._channel(room), _dumps({"n": self.node_id, "r": room, "e": event}))
            await pipe.execute()

    async def leave(self, room: int, peer_id: str) -> bool:
        local = self._local.get(room, {})
        local.pop(peer_id, None)
        if not local:
            self._local.pop(room, None)
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.zrem(self._k(room, "peers"), peer_id)
            pipe.hdel(self._k(room, "info"), peer_id)
            removed, _ = await pipe.execute()
        if removed and room in self._cache:
            self._cache[room].pop(peer_id, None)
        return bool(removed)

    async def peers(self, room: int) -> list[Presence]:
        return await self._read_peers(room)

    async def _read_peers(self, room: int) -> list[Presence]:
        ids = await self.r.zrangebyscore(self._k(room, "peers"), time.time(), "+inf")
        if not ids:
            return []
        values = await self.r.hmget(self._k(room, "info"), ids)  # type: ignore[misc]
        out = []
        for raw in values:
            if raw:
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    out.append(Presence.from_dict(json.loads(raw)))
        return out

    def known_peers(self, room: int) -> list[Presence] | None:
        cache = self._cache.get(room)
        if cache is None or room in self._loading:
            return None
        return list(cache.values())

    async def peer(self, room: int, peer_id: str, *, fresh: bool = False) -> Presence | None:
        if not fresh:
            cache = self._cache.get(room)
            if cache is not None and room not in self._loading and peer_id in cache:
                return cache[peer_id]
        self.stats["lookups"] += 1
        async with self.r.pipeline(transaction=False) as pipe:
            pipe.zscore(self._k(room, "peers"), peer_id)
            pipe.hget(self._k(room, "info"), peer_id)
            score, raw = await pipe.execute()
        if score is None or score < time.time() or not raw:
            return None
        return Presence.from_dict(json.loads(raw))

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat)
            try:
                await self.beat_once()
            except asyncio.CancelledError:
                raise
            except (RedisError, ConnectionError, OSError):
                log.warning("node %s: presence heartbeat failed", self.node_id)

    async def beat_once(self) -> None:
        """Refresh this node's peers and sweep expired peers of the rooms this node holds."""
        now = time.time()
        rooms = list(self._handlers)
        async with self.r.pipeline(transaction=False) as pipe:
            for room, peers in list(self._local.items()):
                if peers:
                    # XX: only refresh entries still there (a swept peer stays gone)
                    pipe.zadd(self._k(room, "peers"), dict.fromkeys(peers, now + self.presence_ttl), xx=True)
            await pipe.execute()
        if not rooms:
            return
        async with self.r.pipeline(transaction=False) as pipe:
            for room in rooms:
                pipe.zrangebyscore(self._k(room, "peers"), "-inf", now)
            expired_by_room = await pipe.execute()
        for room, expired in zip(rooms, expired_by_room, strict=True):
            for peer_id in expired:
                if await self.r.zrem(self._k(room, "peers"), peer_id):
                    await self.r.hdel(self._k(room, "info"), peer_id)  # type: ignore[misc]
                    log.info("room %s: presence of %s expired", room, peer_id)
                    await self.publish(room, left_event(peer_id, "expired"))

    # --- room facts ---
    async def remember_admitted(self, room: int, user_id: int) -> None:
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.sadd(self._k(room, "admitted"), str(user_id))
            pipe.expire(self._k(room, "admitted"), ROOM_FACT_TTL)
            await pipe.execute()

    async def was_admitted(self, room: int, user_id: int) -> bool:
        return bool(await self.r.sismember(self._k(room, "admitted"), str(user_id)))  # type: ignore[misc]

    async def mark_ended(self, room: int) -> None:
        await self.r.set(self._k(room, "ended"), "1", ex=ROOM_FACT_TTL)

    async def is_ended(self, room: int) -> bool:
        return bool(await self.r.exists(self._k(room, "ended")))
