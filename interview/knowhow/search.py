"""Korean search over tips with Kiwi, the way matching analyses duties and skills.

A tip's title and body are analysed once, when it is written, into :func:`matching.text.analyze`
terms (nouns and roots without particles or endings, adjacent nouns also as a pair), stored with the
tip. A query is analysed the same way, and once more with its spaces removed, because people space
Korean compounds freely and Kiwi reads them differently: ``자기소개는`` gives the noun ``자기소개``,
``자기 소개를`` only ``소개`` (자기 is taken for a pronoun), ``자기소개를`` ``자기소개`` again. Noun
pairs (``품질_관리``) are stored and searched joined (``품질관리``). A query term that is part of a
tip's term (``소개`` in ``자기소개``), or the other way round, counts half. Kiwi runs in a worker
thread; it is loaded on the first search of a process (about 1.5 s on an idle machine; its loading holds
the GIL, so it is not done at start-up, where it would hold up the health check on a busy machine).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping, Sequence

from matching import text


async def _analyzed(*texts: str) -> list[str]:
    return await asyncio.to_thread(_analyze, *texts)


def _joined(term: str) -> str:
    return term.replace("_", "")


def _analyze(*texts: str) -> list[str]:
    return [t for s in texts for t in text.analyze(s)]


async def terms_of(*texts: str) -> list[str]:
    """The index terms of ``texts`` (repeats kept, noun pairs joined), analysed off the event loop."""
    return [_joined(t) for t in await _analyzed(*texts)]


async def query_weights(*texts: str) -> dict[str, float]:
    """The terms of a query (as written and without spaces) and what each is worth: a noun pair
    (more specific) 2, a word 1."""
    unspaced = [t.replace(" ", "") for t in texts if " " in t.strip()]
    weights: dict[str, float] = {}
    for raw in await _analyzed(*texts, *unspaced):
        term = _joined(raw)
        weights[term] = max(weights.get(term, 0.0), 2.0 if "_" in raw else 1.0)
    return weights


def score(query: Mapping[str, float], tip_terms: Sequence[str]) -> float:
    """How well a tip answers a query: the worth of each query term the tip has (half for a part of
    one of its terms, or a term that is part of it), plus a little for how often it appears; 0 when
    none is there."""
    if not query:
        return 0.0
    counts = Counter(tip_terms)
    total = 0.0
    for term, worth in query.items():
        n = counts.get(term, 0)
        if n:
            total += worth + min(n, 5) * 0.1
        elif len(term) >= 2 and any(len(other) >= 2 and (term in other or other in term) for other in counts):
            total += worth / 2
    return total
