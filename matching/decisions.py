"""The company's decision on a pair after the interview: an offer, a hire, or not selected.

Only the company that owns the posting decides, and only from the stage its page showed
(:data:`ALLOWED_FROM`; a stale page or a double click gets :class:`~matching.errors.WrongStage`).
The step is recorded by :func:`matching.pipeline.move` with the company's message to the senior as
its reason. The senior is told twice, both after the commit: an in-app notice (:mod:`core.notices`)
and an e-mail (:mod:`core.mail`) in the senior's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import select

from core.accounts import User
from core.db import Sessions, after_commit, transaction
from core.errors import InvalidInput
from core.i18n import N_
from core.mail import Mailer
from core.notices import add_notice
from core.pubsub import PubSub
from matching import pipeline
from matching.errors import NotPairCompany, PairNotFound, WrongStage
from matching.models import Company, InterviewRequest, PairEvent, Posting, Stage

#: language code -> ``_(msgid, **params)`` (``web.i18n.Catalogs.gettext``); None writes English
Translate = Callable[[str], Callable[..., str]]

MAX_MESSAGE = 2000
#: the decisions a company records, and the stages each may be made from
ALLOWED_FROM: dict[Stage, frozenset[Stage]] = {
    Stage.OFFER: frozenset({Stage.INTERVIEWED}),
    Stage.HIRED: frozenset({Stage.INTERVIEWED, Stage.OFFER}),
    Stage.DECLINED: frozenset({Stage.INTERVIEWED, Stage.OFFER}),
}
DECISION_STAGES = frozenset(ALLOWED_FROM)

#: the notice's title and the e-mail's subject, per decision
TITLES: dict[Stage, str] = {
    Stage.OFFER: N_("%(company)s offers you the job: %(job)s"),
    Stage.HIRED: N_("You are hired: %(job)s at %(company)s"),
    Stage.DECLINED: N_("The result of your interview: %(job)s at %(company)s"),
}
#: the first lines of the e-mail, per decision
TEXTS: dict[Stage, str] = {
    Stage.OFFER: N_("%(company)s would like to offer you the job %(job)s. They will contact you soon."),
    Stage.HIRED: N_("Congratulations! %(company)s has hired you for the job %(job)s."),
    Stage.DECLINED: N_(
        "%(company)s has decided not to continue with you for the job %(job)s. Thank you for your time."
    ),
}


@dataclass(frozen=True, slots=True)
class Decision:
    pair_id: int
    stage: Stage
    message: str


def parse_decision(outcome: str, message: str) -> tuple[Stage, str]:
    """The decision and its message; :class:`InvalidInput` names the bad field."""
    fields: dict[str, str] = {}
    try:
        stage = Stage(outcome)
    except ValueError:
        stage = Stage.DECLINED
        fields["outcome"] = "Please choose one of the decisions."
    if stage not in DECISION_STAGES:
        fields["outcome"] = "Please choose one of the decisions."
    text = (message or "").strip() if isinstance(message, str) else ""
    if len(text) > MAX_MESSAGE:
        fields["message"] = "Please keep the message under 2000 characters."
    if fields:
        raise InvalidInput(fields=fields)
    return stage, text


def decision_mail(
    *, to: str, name: str, stage: Stage, company: str, job: str, message: str, _: Callable[..., str]
) -> EmailMessage:
    """The e-mail that tells the senior of the decision, in the language of ``_``."""
    mail = EmailMessage()
    mail["To"] = to
    mail["Subject"] = _(TITLES[stage], company=company, job=job)
    lines = [_("Hello, %(name)s.", name=name), "", _(TEXTS[stage], company=company, job=job)]
    if message:
        lines += ["", _("Message from the company:"), message]
    lines += ["", _("You can see it on your page at AllWork Interview.")]
    mail.set_content("\n".join(lines))
    return mail


def _english(message: str, **params: object) -> str:
    return message % params if params else message


async def decide(
    sessions: Sessions,
    pair_id: int,
    actor: User,
    outcome: str,
    message: str = "",
    *,
    expected: str | None = None,
    pubsub: PubSub | None = None,
    mailer: Mailer | None = None,
    translate: Translate | None = None,
) -> Decision:
    """The posting's company records ``outcome`` (offer, hired, declined) with a message to the senior.

    ``expected``: the stage the company's page showed. Raises :class:`InvalidInput` for a bad outcome or
    message, :class:`PairNotFound`, :class:`NotPairCompany` for anyone but the posting's owner, and
    :class:`WrongStage` when the pair is not at a stage this decision can follow.
    """
    stage, text = parse_decision(outcome, message)
    allowed = ALLOWED_FROM[stage]
    if expected is not None:
        try:
            allowed = allowed & {Stage(expected)}
        except ValueError:
            raise WrongStage() from None
    async with transaction(sessions) as session:
        row = (
            await session.execute(
                select(InterviewRequest, Company.owner_id, Company.name, Posting.title)
                .join(Posting, Posting.id == InterviewRequest.posting_id)
                .join(Company, Company.id == Posting.company_id)
                .where(InterviewRequest.id == pair_id)
                .with_for_update(of=InterviewRequest)
            )
        ).first()
        if row is None:
            raise PairNotFound()
        pair, owner_id, company, job = row
        if owner_id != actor.id:
            raise NotPairCompany()
        if pair.stage == stage:
            raise WrongStage()  # already decided: a double click changes nothing
        await pipeline.move(session, pair, stage, actor_id=actor.id, reason=text, expected=allowed)
        senior = await session.get(User, pair.senior_id)
        assert senior is not None
        params = {"company": company, "job": job}
        await add_notice(
            session, senior.id, f"decision.{stage.value}", TITLES[stage], params, url="/senior", pubsub=pubsub
        )
        if mailer is not None and senior.email:
            gettext = translate(senior.language) if translate is not None else _english
            mail = decision_mail(
                to=senior.email,
                name=senior.name,
                stage=stage,
                company=company,
                job=job,
                message=text,
                _=gettext,
            )
            sender = mailer

            async def send() -> None:
                await sender.send(mail)

            after_commit(session, send)
    return Decision(pair_id, stage, text)


async def decision_messages(sessions: Sessions, pair_ids: Iterable[int]) -> dict[int, str]:
    """The company's message of each pair's latest decision (pairs without one are left out)."""
    ids = set(pair_ids)
    if not ids:
        return {}
    async with sessions() as session:
        rows = await session.execute(
            select(PairEvent.pair_id, PairEvent.reason)
            .where(PairEvent.pair_id.in_(ids), PairEvent.to_stage.in_(DECISION_STAGES))
            .order_by(PairEvent.created_at, PairEvent.id)
        )
        out: dict[int, str] = {}
        for pid, reason in rows:
            out[pid] = reason  # the latest wins
    return {pid: reason for pid, reason in out.items() if reason}
