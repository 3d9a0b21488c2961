"""Reset links, password changes and an admin's switches, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core import credentials, login_sessions
from core.accounts import Role, User, create_user, login, validate_account, verify_password
from core.clock import utcnow
from core.credentials import (
    MAX_OPEN_RESETS,
    PasswordReset,
    ResetLinkExpired,
    ResetLinkInvalid,
    WrongPassword,
    change_password,
    issue_reset,
    normalise_code,
    request_reset,
    reset_link_user,
    reset_password,
    set_active,
)
from core.db import Sessions
from core.errors import Forbidden, InvalidInput, LoginFailed
from core.passwords import COMMON

OLD, NEW = "garden-tea-58", "blue-river-walk-61"
MAX_AGE = 3600


async def _user(sessions: Sessions, email: str = "kim@example.com", role: str = "senior") -> User:
    return await create_user(sessions, validate_account(email, "김영수", OLD, role))


async def test_a_reset_code_works_once_and_ends_every_session(sessions: Sessions) -> None:
    user = await _user(sessions)
    token = await login_sessions.start(sessions, user.id, max_age=MAX_AGE)
    found = await request_reset(sessions, "  KIM@example.com ", valid_minutes=30)
    assert found is not None
    owner, code = found
    assert owner.id == user.id and len(normalise_code(code)) == credentials.CODE_LENGTH
    async with sessions() as session:
        stored = (await session.scalars(select(PasswordReset))).one()
        assert normalise_code(code) not in stored.id  # only the hash is kept
    assert (await reset_link_user(sessions, code.upper().replace("-", " "))).id == user.id  # read out loud
    await reset_password(sessions, code, NEW, NEW)
    assert (await login(sessions, "kim@example.com", NEW, address="10.0.0.1")).id == user.id
    with pytest.raises(LoginFailed):
        await login(sessions, "kim@example.com", OLD, address="10.0.0.2")
    assert await login_sessions.user_of(sessions, token, max_age=MAX_AGE) is None
    with pytest.raises(ResetLinkInvalid):
        await reset_password(sessions, code, "another-long-walk-7", "another-long-walk-7")


async def test_unknown_and_switched_off_addresses_get_no_code(sessions: Sessions) -> None:
    admin = await _user(sessions, "admin@example.com", "admin")
    user = await _user(sessions)
    assert await request_reset(sessions, "nobody@example.com", valid_minutes=30) is None
    await set_active(sessions, admin, user.id, False)
    assert await request_reset(sessions, "kim@example.com", valid_minutes=30) is None


async def test_a_flood_of_requests_makes_only_a_few_codes(sessions: Sessions) -> None:
    await _user(sessions)
    made = [await request_reset(sessions, "kim@example.com", valid_minutes=30) for _ in range(6)]
    assert sum(m is not None for m in made) == MAX_OPEN_RESETS


async def test_a_code_expires(sessions: Sessions, monkeypatch: pytest.MonkeyPatch) -> None:
    await _user(sessions)
    found = await request_reset(sessions, "kim@example.com", valid_minutes=30)
    assert found is not None
    later = utcnow() + timedelta(minutes=31)
    monkeypatch.setattr(credentials, "utcnow", lambda: later)
    with pytest.raises(ResetLinkExpired):
        await reset_password(sessions, found[1], NEW, NEW)


async def test_bad_codes_and_weak_passwords_change_nothing(sessions: Sessions) -> None:
    user = await _user(sessions)
    for code in ("", "abcd", "abcd-efgh-jkmn-pqrs", "x" * 500):
        with pytest.raises(ResetLinkInvalid):
            await reset_link_user(sessions, code)
    found = await request_reset(sessions, "kim@example.com", valid_minutes=30)
    assert found is not None
    with pytest.raises(InvalidInput) as weak:
        await reset_password(sessions, found[1], "qwer1234", "qwer1234")
    assert weak.value.fields == {"password": COMMON}
    with pytest.raises(InvalidInput) as differ:
        await reset_password(sessions, found[1], NEW, NEW + "x")
    assert set(differ.value.fields) == {"password2"}
    async with sessions() as session:
        stored = await session.get(User, user.id)
        assert stored is not None and verify_password(stored.password_hash, OLD)
    # the code was not used up by the refused tries
    await reset_password(sessions, found[1], NEW, NEW)


async def test_a_password_change_asks_the_current_one_and_ends_codes_and_sessions(
    sessions: Sessions,
) -> None:
    user = await _user(sessions)
    token = await login_sessions.start(sessions, user.id, max_age=MAX_AGE)
    found = await request_reset(sessions, "kim@example.com", valid_minutes=30)
    assert found is not None
    with pytest.raises(WrongPassword) as wrong:
        await change_password(sessions, user, "not-my-password", NEW, NEW)
    assert set(wrong.value.fields) == {"current"}
    with pytest.raises(InvalidInput) as same:
        await change_password(sessions, user, OLD, OLD, OLD)
    assert set(same.value.fields) == {"password"}
    changed = await change_password(sessions, user, OLD, NEW, NEW)
    assert verify_password(changed.password_hash, NEW)
    assert await login_sessions.user_of(sessions, token, max_age=MAX_AGE) is None
    with pytest.raises(ResetLinkInvalid):  # a later password change made the old link useless
        await reset_password(sessions, found[1], "another-long-walk-7", "another-long-walk-7")
    with pytest.raises(WrongPassword):  # a stale copy of the account knows the old password only
        await change_password(sessions, user, OLD, "third-quiet-road-9", "third-quiet-road-9")


async def test_only_an_admin_issues_codes_and_switches_accounts(sessions: Sessions) -> None:
    admin = await _user(sessions, "admin@example.com", "admin")
    coach = await _user(sessions, "coach@example.com", "coach")
    user = await _user(sessions)
    with pytest.raises(Forbidden):
        await issue_reset(sessions, coach, user.id)
    with pytest.raises(Forbidden):
        await set_active(sessions, coach, user.id, False)
    with pytest.raises(InvalidInput):
        await set_active(sessions, admin, admin.id, False)
    owner, code = await issue_reset(sessions, admin, user.id)
    assert owner.id == user.id
    async with sessions() as session:
        stored = await session.get(PasswordReset, credentials.code_hash(code))
        assert stored is not None and stored.issued_by == admin.id
        assert stored.expires_at - stored.created_at == timedelta(hours=credentials.ADMIN_RESET_HOURS)


async def test_switching_off_ends_sessions_and_codes_and_login(sessions: Sessions) -> None:
    admin = await _user(sessions, "admin@example.com", "admin")
    user = await _user(sessions)
    token = await login_sessions.start(sessions, user.id, max_age=MAX_AGE)
    _owner, code = await issue_reset(sessions, admin, user.id)
    off = await set_active(sessions, admin, user.id, False)
    assert off.is_active is False and off.role is Role.SENIOR
    assert await login_sessions.user_of(sessions, token, max_age=MAX_AGE) is None
    with pytest.raises(LoginFailed):
        await login(sessions, "kim@example.com", OLD, address="10.0.0.1")
    with pytest.raises(ResetLinkInvalid):
        await reset_link_user(sessions, code)
    with pytest.raises(InvalidInput):
        await issue_reset(sessions, admin, user.id)
    await set_active(sessions, admin, user.id, True)
    assert (await login(sessions, "kim@example.com", OLD, address="10.0.0.3")).id == user.id
