"""Redis broker: rooms shared by several server processes.

Keys (``prefix`` defaults to ``allwork:sig``; tests use a unique one):

- ``{prefix}:room:{id}:peers`` sorted set, peer id -> the time its presence expires
- ``{prefix}:room:{id}:info``  hash, peer id -> presence JSON
- ``{prefix}:room:{id}:admitted`` set of user ids let in from the lobby
- ``{prefix}:room:{id}:ended`` present once the room has ended
- channel ``{prefix}:ch:{id}`` carries the room's events

Every node refreshes the expiry of its own peers every ``heartbeat`` seconds and sweeps
entries whose expiry has passed: the node that wins the ``ZREM`` publishes ``left`` for the
peer, so a node that died (no finally blocks ran) drops out of its rooms after ``presence_ttl``.
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

from interview.signaling.broker import Broker, Event, Presence, left_event

log = logging.getLogger(__name__)

ROOM_FACT_TTL = 24 * 3600


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

    # --- keys ---
    def _k(self, room: int, what: str) -> str:
        return f"{self.prefix}:room:{room}:{what}"

    def _channel(self, room: int) -> str:
        return f"{self.prefix}:ch:{room}"

    @property
    def r(self) -> redis.Redis:
        if self._redis is None:
            raise RuntimeError("RedisBroker not started")
        return self._redis

    # --- life cycle ---
    async def start(self) -> None:
        self._redis = redis.Redis.from_url(self.url, decode_responses=True)
        await self._redis.ping()
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        # a node channel keeps the subscription alive while no room is held
        await self._pubsub.subscribe(f"{self.prefix}:node:{self.node_id}")
        self._tasks = [
            asyncio.create_task(self._listen(), name=f"broker-listen-{self.node_id}"),
            asyncio.create_task(self._beat(), name=f"broker-beat-{self.node_id}"),
        ]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._pubsub is not None:
            await self._pubsub.aclose()
        if self._redis is not None:
            await self._redis.aclose()
        self._redis = self._pubsub = None

    # --- events ---
    async def subscribe(self, room: int, handler: Any) -> None:
        await super().subscribe(room, handler)
        await self._pubsub.subscribe(self._channel(room))

    async def unsubscribe(self, room: int) -> None:
        await super().unsubscribe(room)
        if self._pubsub is not None:
            with contextlib.suppress(RedisError, ConnectionError):
                await self._pubsub.unsubscribe(self._channel(room))

    async def publish(self, room: int, event: Event) -> None:
        await self.r.publish(self._channel(room), json.dumps(event, separators=(",", ":")))

    async def _listen(self) -> None:
        channel_prefix = f"{self.prefix}:ch:"
        while True:
            try:
                msg = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            except asyncio.CancelledError:
                raise
            except (RedisError, ConnectionError, OSError):
                log.warning("node %s: Redis subscription lost, reconnecting", self.node_id)
                await asyncio.sleep(0.5)
                await self._resubscribe()
                continue
            if msg is None or msg.get("type") != "message":
                continue
            channel = str(msg["channel"])
            if not channel.startswith(channel_prefix):
                continue
            try:
                room = int(channel[len(channel_prefix) :])
                event = json.loads(msg["data"])
            except (ValueError, TypeError):
                continue
            handler = self._handlers.get(room)
            if handler is None:
                continue
            try:
                await handler(event)
            except Exception:
                log.exception("room %s: event handler failed", room)

    async def _resubscribe(self) -> None:
        with contextlib.suppress(RedisError, ConnectionError, OSError):
            channels = [f"{self.prefix}:node:{self.node_id}"] + [self._channel(r) for r in self._handlers]
            await self._pubsub.subscribe(*channels)

    # --- presence ---
    async def join(self, room: int, presence: Presence) -> None:
        presence = replace(presence, node=self.node_id)
        self._local.setdefault(room, {})[presence.peer_id] = presence
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.zadd(self._k(room, "peers"), {presence.peer_id: time.time() + self.presence_ttl})
            pipe.hset(self._k(room, "info"), presence.peer_id, json.dumps(presence.to_dict()))
            pipe.expire(self._k(room, "peers"), ROOM_FACT_TTL)
            pipe.expire(self._k(room, "info"), ROOM_FACT_TTL)
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
        return bool(removed)

    async def peers(self, room: int) -> list[Presence]:
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

    async def peer(self, room: int, peer_id: str) -> Presence | None:
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
        for room, peers in list(self._local.items()):
            if peers:
                # XX: only refresh entries still there (a swept peer stays gone)
                await self.r.zadd(
                    self._k(room, "peers"), dict.fromkeys(peers, now + self.presence_ttl), xx=True
                )
        for room in list(self._handlers):
            expired = await self.r.zrangebyscore(self._k(room, "peers"), "-inf", now)
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
