"""Form state for templates: the values a user typed and one error per field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from aiohttp import ClientError, web
from multidict import MultiDictProxy

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


#: the bodies a browser's form sends; anything else is not read as a form
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def posted(request: web.Request) -> MultiDictProxy[str | bytes | bytearray | web.FileField]:
    """The posted form, or a 400 for a body that is not one (a multipart body without its boundary, a
    broken part): never a 500 with a logged trace. Parsed once; later calls and ``request.post()`` get
    the same form. A body larger than ``client_max_size`` is a 413 as before."""
    if request.content_type == "multipart/form-data" and "boundary=" not in request.headers.get(
        "Content-Type", ""
    ):
        raise web.HTTPBadRequest()  # before reading any of it
    try:
        return await request.post()
    except web.HTTPException:
        raise
    except (ValueError, AssertionError, LookupError, UnicodeDecodeError, ClientError) as exc:
        raise web.HTTPBadRequest() from exc


async def read_form(request: web.Request, names: tuple[str, ...]) -> dict[str, str]:
    """The named text fields of a posted form, trimmed; anything else (files, unknown fields) is ignored."""
    data = await posted(request)
    return {name: _text(data, name) for name in names}


def _text(data: Mapping[str, object], name: str) -> str:
    value = data.get(name, "")
    return value[:MAX_FIELD] if isinstance(value, str) else ""
