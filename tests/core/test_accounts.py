from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import (
    LoginThrottle,
    Role,
    User,
    active_users,
    count_by_role,
    create_user,
    login,
    names_of,
    recent_users,
    user_by_email,
    validate_account,
    verify_password,
)
from core.clock import utcnow
from core.db import Sessions, transaction
from core.errors import EmailTaken, InvalidInput, LoginFailed, TooManyAttempts
from core.throttle import WIDE_FACTOR


def account(email: str = "kim@example.com", password: str = "correct horse", role: str = "senior"):
    return validate_account(email, "김영수", password, role)


def test_validation_reports_every_bad_field() -> None:
    with pytest.raises(InvalidInput) as info:
        validate_account("not-an-email", " ", "short", "pilot")
    assert set(info.value.fields) == {"email", "name", "password", "role"}


def test_email_is_normalised() -> None:
    assert validate_account("  Kim@Example.COM ", "김", "12345678", "company").email == "kim@example.com"


async def test_create_and_login(sessions: async_sessionmaker[AsyncSession]) -> None:
    user = await create_user(sessions, account())
    assert user.role is Role.SENIOR
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "correct horse")
    logged_in = await login(sessions, "KIM@example.com", "correct horse", address="10.0.0.1")
    assert logged_in.id == user.id


async def test_duplicate_email_refused_and_nothing_stored(sessions: async_sessionmaker[AsyncSession]) -> None:
    await create_user(sessions, account())
    with pytest.raises(EmailTaken):
        await create_user(sessions, account(role="company"))
    async with sessions() as session:
        assert len((await session.scalars(select(User))).all()) == 1


async def test_wrong_password_and_unknown_email_look_the_same(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await create_user(sessions, account())
    with pytest.raises(LoginFailed) as wrong:
        await login(sessions, "kim@example.com", "wrong password", address="10.0.0.2")
    with pytest.raises(LoginFailed) as unknown:
        await login(sessions, "nobody@example.com", "wrong password", address="10.0.0.3")
    assert wrong.value.message == unknown.value.message


async def test_repeated_failures_slow_down_the_account(sessions: async_sessionmaker[AsyncSession]) -> None:
    await create_user(sessions, account())
    for _ in range(3):
        with pytest.raises(LoginFailed):
            await login(sessions, "kim@example.com", "nope", address="10.1.0.1", max_failures=3)
    # the limit is reached for this account from this address: even the right password must wait there
    # (other addresses and the account-wide count: tests/core/test_throttle.py)
    with pytest.raises(TooManyAttempts) as info:
        await login(sessions, "kim@example.com", "correct horse", address="10.1.0.1", max_failures=3)
    seconds = info.value.params["seconds"]
    assert isinstance(seconds, int) and seconds >= 1
    async with sessions() as session:
        row = await session.get(LoginThrottle, "pair:kim@example.com|10.1.0.1")
        assert row is not None and row.failures == 3 and row.blocked_until is not None


async def test_repeated_failures_slow_down_the_address(sessions: async_sessionmaker[AsyncSession]) -> None:
    for i in range(3 * WIDE_FACTOR):
        with pytest.raises(LoginFailed):
            await login(sessions, f"user{i}@example.com", "nope", address="10.2.0.1", max_failures=3)
    with pytest.raises(TooManyAttempts):
        await login(sessions, "other@example.com", "nope", address="10.2.0.1", max_failures=3)


# --- read functions ------------------------------------------------------------------------------


async def _add(
    sessions: Sessions, name: str, role: Role, *, minutes_ago: int = 0, active: bool = True
) -> User:
    async with transaction(sessions) as session:
        user = User(
            email=f"{name}@example.com",
            name=name,
            role=role,
            password_hash="x",
            is_active=active,
            created_at=utcnow() - timedelta(minutes=minutes_ago),
        )
        session.add(user)
    return user


async def test_recent_users_newest_first(sessions: Sessions) -> None:
    old = await _add(sessions, "old", Role.SENIOR, minutes_ago=30)
    new = await _add(sessions, "new", Role.COMPANY, minutes_ago=1)
    gone = await _add(sessions, "gone", Role.COACH, minutes_ago=10, active=False)
    assert [u.id for u in await recent_users(sessions)] == [new.id, gone.id, old.id]
    assert [u.id for u in await recent_users(sessions, limit=2)] == [new.id, gone.id]


async def test_user_by_email(sessions: Sessions) -> None:
    kim = await _add(sessions, "kim", Role.SENIOR)
    found = await user_by_email(sessions, f"  {kim.email.upper()} ")
    assert found is not None and found.id == kim.id
    assert await user_by_email(sessions, "nobody@example.kr") is None


async def test_count_by_role(sessions: Sessions) -> None:
    assert await count_by_role(sessions) == {}
    await _add(sessions, "a", Role.SENIOR)
    await _add(sessions, "b", Role.SENIOR)
    await _add(sessions, "c", Role.ADMIN, active=False)
    assert await count_by_role(sessions) == {"senior": 2, "admin": 1}


async def test_names_of(sessions: Sessions) -> None:
    kim = await _add(sessions, "김영수", Role.SENIOR)
    park = await _add(sessions, "박사장", Role.COMPANY)
    assert await names_of(sessions, [kim.id, park.id, 99999]) == {kim.id: "김영수", park.id: "박사장"}
    assert await names_of(sessions, iter([park.id])) == {park.id: "박사장"}
    assert await names_of(sessions, []) == {}


async def test_active_users_by_role_and_name(sessions: Sessions) -> None:
    choi = await _add(sessions, "최민호", Role.SENIOR)
    kim = await _add(sessions, "김영수", Role.SENIOR)
    park = await _add(sessions, "박사장", Role.COMPANY)
    await _add(sessions, "이전", Role.SENIOR, active=False)
    await _add(sessions, "관리자", Role.ADMIN)
    found = await active_users(sessions, [Role.SENIOR, Role.COMPANY])
    assert [u.id for u in found] == [kim.id, park.id, choi.id]  # 김 < 박 < 최
    assert [u.id for u in await active_users(sessions, (Role.SENIOR,), limit=1)] == [kim.id]
    assert await active_users(sessions, []) == []
