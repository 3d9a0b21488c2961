"""The server's reminder runner (web.resources.reminders_ctx): a feature's handler, the real clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web

from core.clock import utcnow
from core.config import Settings
from core.db import create_engine, session_factory, transaction
from core.reminders import schedule
from tests.waiting import wait_until
from tests.web.conftest import Client
from web import app as app_module
from web.app import create_app
from web.resources import add_reminder_handler


async def test_a_feature_handler_gets_its_due_reminder_in_the_server(
    aiohttp_client: Callable[..., Awaitable[Client]], app_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    delivered: list[dict[str, Any]] = []

    async def remind(payload: dict[str, Any]) -> None:
        delivered.append(payload)

    def feature(app: web.Application, settings: Settings) -> None:
        add_reminder_handler(app, "test.reminder", remind)
        with pytest.raises(ValueError, match="already registered"):
            add_reminder_handler(app, "test.reminder", remind)

    engine = create_engine(app_settings)
    try:
        async with transaction(session_factory(engine)) as session:
            await schedule(
                session,
                key="booking:3:hour",
                kind="test.reminder",
                due_at=utcnow() - timedelta(minutes=1),
                payload={"room": 3},
            )
    finally:
        await engine.dispose()

    monkeypatch.setattr(app_module, "FEATURES", (*app_module.FEATURES, feature))
    await aiohttp_client(create_app(app_settings.model_copy(update={"reminder_interval": 0.05})))
    await wait_until(lambda: delivered, message="the server's runner never delivered the due reminder")
    assert delivered == [{"room": 3}]
