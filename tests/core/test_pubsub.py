from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from core.pubsub import Event, MemoryPubSub, PubSub, RedisPubSub
from tests.waiting import wait_until


async def _next(events: AsyncIterator[Event], wait: float = 5.0) -> Event:
    async with asyncio.timeout(wait):
        return await anext(events)


async def test_memory_delivers_only_to_the_channel() -> None:
    bus = MemoryPubSub()
    async with bus.subscribe("user:1") as mine, bus.subscribe("user:2") as other:
        await bus.publish("user:1", {"kind": "match", "n": 1})
        assert await _next(mine) == {"kind": "match", "n": 1}
        with pytest.raises(TimeoutError):
            await _next(other, 0.1)


async def test_slow_subscriber_keeps_newest_events() -> None:
    bus = MemoryPubSub()
    async with bus.subscribe("c") as events:
        for i in range(150):
            await bus.publish("c", {"n": i})
        assert (await _next(events))["n"] == 50


@pytest.mark.redis
async def test_redis_carries_events_between_two_nodes(redis_url: str) -> None:
    prefix = f"test:{uuid.uuid4().hex}:"
    node_a: PubSub = RedisPubSub(redis_url, prefix=prefix)
    node_b: PubSub = RedisPubSub(redis_url, prefix=prefix)
    try:
        async with node_b.subscribe("user:7") as events:

            async def counted() -> bool:  # the subscription is live once Redis counts it
                counts = await node_a._redis.pubsub_numsub(prefix + "user:7")  # type: ignore[attr-defined]
                return bool(counts and counts[0][1] > 0)

            await wait_until(counted, within=5, message="Redis never counted the subscription")
            await node_a.publish("user:7", {"kind": "match", "posting": 3, "text": "품질관리"})
            assert await _next(events) == {"kind": "match", "posting": 3, "text": "품질관리"}
        # after unsubscribing, nothing is delivered and nothing fails
        await node_a.publish("user:7", {"kind": "late"})
    finally:
        await node_a.close()
        await node_b.close()
