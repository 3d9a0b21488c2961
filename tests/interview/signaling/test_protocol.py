"""The message parser: every message type accepted, every bad input a typed refusal, never a crash."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview.signaling import protocol as p

SDP = (
    "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "a=group:BUNDLE 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
    "a=rtpmap:111 opus/48000/2\r\na=mid:0\r\n"
)
CANDIDATE = "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.5 rport 46154"
MDNS = "candidate:1 1 UDP 2122252543 2b4a7f0e-1b8a-4c8f-a9f1-2b0d0c1e7f5a.local 53421 typ host generation 0"

GOOD: list[dict[str, Any]] = [
    {"type": "join", "token": "x" * 40, "room": 7},
    {"type": "join", "token": "x" * 40, "room": 7, "resume": "u3-abcdef12"},
    {"type": "offer", "to": "u1-aa", "sdp": SDP},
    {"type": "answer", "to": "u1-aa", "sdp": SDP},
    {
        "type": "candidate",
        "to": "u1-aa",
        "candidate": {"candidate": CANDIDATE, "sdpMid": "0", "sdpMLineIndex": 0},
    },
    {"type": "candidate", "to": "u1-aa", "candidate": {"candidate": MDNS, "sdpMid": "0"}},
    {"type": "candidate", "to": "u1-aa", "candidate": {"candidate": ""}},
    {"type": "candidate", "to": "u1-aa", "candidate": None},
    {"type": "chat", "text": "안녕하세요"},
    {"type": "admit", "peer": "u2-bb"},
    {"type": "deny", "peer": "u2-bb"},
    {"type": "media", "audio": False, "video": True},
    {"type": "consent", "agree": True},
    {"type": "end"},
    {"type": "leave"},
    {"type": "ping", "id": 3},
    {"type": "ping"},
]


@pytest.mark.parametrize("message", GOOD, ids=lambda m: m["type"])
def test_every_message_type_parses(message: dict) -> None:
    parsed = p.parse_client(json.dumps(message))
    assert parsed.type == message["type"]
    assert p.parse_client(json.dumps(message).encode()).type == message["type"]


def test_every_client_type_has_a_good_example() -> None:
    assert {m["type"] for m in GOOD} == p.CLIENT_TYPES


BAD = [
    ("{not json", "bad_json"),
    (b"\xff\xfe", "bad_json"),
    ("[1, 2]", "bad_json"),
    ("null", "bad_json"),
    ('{"type": "shout"}', "unknown_type"),
    ('{"no": "type"}', "unknown_type"),
    ('{"type": 5}', "unknown_type"),
    ('{"type": "chat"}', "invalid_message"),
    ('{"type": "chat", "text": "   "}', "invalid_message"),
    ('{"type": "chat", "text": "hi", "extra": 1}', "invalid_message"),
    ('{"type": "join", "token": "short", "room": 1}', "invalid_message"),
    ('{"type": "join", "token": "' + "x" * 40 + '", "room": 0}', "invalid_message"),
    ('{"type": "admit", "peer": "../etc"}', "invalid_message"),
    ('{"type": "media", "audio": "loud", "video": true}', "invalid_message"),
    ('{"type": "offer", "to": "u1-a", "sdp": "hello"}', "bad_sdp"),
    ('{"type": "offer", "to": "u1-a", "sdp": "v=0\\r\\nm=audio 9 RTP 0\\r\\n"}', "bad_sdp"),
    (
        '{"type": "answer", "to": "u1-a", "sdp": "v=0\\r\\no=x\\r\\ns=-\\r\\nm=a\\r\\nNOT A LINE\\r\\n"}',
        "bad_sdp",
    ),
    ('{"type": "candidate", "to": "u1-a", "candidate": {"candidate": "candidate:garbage"}}', "bad_candidate"),
    (
        '{"type": "candidate", "to": "u1-a", "candidate": {"candidate": "' + CANDIDATE + ' \\u0000"}}',
        "bad_candidate",
    ),
    ("x" * (p.MAX_MESSAGE_BYTES + 1), "too_big"),
    ("[" * 100000 + "]" * 100000, "too_big"),
    ("[" * 20000 + "]" * 20000, "bad_json"),
]


@pytest.mark.parametrize(("raw", "code"), BAD, ids=[c + str(i) for i, (_, c) in enumerate(BAD)])
def test_bad_messages_are_typed_errors(raw: str | bytes, code: str) -> None:
    with pytest.raises(p.ProtocolError) as info:
        p.parse_client(raw)
    assert info.value.code == code
    assert code in p.ERROR_CODES
    reply = p.error(info.value.code, ref=info.value.ref)
    assert reply["type"] == "error" and reply["code"] == code and reply["message"] == p.ERROR_CODES[code]


def test_error_reply_names_the_refused_type() -> None:
    with pytest.raises(p.ProtocolError) as info:
        p.parse_client('{"type": "offer", "to": "u1-a", "sdp": "nope"}')
    assert info.value.ref == "offer"


def _check_never_raises_otherwise(raw: str | bytes) -> None:
    try:
        p.parse_client(raw)
    except p.ProtocolError as exc:
        assert exc.code in p.ERROR_CODES


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
fields = st.sampled_from(["type", "to", "sdp", "candidate", "token", "room", "text", "peer", "audio", "id"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_fuzz_bytes(raw: bytes) -> None:
    _check_never_raises_otherwise(raw)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_text(raw: str) -> None:
    _check_never_raises_otherwise(raw)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(sorted(p.CLIENT_TYPES)), st.dictionaries(fields, json_values, max_size=5))
def test_fuzz_messages_shaped_like_ours(kind: str, body: dict) -> None:
    body["type"] = kind
    _check_never_raises_otherwise(json.dumps(body))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_fuzz_sdp_and_candidates(text: str) -> None:
    _check_never_raises_otherwise(json.dumps({"type": "offer", "to": "u1-a", "sdp": text}))
    _check_never_raises_otherwise(
        json.dumps({"type": "candidate", "to": "u1-a", "candidate": {"candidate": text}})
    )
