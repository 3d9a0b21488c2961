"""Two real server processes sharing real Redis: rooms span nodes, a killed node is survived."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from core.config import Settings, load_settings
from interview.signaling.broker import Presence
from interview.signaling.redis_broker import RedisBroker
from interview.signaling.tokens import RoomRole
from tests.waiting import wait_until

from .conftest import CANDIDATE, SDP, join
from .nodes import Node

pytestmark = pytest.mark.redis
SECRET = "test-secret-" + "s" * 40


@pytest.fixture
def shared_settings(tmp_path: Any, redis_url: str) -> Settings:
    return load_settings(data_dir=tmp_path, secret_key=SECRET, redis_url=redis_url)


@pytest.fixture
def nodes(redis_url: str, prefix: str) -> Iterator[tuple[Node, Node]]:
    env = {"ALLWORK_SECRET_KEY": SECRET, "ALLWORK_REDIS_URL": redis_url}
    args = ("--prefix", prefix, "--presence-ttl", "1.5", "--heartbeat", "0.3")
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
def token(shared_settings: Settings) -> Any:
    from interview.signaling.tokens import issue_room_token

    def make(user_id: int, room_id: int = 1, role: RoomRole = RoomRole.INTERVIEWER) -> str:
        return issue_room_token(
            shared_settings, user_id=user_id, room_id=room_id, role=role, name=f"u{user_id}"
        )

    return make


async def test_participants_on_two_nodes_meet_and_survive_a_killed_node(
    nodes: tuple[Node, Node], token: Any
) -> None:
    a, b = nodes
    async with aiohttp.ClientSession() as http:
        # the interviewer on node A, the candidate on node B: the lobby works across nodes
        i, _ = await join(http, a.url, token(1))
        c, wc = await join(http, b.url, token(2, role=RoomRole.CANDIDATE))
        assert wc["admitted"] is False
        req = await i.expect("lobby_request")
        await i.send({"type": "admit", "peer": req["peer"]})
        admitted = await c.expect("admitted")
        assert [x["peer"] for x in admitted["peers"]] == [i.peer_id]
        await i.expect("peer_joined", peer=c.peer_id)
        # negotiation relays across nodes
        await c.send({"type": "offer", "to": i.peer_id, "sdp": SDP})
        assert (await i.expect("offer"))["from"] == c.peer_id
        await i.send({"type": "answer", "to": c.peer_id, "sdp": SDP})
        from_interviewer: dict[str, Any] = {"from": i.peer_id}  # "from" is a keyword: passed as a dict
        await c.expect("answer", **from_interviewer)
        await i.send({"type": "candidate", "to": c.peer_id, "candidate": CANDIDATE})
        await c.expect("candidate")
        await i.send({"type": "chat", "text": "들리세요?"})
        assert (await c.expect("chat"))["text"] == "들리세요?"

        # node A dies without a goodbye; the interviewer's client reconnects to node B with its peer id
        a.kill()
        await i.expect_closed()
        i2, wi2 = await join(http, b.url, token(1), resume=i.peer_id)
        assert wi2["resumed"] and wi2["peer"] == i.peer_id
        assert [x["peer"] for x in wi2["peers"]] == [c.peer_id]
        # the room goes on: the same peer ids still reach each other
        await c.send({"type": "offer", "to": i.peer_id, "sdp": SDP})
        assert (await i2.expect("offer"))["from"] == c.peer_id
        await i2.send({"type": "chat", "text": "다시 연결됐습니다"})
        assert (await c.expect("chat"))["text"] == "다시 연결됐습니다"
        # and nobody was announced as gone, even after the dead node's presence would have expired
        await asyncio.sleep(2.0)  # an absence cannot be polled for: wait out the presence timer
        await c.send({"type": "ping", "id": 9})
        await c.expect("pong", id=9)
        assert not [m for m in c.seen if m["type"] == "peer_left"]


async def test_presence_of_a_dead_node_expires(nodes: tuple[Node, Node], token: Any) -> None:
    a, b = nodes
    async with aiohttp.ClientSession() as http:
        x, _ = await join(http, b.url, token(1, room_id=2), room=2)
        y, _ = await join(http, a.url, token(2, room_id=2), room=2)
        await x.expect("peer_joined", peer=y.peer_id)
        a.kill()
        left = await x.expect("peer_left", within=6.0)
        assert left["peer"] == y.peer_id and left["reason"] == "expired"
        await x.send({"type": "offer", "to": y.peer_id, "sdp": SDP})
        assert (await x.expect("error"))["code"] == "peer_not_found"


async def test_broker_presence_and_sweep(redis_url: str, prefix: str) -> None:
    one = RedisBroker(redis_url, prefix=prefix, presence_ttl=0.6, heartbeat=10)
    two = RedisBroker(redis_url, prefix=prefix, presence_ttl=0.6, heartbeat=10)
    await one.start()
    await two.start()
    try:
        got: list[dict] = []

        async def on_event(ev: dict) -> None:
            got.append(ev)

        await two.subscribe(5, on_event)
        await one.join(5, Presence("u1-aa", 1, "interviewer"))
        await two.join(5, Presence("u2-bb", 2, "candidate", admitted=False))
        assert {p.peer_id for p in await one.peers(5)} == {"u1-aa", "u2-bb"}
        seen_by_two = await two.peer(5, "u1-aa")
        assert seen_by_two is not None and seen_by_two.node == one.node_id
        await one.publish(5, {"kind": "ping"})
        await wait_until(lambda: {"kind": "ping"} in got, within=5, message="the ping was not delivered")
        await one.set_admitted(5, "u2-bb")
        candidate = await one.peer(5, "u2-bb")
        assert candidate is not None and candidate.admitted and await two.was_admitted(5, 2)
        # node one stops refreshing; node two keeps its own peer alive and sweeps the other
        await asyncio.sleep(0.7)  # past the 0.6 s presence TTL: the expiry is what this test is about
        await two.beat_once()
        assert [p.peer_id for p in await two.peers(5)] == ["u2-bb"]
        await wait_until(
            lambda: {"kind": "left", "peer": "u1-aa", "reason": "expired"} in got,
            within=5,
            message="the expired peer was not announced",
        )
        assert not await one.leave(5, "u1-aa")  # already swept: nobody announces it twice
        await one.mark_ended(5)
        assert await two.is_ended(5) and not await two.is_ended(6)
    finally:
        await one.close()
        await two.close()
