"""Room tokens: accepted for their own user, room and role; every kind of refusal is typed."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from core.clock import utcnow
from core.config import Settings, load_settings
from interview.signaling.tokens import (
    NotParticipant,
    RoomRole,
    TokenError,
    TokenExpired,
    TokenWrongRoom,
    issue_room_token,
    verify_room_token,
)


def test_round_trip(settings: Settings) -> None:
    token = issue_room_token(settings, user_id=5, room_id=9, role=RoomRole.CANDIDATE, name="김영수")
    claims = verify_room_token(settings, token, room_id=9)
    assert (claims.user_id, claims.room_id, claims.role, claims.name) == (5, 9, RoomRole.CANDIDATE, "김영수")
    assert claims.expires_at - utcnow() <= timedelta(seconds=settings.room_token_ttl)


def test_other_room_refused(settings: Settings) -> None:
    token = issue_room_token(settings, user_id=5, room_id=9, role=RoomRole.INTERVIEWER)
    with pytest.raises(TokenWrongRoom) as info:
        verify_room_token(settings, token, room_id=10)
    assert info.value.code == "token_wrong_room" and info.value.status == 403


def test_expired_refused(settings: Settings) -> None:
    past = utcnow() - timedelta(seconds=settings.room_token_ttl + 1)
    token = issue_room_token(settings, user_id=5, room_id=9, role=RoomRole.CANDIDATE, now=past)
    with pytest.raises(TokenExpired) as info:
        verify_room_token(settings, token, room_id=9)
    assert info.value.code == "token_expired"
    # still valid one second before its expiry
    almost = past + timedelta(seconds=settings.room_token_ttl - 1)
    assert verify_room_token(settings, token, room_id=9, now=almost).user_id == 5


def test_other_secret_refused(settings: Settings, tmp_path) -> None:
    other = load_settings(data_dir=tmp_path / "other")
    token = issue_room_token(other, user_id=5, room_id=9, role=RoomRole.CANDIDATE)
    with pytest.raises(TokenError) as info:
        verify_room_token(settings, token, room_id=9)
    assert type(info.value) is TokenError and info.value.code == "token_invalid"


@pytest.mark.parametrize(
    "payload",
    [
        {"sub": "5", "room": 9, "role": "admin", "aud": "allwork:room"},  # unknown role
        {"sub": "five", "room": 9, "role": "candidate", "aud": "allwork:room"},  # not a user id
        {"sub": "5", "room": 9, "role": "candidate", "aud": "elsewhere"},  # another audience
        {"room": 9, "role": "candidate", "aud": "allwork:room"},  # no subject
    ],
)
def test_tampered_claims_refused(settings: Settings, payload: dict) -> None:
    now = int(utcnow().timestamp())
    token = jwt.encode({**payload, "iat": now, "exp": now + 60, "jti": "x"}, settings.secret(), "HS256")
    with pytest.raises(TokenError):
        verify_room_token(settings, token, room_id=9)


def test_alg_none_and_garbage_refused(settings: Settings) -> None:
    now = int(utcnow().timestamp())
    unsigned = jwt.encode(
        {
            "sub": "5",
            "room": 9,
            "role": "candidate",
            "aud": "allwork:room",
            "iat": now,
            "exp": now + 60,
            "jti": "x",
        },
        "",  # no key: PyJWT takes "" for None with the "none" algorithm
        algorithm="none",
    )
    for token in (unsigned, "not.a.token", "", "a" * 500):
        with pytest.raises(TokenError):
            verify_room_token(settings, token, room_id=9)


def test_not_participant_is_a_token_error() -> None:
    err = NotParticipant()
    assert isinstance(err, TokenError) and err.code == "not_participant" and err.status == 403
