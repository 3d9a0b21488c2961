"""Server-side login sessions: ended on log out, everywhere, and when an account is switched off."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core import login_sessions
from core.accounts import User, create_user, validate_account
from core.clock import utcnow
from core.db import Sessions, transaction
from core.login_sessions import LoginSession

MAX_AGE = 3600


async def _user(sessions: Sessions, email: str = "kim@example.com") -> User:
    return await create_user(sessions, validate_account(email, "김영수", "garden-tea-58", "senior"))


async def test_a_session_names_its_user_until_it_ends(sessions: Sessions) -> None:
    user = await _user(sessions)
    token = await login_sessions.start(sessions, user.id, max_age=MAX_AGE)
    found = await login_sessions.user_of(sessions, token, max_age=MAX_AGE)
    assert found is not None and found.id == user.id
    async with sessions() as session:
        stored = await session.get(LoginSession, login_sessions.token_hash(token))
        assert stored is not None and token not in stored.id  # only the hash is kept
    await login_sessions.end(sessions, token)
    assert await login_sessions.user_of(sessions, token, max_age=MAX_AGE) is None


async def test_unknown_and_odd_tokens_name_nobody(sessions: Sessions) -> None:
    await _user(sessions)
    assert await login_sessions.user_of(sessions, "no-such-token", max_age=MAX_AGE) is None
    assert await login_sessions.user_of(sessions, "", max_age=MAX_AGE) is None
    assert await login_sessions.user_of(sessions, "x" * 5000, max_age=MAX_AGE) is None


async def test_end_everywhere_ends_only_that_users_sessions(sessions: Sessions) -> None:
    kim, lee = await _user(sessions), await _user(sessions, "lee@example.com")
    phone = await login_sessions.start(sessions, kim.id, max_age=MAX_AGE)
    laptop = await login_sessions.start(sessions, kim.id, max_age=MAX_AGE)
    other = await login_sessions.start(sessions, lee.id, max_age=MAX_AGE)
    assert await login_sessions.open_count(sessions, kim.id, max_age=MAX_AGE) == 2
    assert await login_sessions.end_everywhere(sessions, kim.id) == 2
    assert await login_sessions.user_of(sessions, phone, max_age=MAX_AGE) is None
    assert await login_sessions.user_of(sessions, laptop, max_age=MAX_AGE) is None
    assert await login_sessions.user_of(sessions, other, max_age=MAX_AGE) is not None


async def test_a_switched_off_account_has_no_session(sessions: Sessions) -> None:
    user = await _user(sessions)
    token = await login_sessions.start(sessions, user.id, max_age=MAX_AGE)
    async with transaction(sessions) as session:
        row = await session.get(User, user.id)
        assert row is not None
        row.is_active = False
    assert await login_sessions.user_of(sessions, token, max_age=MAX_AGE) is None


async def test_an_unused_session_runs_out_and_a_used_one_is_kept_alive(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await _user(sessions)
    token = await login_sessions.start(sessions, user.id, max_age=MAX_AGE)
    start = utcnow()
    # used 50 minutes later: seen_at moves on, so it lasts another hour from then
    monkeypatch.setattr(login_sessions, "utcnow", lambda: start + timedelta(minutes=50))
    assert await login_sessions.user_of(sessions, token, max_age=MAX_AGE) is not None
    monkeypatch.setattr(login_sessions, "utcnow", lambda: start + timedelta(minutes=100))
    assert await login_sessions.user_of(sessions, token, max_age=MAX_AGE) is not None
    # then nothing for more than an hour
    monkeypatch.setattr(login_sessions, "utcnow", lambda: start + timedelta(minutes=161))
    assert await login_sessions.user_of(sessions, token, max_age=MAX_AGE) is None
    assert await login_sessions.open_count(sessions, user.id, max_age=MAX_AGE) == 0
    # a new login clears the user's stale rows
    await login_sessions.start(sessions, user.id, max_age=MAX_AGE)
    async with sessions() as session:
        assert await session.get(LoginSession, login_sessions.token_hash(token)) is None
