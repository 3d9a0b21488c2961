"""What can go wrong with know-how tips (messages are msgids)."""

from __future__ import annotations

from core.errors import Forbidden, InvalidInput, NotFound
from core.i18n import N_


class TipNotFound(NotFound):
    """Also what someone else's tip gets when they try to edit it: its existence is not revealed."""

    code = "tip_not_found"
    message = N_("We could not find this tip. It may have been hidden or deleted.")


class NotHired(Forbidden):
    code = "knowhow_not_hired"
    message = N_(
        "Tips can be shared by coaches and by job seekers who were hired through AllWork. "
        "After you are hired, you are welcome to share yours."
    )


class InvalidTip(InvalidInput):
    code = "invalid_tip"
    message = N_("Please check the highlighted fields.")
    status = 422
