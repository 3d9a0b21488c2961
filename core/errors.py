"""A small vocabulary of domain errors.

Each error is named after what went wrong and carries a ``code`` (stable, for JSON
clients and tests) and a ``message`` in plain English that is also the gettext
message id: ``web`` translates it for the user and turns every :class:`AllWorkError`
into one HTML page or one JSON shape ``{"error": {"code", "message", "fields"}}``.
Domain code never renders anything itself.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n import N_


class AllWorkError(Exception):
    """Base of every error a user may see. Subclasses set ``code``, ``message`` and ``status``."""

    code = "error"
    message = N_("Something went wrong. Please try again.")
    status = 400

    def __init__(
        self,
        message: str | None = None,
        *,
        fields: Mapping[str, str] | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        if message is not None:
            self.message = message
        #: field name -> message id, for form errors shown next to their field
        self.fields: dict[str, str] = dict(fields or {})
        #: values interpolated into the translated message with ``%(name)s``
        self.params: dict[str, object] = dict(params or {})
        super().__init__(self.message)


class InvalidInput(AllWorkError):
    code = "invalid_input"
    message = N_("Please check the highlighted fields.")
    status = 422


class NotFound(AllWorkError):
    code = "not_found"
    message = N_("We could not find that page.")
    status = 404


class Forbidden(AllWorkError):
    code = "forbidden"
    message = N_("You do not have permission to see this.")
    status = 403


class Conflict(AllWorkError):
    code = "conflict"
    message = N_("This was changed by someone else. Please reload and try again.")
    status = 409


class LoginFailed(AllWorkError):
    code = "login_failed"
    message = N_("The email or password is not correct.")
    status = 401


class TooManyAttempts(AllWorkError):
    code = "too_many_attempts"
    message = N_("Too many attempts. Please wait %(seconds)s seconds and try again.")
    status = 429


class EmailTaken(AllWorkError):
    code = "email_taken"
    message = N_("An account with this email already exists.")
    status = 409
