"""Shared fixtures: settings in a temporary data folder, real SQLite and PostgreSQL databases, real Redis.

PostgreSQL and Redis are the machine's own (127.0.0.1:5432 and :6379); the test command
makes sure they run. Each PostgreSQL test gets a database of its own, dropped afterwards.

The migrations run once per session, not once per test: a migrated SQLite file is copied into each
test's data folder, and each migrated PostgreSQL database is made with ``CREATE DATABASE ... TEMPLATE``
from a database migrated once. Every test still starts from the full, freshly migrated schema and no
rows of another test. (tests/core/test_migrate.py runs the migrations themselves, up and down.)
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
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


_last_module: list[str] = [""]


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Thaw what ``_collect_garbage_after`` froze, so pytest's last collection finds the last module's
    leftovers too."""
    gc.unfreeze()


@pytest.fixture(autouse=True)
def _collect_garbage_after(request: pytest.FixtureRequest) -> Iterator[None]:
    """Collect garbage after each test, so an unclosed resource (a database connection left open) is
    reported by the test that left it, not by whichever test the collector happens to run in later.

    Only what the test made is searched: what lived before it (imported modules, the session's and the
    module's fixtures: hundreds of thousands of objects) is frozen out of the collector's sight
    (``gc.freeze``), which makes the collection after a test cost milliseconds, not a large fraction of a
    second. At the first test of each module everything is thawed and collected once, so what a
    previous module's fixtures left behind is still found, and reported by that test's set-up."""
    module = request.node.nodeid.split("::", 1)[0]
    if module != _last_module[0]:
        _last_module[0] = module
        gc.unfreeze()
        gc.collect()
    gc.freeze()
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


def _pg_database_url(name: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{name}"


def _create_pg_database(name: str, template: str | None = None) -> str:
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    return name


def _drop_pg_database(name: str) -> None:
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _new_name() -> str:
    return f"allwork_t_{uuid.uuid4().hex[:12]}"


class _PgDatabases:
    """Makes and drops the tests' PostgreSQL databases on one worker thread, beside the tests.

    Creating a database and dropping one each take about a second of PostgreSQL's time, mostly waiting
    on the disk, not on the CPU. The worker makes the next test's database while a test runs and drops a
    finished test's database afterwards, so no test waits for either. Every test still gets a database
    that no other test has touched; jobs run one at a time, in the order given, so a template is never
    copied twice at once (PostgreSQL refuses that)."""

    def __init__(self) -> None:
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-databases")
        self._next: dict[str | None, Future[str]] = {}
        self._templates: list[str] = []

    def _create(self, template: str | None) -> Future[str]:
        return self._worker.submit(_create_pg_database, _new_name(), template)

    def take(self, template: str | None = None) -> str:
        """A new database (a copy of ``template``, or empty); the next one is started at once."""
        future = self._next.pop(template, None) or self._create(template)
        name = future.result()
        self._next[template] = self._create(template)
        return name

    def drop(self, name: str) -> None:
        self._worker.submit(_drop_pg_database, name)

    def template(self) -> str:
        """A database migrated here and now, to copy; dropped at the end, after every copy of it."""
        name = _create_pg_database(_new_name())
        self._templates.append(name)
        upgrade(_pg_database_url(name))
        return name

    def close(self) -> None:
        """Drop the databases made ahead and not used, then the templates; wait for every drop."""
        for future in self._next.values():
            with contextlib.suppress(Exception):  # a database that could not be made needs no drop
                self.drop(future.result())
        self._next.clear()
        for name in self._templates:
            self.drop(name)
        self._worker.shutdown(wait=True)


@pytest.fixture(scope="session")
def _pg_databases() -> Iterator[_PgDatabases]:
    databases = _PgDatabases()
    try:
        yield databases
    finally:
        databases.close()


@pytest.fixture
def pg_url(_pg_databases: _PgDatabases) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test."""
    name = _pg_databases.take()
    try:
        yield _pg_database_url(name)
    finally:
        _pg_databases.drop(name)


@pytest.fixture(scope="session")
def _migrated_pg_template(_pg_databases: _PgDatabases) -> str:
    """A PostgreSQL database migrated once per session, the template of every migrated test database.
    Nothing stays connected to it (``CREATE DATABASE ... TEMPLATE`` needs that)."""
    return _pg_databases.template()


@pytest.fixture
def migrated_pg_url(_pg_databases: _PgDatabases, _migrated_pg_template: str) -> Iterator[str]:
    """A PostgreSQL database of this test's own with the newest schema (a copy of the session's template)."""
    name = _pg_databases.take(template=_migrated_pg_template)
    try:
        yield _pg_database_url(name)
    finally:
        _pg_databases.drop(name)


@pytest.fixture(scope="session")
def _migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per session; each test gets a copy of it."""
    path = tmp_path_factory.mktemp("migrated_sqlite") / "migrated.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    # the app opens SQLite in WAL mode: fold the log into the file, so the file alone is the whole database
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    assert not path.with_name(f"{path.name}-wal").exists(), "the migrated SQLite file has a log beside it"
    return path


def _copy_migrated_sqlite(template: Path, data_dir: Path) -> str:
    target = data_dir / "test.db"
    shutil.copyfile(template, target)
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, data_dir: Path) -> str:
    """Run the test once on SQLite and once on PostgreSQL; the schema is migrated."""
    if request.param == "sqlite":
        return _copy_migrated_sqlite(request.getfixturevalue("_migrated_sqlite_file"), data_dir)
    return str(request.getfixturevalue("migrated_pg_url"))


@pytest.fixture
def sqlite_url(data_dir: Path, _migrated_sqlite_file: Path) -> str:
    """A migrated SQLite database in the test's data folder."""
    return _copy_migrated_sqlite(_migrated_sqlite_file, data_dir)


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
