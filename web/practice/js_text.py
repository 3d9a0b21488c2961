"""The strings ``practice.js`` shows on the answer page, by key, as English msgids.

The page renders them translated into ``<div id="practice" data-i18n='{...}'>``
(:func:`web.site.js_text.js_text`); ``%(n)s`` and ``%(total)s`` are filled in by the script.
"""

from __future__ import annotations

from core.i18n import N_

PRACTICE_JS_TEXT: dict[str, str] = {
    "question_n": N_("Question %(n)s of %(total)s"),
    "left": N_("Answers left for this question: %(n)s"),
    "none_left": N_("No retakes left. Your last answer counts."),
    "denied": N_(
        "The browser is not allowed to use the microphone. Press the lock or camera icon next to the "
        "web address, allow the microphone, and reload the page."
    ),
    "no_device": N_("We found no microphone. Please plug one in (or use a phone), then reload the page."),
    "no_media": N_(
        "This browser cannot use a microphone. "
        "Please use the latest Chrome, Edge, Safari or Samsung Internet."
    ),
    "no_webrtc": N_(
        "This browser cannot send your recording to us. "
        "Please use the latest Chrome, Edge, Safari or Samsung Internet."
    ),
    "connecting": N_("Connecting to the recording service…"),
    "connected": N_("Connected. You are ready."),
    "conn_failed": N_(
        "We could not connect to the recording service. Please check the internet connection and "
        "reload the page. Your earlier answers are saved."
    ),
    "conn_lost": N_(
        "The connection was lost. The answer you were giving was not saved; your earlier answers are. "
        "Reconnecting…"
    ),
    "failed": N_("We could not analyse this answer. Please answer again."),
    "slow": N_(
        "The feedback is taking longer than usual. Please wait a little, or reload the page later: "
        "your answer is saved."
    ),
    "seconds": N_("%(n)s seconds"),
    "finish": N_("See all my answers"),
    "recording_test": N_("Recording the test…"),
    "sr_unsupported": N_("This browser cannot read the questions aloud. Please read them on the screen."),
}
