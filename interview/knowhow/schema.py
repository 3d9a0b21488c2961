"""This package's share of the database schema, for the composition root (``web.composition``)."""

from __future__ import annotations

from pathlib import Path

from core.schema import SchemaPart

PART = SchemaPart("interview.knowhow.models", Path(__file__).parent / "migrations")
