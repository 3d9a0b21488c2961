from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from core.accounts import create_user, validate_account
from core.config import Settings, load_settings
from core.db import create_engine, session_factory
from web.app import create_app

Client = TestClient

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app_settings(data_dir: Path, sqlite_url: str) -> Settings:
    """The app's settings for page tests. Room recordings are queued, not streamed: these tests run no
    recorder, and would otherwise load Whisper for every room token (tests/e2e/test_rooms.py streams)."""
    return load_settings(
        data_dir=data_dir, database_url=sqlite_url, login_max_failures=3, room_stream_transcripts=False
    )


@pytest.fixture
async def client(aiohttp_client: Callable[..., Awaitable[Client]], app_settings: Settings) -> Client:
    return await aiohttp_client(create_app(app_settings))


async def csrf_of(client: Client, path: str = "/login") -> str:
    response = await client.get(path)
    match = CSRF_RE.search(await response.text())
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@pytest.fixture
def make_user(app_settings: Settings) -> Callable[..., Awaitable[int]]:
    async def make(email: str, role: str, password: str = "password-123", name: str = "김영수") -> int:
        engine = create_engine(app_settings)
        try:
            user = await create_user(session_factory(engine), validate_account(email, name, password, role))
        finally:
            await engine.dispose()
        return user.id

    return make


async def log_in(client: Client, email: str, password: str = "password-123") -> None:
    token = await csrf_of(client)
    response = await client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}, allow_redirects=False
    )
    assert response.status == 303, await response.text()


@pytest.fixture(autouse=True)
def _loop_must_not_block(app_settings: Settings) -> Iterator[None]:
    """Fail any test whose server code blocks the event loop (file I/O, sleeps, CPU-heavy calls).

    It depends on ``app_settings`` so the database is migrated before it starts watching."""
    from blockbuster import blockbuster_ctx

    with blockbuster_ctx(["core", "web", "matching", "interview"]) as bb:
        # start-up, before serving: building the app (catalogs, templates, secret key) and the engine
        for function in bb.functions.values():
            function.can_block_in("web/app.py", "create_app")
            function.can_block_in("core/db.py", "create_engine")
            function.can_block_in("aiohttp/web_app.py", "_on_startup")  # each cleanup_ctx's set-up
        yield
