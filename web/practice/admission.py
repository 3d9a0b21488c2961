"""What the practice pages tell a senior about this node's admission (interview/practice/admission.py).

The answer page shows a full node's message up front, in large type with a retry button; the
JSON of the page's connection and of an answer's start carries ``notice`` (and ``feedbackSeconds``)
when the node is nearly full, which the page shows while the senior waits for the feedback. The
refusal itself is :class:`~interview.practice.admission.PracticeFull`, raised by the recorder.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from interview.practice.admission import BUSY_MESSAGE, PracticeFull
from web.practice.runtime import RECORDER
from web.render import gettext_for


def full_message(request: web.Request, session_id: int) -> str:
    """The full node's message for the answer page ("" when this session would be admitted)."""
    verdict = request.app[RECORDER].verdict(session_id)
    if verdict is None or verdict.admitted:
        return ""
    full = PracticeFull()
    return gettext_for(request)(full.message, **full.params)


def busy_notice(request: web.Request, session_id: int) -> dict[str, Any]:
    """``notice`` and ``feedbackSeconds`` for a JSON answer when this node is nearly full, else nothing.

    Only the node that holds the session's peer knows its load; elsewhere nothing is said."""
    recorder = request.app[RECORDER]
    if session_id not in recorder.peers:
        return {}
    verdict = recorder.verdict(session_id)
    if verdict is None or not verdict.busy:
        return {}
    seconds = verdict.feedback_seconds
    return {"notice": gettext_for(request)(BUSY_MESSAGE, seconds=seconds), "feedbackSeconds": seconds}
