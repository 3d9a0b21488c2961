"""Publish/subscribe of small JSON events on named channels, within one process or across many.

Used for live notifications (a new match, a transcript that is ready): a service publishes to
``user:<id>`` after its transaction commits, and every server node that holds an open page of
that user delivers the event. :class:`MemoryPubSub` serves one process (the default);
:class:`RedisPubSub` carries events between processes through Redis pub/sub.
Delivery is best effort: what must not be lost is also stored (an inbox row) by the publisher.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any, Protocol

from core.config import Settings

log = logging.getLogger(__name__)

Event = dict[str, Any]
QUEUE_SIZE = 100


class PubSub(Protocol):
    async def publish(self, channel: str, event: Event) -> None: ...

    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[AsyncIterator[Event]]: ...

    async def close(self) -> None: ...


class _Fanout:
    """Local subscribers of each channel; a slow subscriber loses its oldest events, never blocks others."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[Event]]] = defaultdict(set)

    def deliver(self, channel: str, event: Event) -> None:
        for queue in self._queues.get(channel, ()):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(event)

    def add(self, channel: str) -> asyncio.Queue[Event]:
        queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_SIZE)
        self._queues[channel].add(queue)
        return queue

    def remove(self, channel: str, queue: asyncio.Queue[Event]) -> bool:
        """Forget ``queue``; True when the channel has no local subscriber left."""
        queues = self._queues.get(channel)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._queues[channel]
                return True
        return False


async def _drain(queue: asyncio.Queue[Event]) -> AsyncIterator[Event]:
    while True:
        yield await queue.get()


class MemoryPubSub:
    def __init__(self) -> None:
        self._fanout = _Fanout()

    async def publish(self, channel: str, event: Event) -> None:
        self._fanout.deliver(channel, event)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[Event]]:
        queue = self._fanout.add(channel)
        try:
            yield _drain(queue)
        finally:
            self._fanout.remove(channel, queue)

    async def close(self) -> None:
        return None


class RedisPubSub:
    """One Redis connection listens for every channel this node has subscribers for."""

    def __init__(self, url: str, *, prefix: str = "allwork:events:") -> None:
        import redis.asyncio as redis

        self._redis = redis.Redis.from_url(url)
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        self._prefix = prefix
        self._fanout = _Fanout()
        self._listener: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def publish(self, channel: str, event: Event) -> None:
        await self._redis.publish(self._prefix + channel, json.dumps(event, ensure_ascii=False))

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[Event]]:
        queue = self._fanout.add(channel)
        async with self._lock:
            await self._pubsub.subscribe(self._prefix + channel)
            if self._listener is None or self._listener.done():
                self._listener = asyncio.create_task(self._listen(), name="pubsub-listener")
        try:
            yield _drain(queue)
        finally:
            if self._fanout.remove(channel, queue):
                async with self._lock:
                    with contextlib.suppress(Exception):
                        await self._pubsub.unsubscribe(self._prefix + channel)

    async def _listen(self) -> None:
        while True:
            try:
                if not self._pubsub.subscribed:
                    await asyncio.sleep(0.05)
                    continue
                message = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:  # a lost connection: redis-py reconnects and resubscribes on the next call
                log.warning("redis pub/sub listener error; retrying", exc_info=True)
                await asyncio.sleep(0.5)
                continue
            if message is None or message.get("type") != "message":
                continue
            channel = message["channel"].decode()[len(self._prefix) :]
            try:
                event = json.loads(message["data"])
            except ValueError:
                log.warning("dropped a malformed event on %s", channel)
                continue
            self._fanout.deliver(channel, event)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._pubsub.aclose()
        await self._redis.aclose()


def user_channel(user_id: int) -> str:
    """The channel of one user's open pages."""
    return f"user:{user_id}"


def make_pubsub(settings: Settings) -> PubSub:
    return RedisPubSub(settings.redis_url) if settings.redis_url else MemoryPubSub()
