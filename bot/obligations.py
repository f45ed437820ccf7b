"""Clock rules: which notifications an incident's answers call for, and by when.

Deadlines run from T0 (awareness) in elapsed calendar hours — weekends, bank holidays and
clock changes count as the time they really are. Law-given clocks say so; the others show
the runbook's policy target, labelled as policy.

    triggered_clocks(runbook, {"Q1": "yes", "Q2": "yes", "Q3": "unsure"})   # bot.triggers
    # -> {"ico_art33": "Q3", "breach_log_art33_5": "Q2", ...}
    terms(runbook, "ico_art33").draft   # -> "ico": the bot.papers.drafts kind its owner starts from
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.clock_rule import ClockRule
from bot.clock_rules import CLOCKS, STATUTORY
from bot.incident import Incident, ObligationRecord
from bot.runbook import Runbook
from bot.triggers import AI_ACT_FROM, EU_STATE_CLOCK, definitely_triggered, triggered_clocks

__all__ = ["CLOCKS", "STATUTORY", "ClockRule", "definitely_triggered", "triggered_clocks"]

H = timedelta(hours=1)

CLOCK_IDS = tuple(CLOCKS)
IMMEDIATE_OFFSETS = (2 * H,)


@dataclass(frozen=True)
class ClockTerms:
    """A clock as this firm runs it: rule defaults with the runbook's overrides."""

    id: str
    title: str
    recipient: str
    within: timedelta | None
    basis: str
    wording: str
    owners: tuple[str, ...]  # person ids, in paging order
    reminder_offsets: tuple[timedelta, ...]  # from T0, before the deadline
    draft: str = ""  # the bot.papers.drafts kind of its notice, "" where the bot drafts none
    runs_from: str = "incident"  # the awareness it runs from: "incident" or "breach"
    source: str = ""


def _owners(runbook: Runbook, roles: tuple[str, ...]) -> tuple[str, ...]:
    for role in (*roles, "managing_partner"):
        if runbook.roles.get(role):
            return runbook.roles[role]
    return ()


def _offsets(runbook: Runbook, style: str, within: timedelta | None) -> tuple[timedelta, ...]:
    if within is None or style == "close":
        return ()
    if style == "72h" and within == 72 * H:
        return tuple(o for o in runbook.clocks.reminders_72h if o < within)
    if style == "immediate":
        return tuple(o for o in IMMEDIATE_OFFSETS if o < within)
    return tuple(o for o in (within / 2, within - H) if timedelta(0) < o < within)


def terms(runbook: Runbook, clock_id: str, declared_at: datetime | None = None) -> ClockTerms:
    """The clock as this firm runs it; given the incident's declaration, a law not yet in
    force then is shown as such (and its time as policy)."""
    extra = next((x for x in runbook.clocks.extra if x.id == clock_id), None)
    if extra is not None:
        return ClockTerms(
            extra.id,
            extra.title,
            "as the runbook says",
            extra.within,
            "contract",
            "the runbook's contract term",
            extra.owner,
            _offsets(runbook, "default", extra.within),
            "client",  # the runbook's own clocks are contract notice clauses to a client
        )
    rule = _as_in_force(_as_profiled(runbook, _rule(clock_id)), declared_at)
    policy = runbook.clocks.policies.get(clock_id)
    # A statutory duration is the law's, whatever a runbook says (check-runbook refuses it).
    settable = rule.style != "close" and not rule.statutory
    within = policy.within if policy and policy.within and settable else rule.within
    owners = policy.owner if policy and policy.owner else _owners(runbook, rule.owner_roles)
    return ClockTerms(
        rule.id,
        rule.title,
        rule.recipient,
        within,
        rule.basis,
        rule.wording,
        owners,
        _offsets(runbook, rule.style, within),
        rule.draft,
        rule.runs_from,
        rule.source,
    )


def _rule(clock_id: str) -> ClockRule:
    """A built-in clock; "eu_gdpr_fr" is the EU GDPR clock for France's authority."""
    if not clock_id.startswith(EU_STATE_CLOCK):
        return CLOCKS[clock_id]
    state = clock_id.removeprefix(EU_STATE_CLOCK).upper()
    title = f"Report to the supervisory authority of {state} (EU GDPR Art 33)"
    recipient = f"the supervisory authority of {state}"
    return replace(CLOCKS["eu_gdpr"], id=clock_id, title=title, recipient=recipient)


def _as_profiled(runbook: Runbook, rule: ClockRule) -> ClockRule:
    """With an EU main establishment, the one-stop shop: the lead authority only."""
    if rule.id == "eu_gdpr" and runbook.firm.profile.eu_main_establishment:
        title = "Report to the lead EU supervisory authority (main establishment)"
        return replace(rule, title=title, recipient="the lead EU supervisory authority")
    return rule


def _as_in_force(rule: ClockRule, declared_at: datetime | None) -> ClockRule:
    if not rule.id.startswith("ai_act_art73") or declared_at is None:
        return rule
    if declared_at >= AI_ACT_FROM:
        return rule
    wording = f"not yet in force (applies from 2 Dec 2027); policy only: {rule.wording}"
    return replace(rule, basis="policy", wording=wording)


def due_at(clock: ClockTerms, aware_at: datetime) -> datetime | None:
    """Elapsed-time deadline: add hours to the UTC instant, never to a wall-clock time."""
    if clock.within is None:
        return None
    return aware_at.astimezone(UTC) + clock.within


@dataclass(frozen=True)
class Obligation:
    """An obligation as people see it now: terms, deadline and live status."""

    terms: ClockTerms
    record: ObligationRecord
    due_at: datetime | None
    status: str  # pending, overdue, done, waived

    @property
    def id(self) -> str:
        return self.terms.id

    @property
    def open(self) -> bool:
        return self.status in ("pending", "overdue")


def obligation(runbook: Runbook, incident: Incident, clock_id: str, now: datetime) -> Obligation:
    record = incident.obligations[clock_id]
    clock = terms(runbook, clock_id, incident.declared_at)
    due = due_at(clock, incident.aware_from(clock.runs_from) or now)
    status = record.status
    if status == "pending" and due is not None and now >= due:
        status = "overdue"
    return Obligation(clock, record, due, status)


def obligations(runbook: Runbook, incident: Incident, now: datetime) -> tuple[Obligation, ...]:
    return tuple(obligation(runbook, incident, cid, now) for cid in incident.obligations)
