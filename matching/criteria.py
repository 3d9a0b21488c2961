"""Scorecard criteria of a posting: what every candidate of that job is rated on, 1 to 5.

A structured interview rates every candidate on the same criteria with the same anchors. A posting
keeps the names its company typed (``Posting.criteria``, at most :data:`MAX_CRITERIA`); an empty list
means the four default criteria. A default criterion's key is a stable word (``experience``) and its
label an English msgid translated when shown; a company's own criterion is its name, key and label
alike (it is shown as typed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.errors import InvalidInput
from core.i18n import N_

MAX_CRITERIA = 6
MAX_NAME = 60


@dataclass(frozen=True, slots=True)
class Criterion:
    key: str  #: the key of the rating in a scorecard
    label: str  #: the name people read (a msgid for the defaults)


DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion("experience", N_("Experience for this job")),
    Criterion("skills", N_("Skills and know-how")),
    Criterion("communication", N_("Communication")),
    Criterion("attitude", N_("Attitude and motivation")),
)

#: what each point of the 1–5 scale means, the same for every criterion
ANCHORS: tuple[tuple[int, str], ...] = (
    (1, N_("No evidence")),
    (2, N_("Some evidence, not enough")),
    (3, N_("Meets the job")),
    (4, N_("Above the job")),
    (5, N_("Clearly exceeds")),
)


def criteria_of(names: Sequence[str] | None) -> tuple[Criterion, ...]:
    """The criteria of a posting whose ``criteria`` column holds ``names`` (empty: the defaults)."""
    clean = [n for n in (names or []) if isinstance(n, str) and n.strip()]
    if not clean:
        return DEFAULT_CRITERIA
    return tuple(Criterion(n.strip(), n.strip()) for n in clean[:MAX_CRITERIA])


def parse_criteria(raw: str | Iterable[str] | None) -> list[str]:
    """The criteria a company typed, one per line (or a JSON list); blank gives ``[]`` (the defaults).

    Raises :class:`InvalidInput` on the ``criteria`` field for more than six, a name over 60
    characters, or the same name twice."""
    if raw is None:
        return []
    lines = raw.splitlines() if isinstance(raw, str) else [str(x) for x in raw]
    names = [line.strip() for line in lines if line.strip()]
    if len(names) > MAX_CRITERIA:
        raise InvalidInput(fields={"criteria": "Please list at most 6 criteria, one per line."})
    if any(len(n) > MAX_NAME for n in names):
        raise InvalidInput(fields={"criteria": "Each criterion is at most 60 characters."})
    if len(set(names)) != len(names):
        raise InvalidInput(fields={"criteria": "Each criterion may appear only once."})
    return names
