"""The signaling endpoint in process (aiohttp test client, in-process broker)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web

from core.clock import utcnow
from core.config import Settings
from interview.signaling import protocol as p
from interview.signaling.options import SignalingHooks, SignalingOptions
from interview.signaling.server import SIGNALING, setup_signaling
from interview.signaling.tokens import NotParticipant, RoomClaims, RoomRole, issue_room_token
from tests.waiting import wait_until

from .conftest import CANDIDATE, SDP, join

WS = "/ws/signal"
IV, C = RoomRole.INTERVIEWER, RoomRole.CANDIDATE


@pytest.fixture
def calls() -> list[tuple[Any, ...]]:
    return []


@pytest.fixture
async def client(aiohttp_client: Any, settings: Settings, calls: list[tuple[Any, ...]]) -> Any:
    async def authorize(claims: RoomClaims) -> None:
        if claims.user_id == 666:
            raise NotParticipant()

    async def record(name: str, *args: Any) -> None:
        calls.append((name, *args))

    hooks = SignalingHooks(
        authorize=authorize,
        on_admit=lambda *a: record("admit", *a),
        on_deny=lambda *a: record("deny", *a),
        on_consent=lambda *a: record("consent", *a),
        on_end=lambda *a: record("end", *a),
        on_empty=lambda *a: record("empty", *a),
    )
    app = web.Application()
    options = SignalingOptions(
        rate=50, burst=20, flood_strikes=10, join_timeout=1.0, max_message_bytes=16_000
    )
    setup_signaling(app, settings, path=WS, options=options, hooks=hooks)
    return await aiohttp_client(app)


async def test_join_and_peer_joined(client: Any, token: Any) -> None:
    a, wa = await join(client, WS, token(1))
    assert wa["peers"] == [] and wa["admitted"] and wa["role"] == "interviewer"
    assert wa["peer"].startswith("u1-") and wa["ice_servers"] == []
    b, wb = await join(client, WS, token(2))
    assert [x["peer"] for x in wb["peers"]] == [a.peer_id]
    joined = await a.expect("peer_joined")
    assert joined["peer"] == b.peer_id and joined["user_id"] == 2 and joined["name"] == "user2"


async def test_offer_answer_candidate_go_only_to_the_addressed_peer(client: Any, token: Any) -> None:
    a, _ = await join(client, WS, token(1))
    b, _ = await join(client, WS, token(2))
    c, _ = await join(client, WS, token(3))
    await a.send({"type": "offer", "to": b.peer_id, "sdp": SDP})
    got = await b.expect("offer")
    assert got["from"] == a.peer_id and got["sdp"] == SDP
    await b.send({"type": "answer", "to": a.peer_id, "sdp": SDP})
    assert (await a.expect("answer"))["from"] == b.peer_id
    await b.send({"type": "candidate", "to": a.peer_id, "candidate": CANDIDATE})
    cand = await a.expect("candidate")
    assert cand["candidate"]["candidate"] == CANDIDATE["candidate"] and cand["from"] == b.peer_id
    await b.send({"type": "candidate", "to": a.peer_id, "candidate": None})
    assert (await a.expect("candidate"))["candidate"] is None
    # c saw the others join but none of the negotiation
    await c.send({"type": "ping", "id": 1})
    await c.expect("pong", id=1)
    assert not [m for m in c.seen if m["type"] in ("offer", "answer", "candidate")]


async def test_messages_to_absent_peers_are_refused_and_the_connection_goes_on(
    client: Any, token: Any
) -> None:
    a, _ = await join(client, WS, token(1))
    await a.send({"type": "offer", "to": "u9-deadbeef", "sdp": SDP})
    err = await a.expect("error")
    assert err["code"] == "peer_not_found" and err["ref"] == "offer"
    await a.send({"type": "offer", "to": a.peer_id, "sdp": SDP})  # to oneself
    assert (await a.expect("error"))["code"] == "peer_not_found"
    await a.send({"type": "ping", "id": 2})
    assert (await a.expect("pong"))["id"] == 2


async def test_bad_messages_get_typed_errors(client: Any, token: Any) -> None:
    a, _ = await join(client, WS, token(1))
    b, _ = await join(client, WS, token(2))
    cases: list[tuple[dict[str, Any] | str, str]] = [
        ("{oops", "bad_json"),
        ('{"type": "teleport"}', "unknown_type"),
        ({"type": "offer", "to": b.peer_id, "sdp": "not an sdp"}, "bad_sdp"),
        ({"type": "candidate", "to": b.peer_id, "candidate": {"candidate": "candidate:x"}}, "bad_candidate"),
        ({"type": "chat", "text": ""}, "invalid_message"),
        ({"type": "join", "token": token(1), "room": 1}, "already_joined"),
        ("x" * 20_000, "too_big"),
    ]
    for raw, code in cases:
        await a.send(raw)
        assert (await a.expect("error"))["code"] == code
    await a.ws.send_bytes(b"\xff\x00")
    assert (await a.expect("error"))["code"] == "bad_json"
    # the room still works for both
    await a.send({"type": "chat", "text": "괜찮습니다"})
    assert (await b.expect("chat"))["text"] == "괜찮습니다"


async def test_oversize_frame_closes_with_1009(client: Any, token: Any) -> None:
    a, _ = await join(client, WS, token(1))
    await a.send("x" * 70_000)
    assert await a.expect_closed() == p.CLOSE_TOO_BIG


async def test_chat_media_consent(client: Any, token: Any, calls: list) -> None:
    a, _ = await join(client, WS, token(1))
    b, _ = await join(client, WS, token(2))
    await a.send({"type": "chat", "text": "안녕하세요"})
    chat = await b.expect("chat")
    assert chat["from"] == a.peer_id and chat["name"] == "user1" and chat["text"] == "안녕하세요"
    await a.send({"type": "ping", "id": 1})
    await a.expect("pong")
    assert [m for m in a.seen if m["type"] == "chat"] == []  # not echoed to the sender
    await a.send({"type": "media", "audio": False, "video": True})
    assert (await b.expect("media")) == {"type": "media", "from": a.peer_id, "audio": False, "video": True}
    await b.send({"type": "consent", "agree": True})
    assert (await a.expect("consent"))["user_id"] == 2
    assert ("consent", 1, 2, True) in calls


async def test_lobby_admit(client: Any, token: Any, calls: list) -> None:
    i, _ = await join(client, WS, token(1))
    c, wc = await join(client, WS, token(2, role=C))
    assert wc["admitted"] is False and wc["peers"] == []
    await c.expect("lobby_wait")
    req = await i.expect("lobby_request")
    assert req["peer"] == c.peer_id and req["role"] == "candidate"
    await c.send({"type": "offer", "to": i.peer_id, "sdp": SDP})
    assert (await c.expect("error"))["code"] == "in_lobby"
    await c.send({"type": "admit", "peer": c.peer_id})  # a candidate cannot admit
    assert (await c.expect("error"))["code"] in ("forbidden", "in_lobby")
    # an interviewer joining later sees the lobby in its welcome
    i2, wi2 = await join(client, WS, token(3))
    assert [x["peer"] for x in wi2["lobby"]] == [c.peer_id]
    assert c.peer_id not in [x["peer"] for x in wi2["peers"]]
    await i.send({"type": "admit", "peer": c.peer_id})
    admitted = await c.expect("admitted")
    assert {x["peer"] for x in admitted["peers"]} == {i.peer_id, i2.peer_id}
    await i.expect("peer_joined", peer=c.peer_id)
    await i2.expect("peer_joined", peer=c.peer_id)
    assert ("admit", 1, 1, 2) in calls
    await c.send({"type": "offer", "to": i.peer_id, "sdp": SDP})
    assert (await i.expect("offer"))["from"] == c.peer_id
    # after a reconnection the candidate does not wait again
    await c.ws.close()
    c2, wc2 = await join(client, WS, token(2, role=C), resume=c.peer_id)
    assert wc2["admitted"] is True and wc2["resumed"] is True and wc2["peer"] == c.peer_id


async def test_lobby_deny(client: Any, token: Any, calls: list) -> None:
    i, _ = await join(client, WS, token(1))
    c, _ = await join(client, WS, token(2, role=C))
    await i.expect("lobby_request")
    await i.send({"type": "deny", "peer": c.peer_id})
    await c.expect("denied")
    assert await c.expect_closed() == p.CLOSE_DENIED
    assert ("deny", 1, 1, 2) in calls
    await i.send({"type": "admit", "peer": c.peer_id})  # gone now
    assert (await i.expect("error"))["code"] == "peer_not_found"


async def test_lobby_peer_cannot_send_media_state(client: Any, token: Any) -> None:
    i, _ = await join(client, WS, token(1))
    c, _ = await join(client, WS, token(2, role=C))
    await i.expect("lobby_request")
    await c.send({"type": "media", "audio": False, "video": False})
    error = await c.expect("error")
    assert error["code"] == "in_lobby" and error["ref"] == "media"
    # the interviewer got nothing from the lobby: the next thing it hears is its own pong
    await i.send({"type": "ping", "id": 7})
    assert (await i.recv())["type"] == "pong"


async def test_leave_tells_the_others(client: Any, token: Any, calls: list) -> None:
    a, _ = await join(client, WS, token(1))
    b, _ = await join(client, WS, token(2))
    await b.send({"type": "leave"})
    assert await b.expect_closed() == p.CLOSE_LEFT
    assert (await a.expect("peer_left"))["peer"] == b.peer_id
    await a.ws.close()
    sig = client.app[SIGNALING]
    await wait_until(lambda: ("empty", 1) in calls, within=5, message="the room was not reported empty")
    assert await sig.broker.peers(1) == []


async def test_end_room(client: Any, token: Any, calls: list) -> None:
    i, _ = await join(client, WS, token(1))
    c, _ = await join(client, WS, token(2, role=C))
    await c.send({"type": "end"})
    assert (await c.expect("error"))["code"] in ("forbidden", "in_lobby")
    await i.send({"type": "end"})
    await i.expect("room_ended")
    await c.expect("room_ended")
    assert await i.expect_closed() == p.CLOSE_ROOM_ENDED
    assert await c.expect_closed() == p.CLOSE_ROOM_ENDED
    assert ("end", 1, 1) in calls
    again, err = await join(client, WS, token(1), expect="error")
    assert err["code"] == "room_ended"
    assert await again.expect_closed() == p.CLOSE_ROOM_ENDED


@pytest.mark.parametrize(
    ("make", "code", "close"),
    [
        (lambda s: issue_room_token(s, user_id=1, room_id=2, role=IV), "token_wrong_room", p.CLOSE_FORBIDDEN),
        (
            lambda s: issue_room_token(s, user_id=1, room_id=1, role=IV, now=utcnow() - timedelta(hours=1)),
            "token_expired",
            p.CLOSE_AUTH_FAILED,
        ),
        (lambda s: "garbage-token-garbage", "token_invalid", p.CLOSE_AUTH_FAILED),
        (
            lambda s: issue_room_token(s, user_id=666, room_id=1, role=IV),
            "not_participant",
            p.CLOSE_FORBIDDEN,
        ),
    ],
    ids=["other-room", "expired", "garbage", "not-participant"],
)
async def test_refused_tokens(client: Any, settings: Settings, make: Any, code: str, close: int) -> None:
    peer, err = await join(client, WS, make(settings), room=1, expect="error")
    assert err["code"] == code and err["ref"] == "join"
    assert await peer.expect_closed() == close
    assert await client.app[SIGNALING].broker.peers(1) == []


async def test_messages_before_join_and_join_timeout(client: Any) -> None:
    ws = await client.ws_connect(WS)
    await ws.send_str('{"type": "ping"}')
    err = await ws.receive_json(timeout=5)
    assert err["code"] == "not_joined"
    msg = await ws.receive(timeout=5)  # the join timeout is 1 s in these tests
    if msg.type.name == "TEXT":
        msg = await ws.receive(timeout=5)
    assert ws.close_code == p.CLOSE_JOIN_TIMEOUT


async def test_flood_is_closed_and_others_go_on(client: Any, token: Any) -> None:
    a, _ = await join(client, WS, token(1))
    b, _ = await join(client, WS, token(2))
    for _ in range(200):
        if a.ws.closed:
            break
        await a.send({"type": "ping"})
    assert await a.expect_closed() == p.CLOSE_FLOOD
    assert any(m.get("code") == "rate_limited" for m in a.seen)
    assert (await b.expect("peer_left"))["peer"] == a.peer_id
    await b.send({"type": "ping", "id": 5})
    assert (await b.expect("pong"))["id"] == 5


async def test_resume_replaces_the_older_connection(client: Any, token: Any) -> None:
    a, _ = await join(client, WS, token(1))
    b, _ = await join(client, WS, token(2))
    b2, wb2 = await join(client, WS, token(2), resume=b.peer_id)
    assert wb2["peer"] == b.peer_id and wb2["resumed"]
    assert await b.expect_closed() == p.CLOSE_REPLACED
    # the replaced connection's exit must not remove the peer
    await a.send({"type": "offer", "to": b.peer_id, "sdp": SDP})
    assert (await b2.expect("offer"))["from"] == a.peer_id
    # someone else's peer id is not taken over
    c, wc = await join(client, WS, token(3), resume=b.peer_id)
    assert wc["peer"] != b.peer_id and wc["resumed"] is False


async def test_shutdown_closes_with_going_away(aiohttp_client: Any, settings: Settings, token: Any) -> None:
    app = web.Application()
    setup_signaling(app, settings, path=WS)
    client = await aiohttp_client(app)
    a, _ = await join(client, WS, token(1))
    import asyncio

    closing = asyncio.create_task(client.server.close())
    assert await a.expect_closed() == 1001
    await closing
