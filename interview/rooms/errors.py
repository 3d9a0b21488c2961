"""What can go wrong with a room, in the project's error vocabulary (see core/errors.py)."""

from __future__ import annotations

from core.errors import AllWorkError, Conflict, Forbidden, InvalidInput, NotFound

# NotParticipant lives with the tokens (signaling refuses it too); re-exported for callers here
from interview.signaling.tokens import NotParticipant

__all__ = [
    "InterviewersOnly",
    "InvalidScorecard",
    "NotParticipant",
    "RecordingNotAllowed",
    "RoomEnded",
    "RoomNotFound",
    "RoomNotOpen",
    "RoomStateError",
    "ScorecardExists",
    "ScorecardsHidden",
]


class RoomNotFound(NotFound):
    code = "room_not_found"
    message = "We could not find this interview room."


class RoomNotOpen(AllWorkError):
    code = "room_not_open"
    message = "The room opens at %(opens_at)s. Please come back then."
    status = 409


class RoomEnded(AllWorkError):
    code = "room_ended"
    message = "This interview has ended."
    status = 410


class RoomStateError(Conflict):
    code = "room_state"
    message = "The room cannot change like this now. Please reload the page."


class InterviewersOnly(Forbidden):
    code = "interviewers_only"
    message = "Only the interviewers can do this."


class ScorecardExists(Conflict):
    code = "scorecard_exists"
    message = "You have already submitted a scorecard for this interview."


class InvalidScorecard(InvalidInput):
    code = "invalid_scorecard"
    message = "Please check the scorecard."


class RecordingNotAllowed(Forbidden):
    code = "recording_not_allowed"
    message = "Recording starts only when everyone has agreed."


class ScorecardsHidden(Forbidden):
    code = "scorecards_hidden"
    message = "You see the other interviewers' scorecards after you submit your own."
