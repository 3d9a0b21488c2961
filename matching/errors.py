"""Errors of the matching domain (see :mod:`core.errors` for the vocabulary)."""

from __future__ import annotations

from core.errors import AllWorkError, Conflict


class CompanyNotApproved(AllWorkError):
    code = "company_not_approved"
    message = "Your company is waiting for its site visit. Matching starts after approval."
    status = 409


class VettingNotAllowed(Conflict):
    code = "vetting_not_allowed"
    message = "A company cannot go from %(old)s to %(new)s."


class AlreadyRequested(Conflict):
    code = "already_requested"
    message = "An interview for this match has already been requested."


class NotMatchable(AllWorkError):
    code = "not_matchable"
    message = "This posting is closed or not open to matching."
    status = 409


class ProfileMissing(AllWorkError):
    code = "profile_missing"
    message = "Please fill in your profile first."
    status = 409


class WrongStage(Conflict):
    code = "wrong_stage"
    message = "This interview is no longer at that step. Please reload the page."


class PairNotFound(AllWorkError):
    code = "pair_not_found"
    message = "We could not find that interview request."
    status = 404
