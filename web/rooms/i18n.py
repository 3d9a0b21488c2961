"""The strings ``room.js`` shows, by key, as English msgids; the room page renders them translated.

``room.js`` reads them from ``<div id="room" data-i18n='{...}'>`` (see docs/signaling.md and
:mod:`web.site.js_text`): ``error_<code>`` for every signaling error code and for the token
route's refusals.
"""

from __future__ import annotations

from collections.abc import Callable

from core.i18n import N_
from interview.rooms.errors import RoomEnded, RoomNotFound, RoomNotOpen
from interview.signaling.protocol import ERROR_CODES
from web.site.js_text import js_text

ROOM_JS_TEXT: dict[str, str] = {
    "mute": N_("Turn off microphone"),
    "unmute": N_("Turn on microphone"),
    "camera_off": N_("Turn off camera"),
    "camera_on": N_("Turn on camera"),
    "admit": N_("Let in"),
    "deny": N_("Decline"),
    "me": N_("Me"),
    "confirm_end": N_("End the interview for everyone?"),
    "no_media_support": N_("This browser cannot use a camera. Please use a recent Chrome, Edge or Safari."),
    "permission_denied": N_(
        "Camera and microphone are blocked. Please allow them in the browser settings and try again."
    ),
    "no_device": N_("No camera or microphone was found. Please connect one and try again."),
    "device_busy": N_("Another program is using the camera. Please close it and try again."),
    "device_error": N_("The camera or microphone could not be started. Please try again."),
    "device_ready": N_("Your camera and microphone work. Press the join button when you are ready."),
    "speaker_test_playing": N_("You should hear a beep now."),
    "reconnecting": N_("The connection was lost. Reconnecting…"),
    "lobby_wait": N_("Please wait. The interviewer will let you in soon."),
    "lobby_request": N_("%(name)s is waiting to come in."),
    "in_room": N_("You are in the interview room."),
    "waiting_for_others": N_("Waiting for the others to join."),
    "peer_joined": N_("%(name)s joined."),
    "peer_left": N_("%(name)s left."),
    "recording_started": N_("Recording has started."),
    "recording_stopped": N_("Recording has stopped."),
    "consent_given": N_("A participant agreed to recording."),
    "consent_declined": N_("A participant did not agree to recording."),
    "quality_good": N_("Connection: good"),
    "quality_fair": N_("Connection: fair"),
    "quality_poor": N_("Connection: poor"),
    "denied": N_("The interviewer did not let you in."),
    "room_ended": N_("This interview has ended."),
    "left": N_("You left the interview."),
    "forbidden": N_("You are not allowed to do this."),
    "replaced": N_("This room is open in another window."),
    "error_room_not_open": RoomNotOpen.message,
    "error_room_not_found": RoomNotFound.message,
    "error_room_ended": RoomEnded.message,
    "error_login_required": N_("Please log in again to join the interview."),
    "error_csrf_failed": N_(
        "This page was open too long or came from elsewhere. Please go back, reload and try again."
    ),
}


def room_js_text(gettext: Callable[..., str], opens_at: str = "") -> str:
    """The ``data-i18n`` JSON, translated with ``gettext``.

    ``opens_at`` is the room's opening time already in the reader's zone and form
    (:mod:`web.localtime`): it fills the "room not open yet" message, so the script never shows a raw time.
    """
    errors = {f"error_{code}": msg for code, msg in ERROR_CODES.items()}

    def text(msgid: str) -> str:
        if msgid == RoomNotOpen.message and opens_at:
            return gettext(msgid, opens_at=opens_at)
        return gettext(msgid)

    return js_text({**errors, **ROOM_JS_TEXT}, text)


#: a room's state as its participants read it
ROOM_STATE_LABELS: dict[str, str] = {
    "scheduled": N_("Booked"),
    "open": N_("Open: you can come in"),
    "live": N_("In progress"),
    "ended": N_("Finished"),
}
