from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import LoginThrottle, Role, User, create_user, login, validate_account, verify_password
from core.errors import EmailTaken, InvalidInput, LoginFailed, TooManyAttempts


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
    for i in range(3):
        with pytest.raises(LoginFailed):
            await login(sessions, "kim@example.com", "nope", address=f"10.1.0.{i}", max_failures=3)
    # the limit is reached: even the right password must wait, from any address
    with pytest.raises(TooManyAttempts) as info:
        await login(sessions, "kim@example.com", "correct horse", address="10.9.9.9", max_failures=3)
    assert int(info.value.params["seconds"]) >= 1
    async with sessions() as session:
        row = await session.get(LoginThrottle, "email:kim@example.com")
        assert row is not None and row.failures == 3 and row.blocked_until is not None


async def test_repeated_failures_slow_down_the_address(sessions: async_sessionmaker[AsyncSession]) -> None:
    for i in range(3):
        with pytest.raises(LoginFailed):
            await login(sessions, f"user{i}@example.com", "nope", address="10.2.0.1", max_failures=3)
    with pytest.raises(TooManyAttempts):
        await login(sessions, "other@example.com", "nope", address="10.2.0.1", max_failures=3)
