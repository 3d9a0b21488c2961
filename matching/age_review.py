"""The admin's list of stored postings that limit an age, and what the admin does with each.

New and edited postings with an age limit are refused when saved (:func:`matching.records.save_posting`);
postings stored before that check, or by demo data and imports, are found here by reading their text
with :mod:`matching.agelimit` again. The admin either resolves a flag (the wording is fine after all,
or was fixed outside) or hides the posting, which closes it so no senior is matched with it.
Editing a posting clears the admin's mark, so a new wording is read again.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy import select

from core.accounts import Role, User
from core.db import AfterCommit, Sessions, after_commit, transaction
from core.errors import Forbidden, InvalidInput, NotFound
from matching import agelimit
from matching.models import Company, Posting, PostingStatus

log = logging.getLogger(__name__)

#: how many of the newest postings an admin's list reads (Kiwi on each)
SCAN_LIMIT = 500
RESOLVED = "resolved"
HIDDEN = "hidden"
ACTIONS = {"resolve": RESOLVED, "hide": HIDDEN}


@dataclass(frozen=True, slots=True)
class FlaggedPosting:
    posting_id: int
    title: str
    company: str
    status: str
    sentence: str
    words: str


def _scan(rows: list[tuple[int, str, str, str, str, str, str, str]]) -> list[FlaggedPosting]:
    out = []
    for pid, title, company, status, duties, description, hours, _check in rows:
        found = agelimit.find(title, duties, description, hours)
        if found:
            out.append(FlaggedPosting(pid, title, company, status, found[0].sentence, found[0].words))
    return out


async def flagged_postings(sessions: Sessions, admin: User) -> list[FlaggedPosting]:
    """Stored postings whose text limits an age and that no admin has looked at, newest first."""
    if admin.role != Role.ADMIN:
        raise Forbidden()
    async with sessions() as session:
        rows = (
            await session.execute(
                select(
                    Posting.id,
                    Posting.title,
                    Company.name,
                    Posting.status,
                    Posting.duties,
                    Posting.description,
                    Posting.work_hours,
                    Posting.age_check,
                )
                .join(Company, Company.id == Posting.company_id)
                .where(Posting.age_check == "")
                .order_by(Posting.id.desc())
                .limit(SCAN_LIMIT)
            )
        ).all()
    plain = [(r[0], r[1], r[2], str(r[3].value), r[4], r[5], r[6], r[7]) for r in rows]
    return await asyncio.to_thread(_scan, plain)


async def settle(
    sessions: Sessions, admin: User, posting_id: int, action: str, on_commit: AfterCommit | None = None
) -> Posting:
    """``resolve`` (the flag is wrong or was dealt with) or ``hide`` (close the posting)."""
    if admin.role != Role.ADMIN:
        raise Forbidden()
    mark = ACTIONS.get(action)
    if mark is None:
        raise InvalidInput(fields={"action": "Please choose resolve or hide."})
    async with transaction(sessions) as session:
        posting = await session.get(Posting, posting_id)
        if posting is None:
            raise NotFound()
        posting.age_check = mark
        if mark == HIDDEN:
            posting.status = PostingStatus.CLOSED
        log.info("posting %s age check -> %s by admin %s", posting_id, mark, admin.id)
        if on_commit is not None:
            after_commit(session, on_commit)
    return posting
