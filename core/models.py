"""Imports every module that declares tables, so ``Base.metadata`` is complete.

Alembic's environment and the schema test call :func:`import_all_models`; a package
that adds a models module lists it here.
"""

from __future__ import annotations

import importlib

MODEL_MODULES = [
    "core.accounts",
    "interview.transcribe.jobs",
    "matching.models",
    "interview.rooms.models",
    "interview.practice.models",
]


def import_all_models() -> None:
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real import error inside an existing module
                raise
