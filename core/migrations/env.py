"""Alembic environment: runs revisions on the async engine from the configured URL.

The schema parts come from :func:`core.migrate.alembic_config` (``config.attributes``).
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from core.db import Base, create_engine
from core.schema import import_models

config = context.config
import_models(config.attributes["schema_parts"])  # given by core.migrate: Base.metadata is complete
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(config.attributes["database_url"])
    async with engine.connect() as conn:
        await conn.run_sync(_run)
        await conn.commit()
    await engine.dispose()


asyncio.run(_run_async())
