"""What can go wrong in a practice session, named after what went wrong (messages are msgids)."""

from __future__ import annotations

from core.errors import AllWorkError, Conflict, InvalidInput, NotFound
from core.i18n import N_


class PracticeSessionNotFound(NotFound):
    """Also what another senior's session id gets: its existence is not revealed."""

    code = "practice_session_not_found"
    message = N_("We could not find this practice session. It may have been deleted.")


class TakeNotFound(NotFound):
    code = "take_not_found"
    message = N_("We could not find this answer. It may have been deleted.")


class EmptyQuestionSet(InvalidInput):
    code = "empty_question_set"
    message = N_("There are no questions in this set yet. Please choose another set.")
    status = 422


class BadQuestionIndex(InvalidInput):
    code = "bad_question_index"
    message = N_("This question is not part of the session. Please reload the page.")
    status = 422


class NoRetakesLeft(Conflict):
    code = "no_retakes_left"
    message = N_("You have used every retake for this question. Your last answer counts.")


class TakeInProgress(Conflict):
    code = "take_in_progress"
    message = N_("An answer is already being recorded. Please finish it first.")


class TakeNotRecording(Conflict):
    code = "take_not_recording"
    message = N_("This answer is no longer being recorded. Please reload the page.")


class NotConnected(Conflict):
    code = "not_connected"
    message = N_("The recording connection is not ready. Please wait a moment, or reload the page.")


class BadOffer(InvalidInput):
    code = "bad_offer"
    message = N_("Your browser sent a connection request we could not read. Please reload the page.")
    status = 422


class TooManyRecordings(AllWorkError):
    code = "too_many_recordings"
    message = N_("Many people are practising right now. Please try again in a few minutes.")
    status = 503


class TooManyOwnRecordings(AllWorkError):
    code = "too_many_own_recordings"
    message = N_(
        "You are practising in other windows too. Please close the other practice windows and try again."
    )
    status = 429


class CoachNotFound(InvalidInput):
    code = "coach_not_found"
    message = N_("Please choose a coach from the list.")
    status = 422


class InvalidComment(InvalidInput):
    code = "invalid_comment"
    message = N_("Please write a comment of up to 2000 characters.")
    status = 422


class InvalidReview(InvalidComment):
    """A comment, reply or review with a problem in one or more fields (each field says which)."""

    code = "invalid_review"
    message = N_("Nothing was saved. Please correct the fields marked below.")
