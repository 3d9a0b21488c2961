"""Form state for templates: the values a user typed and one error per field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from aiohttp import web

from core.errors import AllWorkError

MAX_FIELD = 5000


@dataclass
class Form:
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def error(self, name: str) -> str:
        return self.errors.get(name, "")

    def show(self, exc: AllWorkError, _: Callable[..., str]) -> Form:
        """Put a domain error's field messages (translated) beside their fields and its message above
        the form; returns the form."""
        self.errors = {name: _(msg) for name, msg in exc.fields.items()}
        self.message = _(exc.message, **exc.params)
        return self


async def read_form(request: web.Request, names: tuple[str, ...]) -> dict[str, str]:
    """The named text fields of a posted form, trimmed; anything else (files, unknown fields) is ignored."""
    data = await request.post()
    return {name: _text(data, name) for name in names}


def _text(data: Mapping[str, object], name: str) -> str:
    value = data.get(name, "")
    return value[:MAX_FIELD] if isinstance(value, str) else ""
