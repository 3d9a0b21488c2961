"""Admission of practice sessions: a node takes no more seniors than it can give feedback to in time.

Each server process records and transcribes the answers of the practice pages connected to it.
Decoding is the cost: the end of each answer needs about ``answer_cost_s`` of the machine, and the
answers of seniors practising at once wait for each other (measured on a quiet 2-core machine,
issue #17: p95 feedback latency 3.82 s with 4 seniors, 5.11 s with 5, 6.29 s with 6, so about one
second for each senior answering at once). So a node admits at most ``capacity`` practice
sessions at once (``ALLWORK_PRACTICE_CAPACITY``, from what ``bench/bench_practice.py`` supports on
the machine); a place is held from the page's connection (its offer) until the page is left or
the connection drops, so every senior admitted can answer every question at the promised speed.

The rule (:meth:`Admission.judge`), given how many sessions already hold a place:

- full (``capacity`` places taken): refused with :class:`PracticeFull` (503, ``Retry-After``),
  whose message tells the senior plainly to try again in about ``RETRY_MINUTES`` minutes;
- near full (at least ``NEAR_FULL`` of the places taken, this one included): admitted, and told
  how many seconds the feedback will take (``busy``);
- otherwise admitted silently.

The feedback estimate is ``answer_cost_s`` for every session holding a place (this one included),
or, when a transcription scheduler reports its backlog (``backlog``), that backlog plus one
answer's cost when it is larger.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import AllWorkError
from core.i18n import N_

#: seconds one more senior answering at once adds to the feedback of each (measured, see above)
ANSWER_COST_S = 1.0
#: from this share of the places taken on, a new senior is told the feedback will be slower
NEAR_FULL = 0.75
#: a refused senior is asked to come back after this many minutes (a place frees when a senior
#: leaves the practice page; sessions last several minutes, so sooner would mostly be refused again)
RETRY_MINUTES = 3

#: shown to a senior admitted while the node is nearly full (``%(seconds)s``: the estimate)
BUSY_MESSAGE = N_(
    "Many people are practising now, so feedback is slower than usual: about %(seconds)s seconds."
)


class PracticeFull(AllWorkError):
    """Every practice place of this node is taken: come back in a few minutes (nothing was changed)."""

    code = "practice_full"
    message = N_("Many people are practising right now. Please try again in about %(minutes)s minutes.")
    status = 503

    def __init__(self, minutes: int = RETRY_MINUTES) -> None:
        super().__init__(params={"minutes": minutes})
        #: seconds for the ``Retry-After`` header
        self.retry_after = minutes * 60


@dataclass(frozen=True)
class Verdict:
    admitted: bool
    #: nearly full: the senior is told how long feedback will take
    busy: bool
    #: estimated seconds from the end of an answer to its feedback
    feedback_seconds: int


@dataclass
class Admission:
    """The admission rule of one node (see the module's description)."""

    capacity: int
    answer_cost_s: float = ANSWER_COST_S
    near_full: float = NEAR_FULL
    #: seconds of transcription already waiting, when a shared scheduler reports it
    backlog: Callable[[], float] | None = None

    def __post_init__(self) -> None:
        if self.capacity < 1:
            raise ValueError("capacity must be at least 1")

    def feedback_seconds(self, sessions: int) -> int:
        """Estimated feedback latency with ``sessions`` sessions holding a place (at least one)."""
        estimate = self.answer_cost_s * max(1, sessions)
        if self.backlog is not None:
            estimate = max(estimate, self.backlog() + self.answer_cost_s)
        return max(1, math.ceil(estimate))

    def judge(self, others: int) -> Verdict:
        """The verdict for one session while ``others`` other sessions hold a place on this node."""
        sessions = max(0, others) + 1
        admitted = sessions <= self.capacity
        busy = admitted and sessions >= self.near_full * self.capacity and self.capacity > 1
        return Verdict(admitted, busy, self.feedback_seconds(min(sessions, self.capacity)))

    def check(self, others: int) -> Verdict:
        """:meth:`judge`, raising :class:`PracticeFull` when the session is not admitted."""
        verdict = self.judge(others)
        if not verdict.admitted:
            raise PracticeFull()
        return verdict
