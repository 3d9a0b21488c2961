"""The composition root: the one place that lists the packages making up the product.

``core`` cannot name the packages above it, so the top layer hands it their parts:
:data:`SCHEMA` (each package's tables and migrations, in dependency order) to
:mod:`core.migrate`, and :data:`CATALOGUES` (each package's translation folder) to
:meth:`web.i18n.Catalogs.load`. A package that adds tables or messages is added here.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import core
import core.schema
import interview.knowhow
import interview.knowhow.schema
import interview.practice
import interview.practice.schema
import interview.rooms
import interview.rooms.schema
import interview.scheduling
import interview.scheduling.schema
import interview.signaling
import interview.transcribe
import interview.transcribe.schema
import matching
import matching.schema
import web
from core import migrate
from core.schema import SchemaPart

#: every package's share of the schema, in dependency order (core first)
SCHEMA: tuple[SchemaPart, ...] = (
    core.schema.PART,
    matching.schema.PART,
    interview.transcribe.schema.PART,
    interview.rooms.schema.PART,
    interview.practice.schema.PART,
    interview.scheduling.schema.PART,
    interview.knowhow.schema.PART,
)


def _translations(package: ModuleType) -> Path:
    assert package.__file__ is not None
    return Path(package.__file__).parent / "translations"


#: every package's ``translations`` folder (``<lang>/*.po`` inside), in dependency order;
#: where two catalogues translate the same msgid, the later one wins
CATALOGUES: tuple[Path, ...] = tuple(
    _translations(package)
    for package in (
        core,
        matching,
        interview.transcribe,
        interview.signaling,
        interview.rooms,
        interview.practice,
        interview.scheduling,
        interview.knowhow,
        web,
    )
)


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Bring the database to the newest schema of every package (synchronous, see core.migrate)."""
    migrate.upgrade(database_url, SCHEMA, revision)


def downgrade(database_url: str, revision: str) -> None:
    migrate.downgrade(database_url, SCHEMA, revision)
