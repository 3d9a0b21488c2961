"""Errors of scheduling (see :mod:`core.errors` for the vocabulary)."""

from __future__ import annotations

from core.errors import AllWorkError, Conflict, InvalidInput, NotFound
from core.i18n import N_


class SlotTaken(Conflict):
    """Someone in the interview, or its room, is already booked then (buffers included)."""

    code = "slot_taken"
    message = N_(
        "That time is already taken: someone in this interview has another one then. "
        "Please choose another time."
    )


class OfferGone(Conflict):
    code = "offer_gone"
    message = N_("This time is no longer available. Please pick another one.")


class BookingNotFound(NotFound):
    code = "booking_not_found"
    message = N_("We could not find that interview booking.")


class BookingCancelled(Conflict):
    code = "booking_cancelled"
    message = N_("This interview was cancelled.")


class LinkExpired(AllWorkError):
    code = "link_expired"
    message = N_("This link has expired or is not yours. Please open your inbox on the site.")
    status = 410


class BadSlot(InvalidInput):
    """A slot that cannot be booked or offered; ``fields`` says which and why."""

    code = "bad_slot"
