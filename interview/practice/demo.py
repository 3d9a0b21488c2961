"""Demo content for practice: the question bank, seeded so admins and seniors see it at once."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from interview.practice import bank


async def load_demo(sessions: async_sessionmaker[AsyncSession], users: dict[str, int]) -> None:
    """Idempotent: fills the question bank when it is empty (the demo accounts need nothing else)."""
    await bank.ensure_seeded(sessions)
