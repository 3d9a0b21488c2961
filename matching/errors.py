"""Errors of the matching domain (see :mod:`core.errors` for the vocabulary)."""

from __future__ import annotations

from core.errors import AllWorkError, Conflict, InvalidInput


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


class NotPairCompany(AllWorkError):
    code = "not_pair_company"
    message = "Only the company of this job can record the decision."
    status = 403


class ReviewNotAllowed(AllWorkError):
    code = "review_not_allowed"
    message = "You can share a review of your own interview after it took place."
    status = 409


class ReviewExists(Conflict):
    code = "review_exists"
    message = "You have already shared a review of this interview."


class ReviewNotPending(Conflict):
    code = "review_not_pending"
    message = "This review has already been checked. Please reload the page."


class AgeLimitFound(InvalidInput):
    """A posting limits or codes the applicants' age (see :mod:`matching.agelimit`).

    ``params``: ``sentence`` (quoted), ``law``; ``fields``: the field that holds it."""

    code = "age_limit"
    message = (
        "Job postings may not limit applicants by age: “%(sentence)s”. Korea's Age Discrimination in"
        " Employment Act (%(law)s) forbids it. Please remove or reword this sentence."
    )
    #: the message beside the field, with the same ``params``
    field_message = "“%(sentence)s” limits the applicants' age, which %(law)s forbids."
