"""Cross-node relay through real Redis: order within a room, no loss in a burst, the presence cache.

Two real server processes share real Redis (the relay tests), or two brokers in this process
share it (the cache tests). See docs/signaling.md, "Brokers, several nodes".
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from core.config import Settings, load_settings
from interview.signaling.broker import Presence
from interview.signaling.redis_broker import RedisBroker
from interview.signaling.tokens import RoomRole, issue_room_token
from tests.waiting import wait_until

from .conftest import Peer, join
from .nodes import Node

pytestmark = pytest.mark.redis
SECRET = "test-secret-" + "r" * 40
BURST = 300


@pytest.fixture
def nodes(redis_url: str, prefix: str) -> Iterator[tuple[Node, Node]]:
    env = {"ALLWORK_SECRET_KEY": SECRET, "ALLWORK_REDIS_URL": redis_url}
    # a burst far above the per-connection rate limit: the relay is under test, not the limit
    args: tuple[str, ...] = (
        "--prefix",
        prefix,
        "--presence-ttl",
        "1.5",
        "--heartbeat",
        "0.3",
        "--rate",
        "5000",
    )
    args += ("--burst", "5000")
    a = Node(env, *args)
    try:
        b = Node(env, *args)
    except Exception:
        a.stop()
        raise
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


@pytest.fixture
def token(tmp_path: Any, redis_url: str) -> Any:
    settings: Settings = load_settings(data_dir=tmp_path, secret_key=SECRET, redis_url=redis_url)

    def make(user_id: int, room_id: int = 1) -> str:
        return issue_room_token(
            settings, user_id=user_id, room_id=room_id, role=RoomRole.INTERVIEWER, name=f"u{user_id}"
        )

    return make


def candidate(seq: int) -> dict[str, Any]:
    return {"candidate": f"candidate:{seq} 1 udp 2122260223 192.0.2.10 5{seq:04d} typ host", "sdpMid": "0"}


async def burst(sender: Peer, to: str, seqs: range) -> None:
    """Candidates to one peer and chat lines to the room, alternating: two channels, one order."""
    for seq in seqs:
        if seq % 2:
            await sender.send({"type": "chat", "text": f"줄 {seq}"})
        else:
            await sender.send({"type": "candidate", "to": to, "candidate": candidate(seq)})


async def received(peer: Peer, count: int) -> list[int]:
    """The sequence numbers of the next ``count`` relayed chat lines and candidates, as they came."""
    out: list[int] = []
    while len(out) < count:
        msg = await peer.recv(within=20)
        if msg["type"] == "chat":
            out.append(int(msg["text"].split()[1]))
        elif msg["type"] == "candidate":
            out.append(int(msg["candidate"]["candidate"].split(":", 1)[1].split()[0]))
    return out


async def test_a_burst_across_nodes_arrives_whole_and_in_order(nodes: tuple[Node, Node], token: Any) -> None:
    a, b = nodes
    async with aiohttp.ClientSession() as http:
        x, _ = await join(http, a.url, token(1, room_id=7), room=7)
        y, _ = await join(http, b.url, token(2, room_id=7), room=7)
        await x.expect("peer_joined", peer=y.peer_id)
        # both ways at once, every message sent without waiting for the last one
        got_y, got_x, *_ = await asyncio.gather(
            received(y, BURST),
            received(x, BURST),
            burst(x, y.peer_id, range(1, BURST + 1)),
            burst(y, x.peer_id, range(1, BURST + 1)),
        )
        assert got_y == list(range(1, BURST + 1))
        assert got_x == list(range(1, BURST + 1))
        assert not [m for m in x.seen + y.seen if m["type"] == "error"]


async def test_peers_on_one_node_keep_their_order_while_the_room_spans_two(
    nodes: tuple[Node, Node], token: Any
) -> None:
    """Candidates between peers of one node may skip Redis; never ahead of the room's own lines."""
    a, b = nodes
    async with aiohttp.ClientSession() as http:
        x, _ = await join(http, a.url, token(1, room_id=8), room=8)
        y, _ = await join(http, a.url, token(2, room_id=8), room=8)
        z, _ = await join(http, b.url, token(3, room_id=8), room=8)
        await x.expect("peer_joined", peer=z.peer_id)
        await y.expect("peer_joined", peer=z.peer_id)
        got_y, _ = await asyncio.gather(received(y, BURST), burst(x, y.peer_id, range(1, BURST + 1)))
        assert got_y == list(range(1, BURST + 1))
        # the peer on the other node heard every chat line, in order, and none of the candidates
        lines = [n for n in range(1, BURST + 1) if n % 2]
        assert await received(z, len(lines)) == lines


async def test_a_node_knows_the_room_from_its_events_not_a_lookup_per_message(
    redis_url: str, prefix: str
) -> None:
    one = RedisBroker(redis_url, prefix=prefix, presence_ttl=0.6, heartbeat=10)
    two = RedisBroker(redis_url, prefix=prefix, presence_ttl=0.6, heartbeat=10)
    await one.start()
    await two.start()
    try:
        got: list[dict] = []

        async def on_event(ev: dict) -> None:
            got.append(ev)

        async def nothing(ev: dict) -> None:
            return None

        await one.join(5, Presence("u1-aa", 1, "interviewer"))
        await one.subscribe(5, nothing)
        await two.join(5, Presence("u2-bb", 2, "candidate", admitted=False))
        await two.subscribe(5, on_event)
        # node two read the room once when it subscribed; node one learns node two's peer from its event
        await wait_until(lambda: "u2-bb" in one._cache.get(5, {}), within=5, message="no presence event")
        lookups = one.stats["lookups"], two.stats["lookups"]
        for _ in range(20):
            seen = await one.peer(5, "u2-bb")
            assert seen is not None and seen.node == two.node_id and not seen.admitted
            assert await two.peer(5, "u1-aa") is not None
        assert (one.stats["lookups"], two.stats["lookups"]) == lookups
        # an admission by node one keeps the candidate a peer of node two, everywhere
        await one.set_admitted(5, "u2-bb")
        await wait_until(lambda: one._cache[5]["u2-bb"].admitted, within=5, message="admission not seen")
        cached = one._cache[5]["u2-bb"]
        assert cached.node == two.node_id and two._cache[5]["u2-bb"].admitted
        # an event addressed to the candidate goes to node two only
        await one.publish(5, {"kind": "deliver", "msg": {"type": "x"}, "to": "u2-bb"})
        await wait_until(lambda: any(e.get("to") == "u2-bb" for e in got), within=5, message="not delivered")
        # node one dies (it stops refreshing): node two sweeps it, and its cache forgets the peer
        await one.close()
        await asyncio.sleep(0.7)  # past the 0.6 s presence TTL: the expiry is what this test is about
        await two.beat_once()
        await wait_until(
            lambda: "u1-aa" not in two._cache[5], within=5, message="the dead node's peer is still cached"
        )
        assert {"kind": "left", "peer": "u1-aa", "reason": "expired"} in got
        assert await two.peer(5, "u1-aa") is None
    finally:
        await two.close()
        if one._redis is not None:
            await one.close()
