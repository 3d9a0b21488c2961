"""Shared fixtures: settings in a temporary data folder, real SQLite and PostgreSQL databases, real Redis.

PostgreSQL and Redis are the machine's own (127.0.0.1:5432 and :6379); the test command
makes sure they run. Each PostgreSQL test gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import asyncio
import gc
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings, load_settings
from core.db import create_engine, session_factory
from web.composition import upgrade

PG_ADMIN_URL = os.environ.get("ALLWORK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("ALLWORK_TEST_REDIS", "redis://127.0.0.1:6379/0")
#: the project's shared/ folder (test audio with its reference text); CI lays it beside the clone
SHARED = Path(os.environ.get("ALLWORK_TEST_SHARED", Path(__file__).resolve().parent.parent.parent / "shared"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: the quick tiers report first, and no Playwright loop is alive before them."""
    items.sort(key=lambda item: item.nodeid.startswith("tests/e2e/"))


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the developer's own ALLWORK_* variables."""
    for name in list(os.environ):
        if name.startswith("ALLWORK_") and not name.startswith("ALLWORK_TEST_"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _collect_garbage_after() -> Iterator[None]:
    """Collect garbage after each test, so an unclosed resource (a database connection left open) is
    reported by the test that left it, not by whichever test the collector happens to run in later."""
    yield
    gc.collect()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return load_settings(data_dir=data_dir)


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test."""
    name = f"allwork_t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, data_dir: Path) -> str:
    """Run the test once on SQLite and once on PostgreSQL; the schema is migrated."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{data_dir / 'test.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    upgrade(url)
    return url


@pytest.fixture
def sqlite_url(data_dir: Path) -> str:
    url = f"sqlite+aiosqlite:///{data_dir / 'test.db'}"
    upgrade(url)
    return url


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


@pytest.fixture
def redis_url() -> str:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    assert (SHARED / "audio" / "jfk.flac").exists(), (
        f"shared audio missing under {SHARED}: put shared/ beside the clone or set ALLWORK_TEST_SHARED"
    )
    return SHARED
