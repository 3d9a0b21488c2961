"""Users for the rooms tests, inserted directly (no password hashing needed here)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts import Role, User
from core.db import transaction


@dataclass
class People:
    senior: User
    boss: User
    hr: User
    other_senior: User
    other_company: User


async def make_user(sessions: async_sessionmaker[AsyncSession], email: str, name: str, role: Role) -> User:
    async with transaction(sessions) as session:
        user = User(email=email, name=name, role=role, password_hash="x", language="ko")
        session.add(user)
    return user


@pytest.fixture
async def people(sessions: async_sessionmaker[AsyncSession]) -> People:
    return People(
        senior=await make_user(sessions, "senior@example.com", "김영수", Role.SENIOR),
        boss=await make_user(sessions, "boss@example.com", "박사장", Role.COMPANY),
        hr=await make_user(sessions, "hr@example.com", "이과장", Role.COMPANY),
        other_senior=await make_user(sessions, "other@example.com", "최민호", Role.SENIOR),
        other_company=await make_user(sessions, "else@example.com", "정대표", Role.COMPANY),
    )
