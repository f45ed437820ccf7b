"""Clock rules: which notifications an incident's answers call for, and by when.

Deadlines run from T0 (awareness) in elapsed calendar hours — weekends, bank holidays and
clock changes count as the time they really are. Law-given clocks say so; the others show
the runbook's policy target, labelled as policy.

    triggered_clocks(runbook, {"Q1": "yes", "Q2": "yes", "Q3": "unsure"})
    # -> {"ico_art33": "Q3", "breach_log_art33_5": "Q2", ...}
    terms(runbook, "ico_art33").draft   # -> "ico": the bot.papers.drafts kind its owner starts from
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.classification import counts_as_yes, effective_answers
from bot.incident import Incident, ObligationRecord
from bot.runbook import Runbook

H = timedelta(hours=1)


@dataclass(frozen=True)
class ClockRule:
    id: str
    title: str
    recipient: str
    question: str  # the answer that starts it
    within: timedelta | None  # None: due at close (the internal breach register)
    basis: str  # "law" or "policy"
    wording: str  # what the law actually says
    owner_roles: tuple[str, ...]
    style: str = "default"  # "72h", "immediate", "default" or "close"
    draft: str = ""  # the bot.papers.drafts kind its owner can start from; "" for none


CLOCKS: dict[str, ClockRule] = {
    r.id: r
    for r in (
        ClockRule(
            "ico_art33",
            "Report the breach to the ICO",
            "ICO",
            "Q3",
            72 * H,
            "law",
            "within 72 hours of awareness (UK GDPR Art 33)",
            ("dpo",),
            "72h",
            draft="ico",
        ),
        ClockRule(
            "data_subjects_art34",
            "Tell the affected people",
            "affected people",
            "Q4",
            72 * H,
            "policy",
            "without undue delay (UK GDPR Art 34)",
            ("dpo",),
            "72h",
            draft="individuals",
        ),
        ClockRule(
            "controller_art33_2",
            "Tell the client (we are its processor)",
            "the client",
            "Q5",
            24 * H,
            "policy",
            "without undue delay (UK GDPR Art 33(2))",
            ("dpo",),
            draft="client",
        ),
        ClockRule(
            "breach_log_art33_5",
            "Record the breach in the breach register",
            "internal register",
            "Q2",
            None,
            "law",
            "every breach, reported or not (UK GDPR Art 33(5))",
            ("dpo",),
            "close",
        ),
        ClockRule(
            "eu_gdpr",
            "Report to each EU supervisory authority concerned",
            "EU supervisory authorities",
            "Q6",
            72 * H,
            "law",
            "within 72 hours of awareness (EU GDPR Art 33)",
            ("dpo",),
            "72h",
        ),
        ClockRule(
            "fca_sup15",
            "Notify the FCA",
            "FCA",
            "Q10",
            4 * H,
            "policy",
            "immediately (FCA SUP 15.3)",
            ("compliance",),
            "immediate",
        ),
        ClockRule(
            "sra",
            "Report to the SRA via the COLP/COFA",
            "SRA",
            "Q11",
            72 * H,
            "policy",
            "promptly (SRA Code for Firms 3.9)",
            ("compliance",),
            "72h",
        ),
        ClockRule(
            "icaew",
            "Report to the ICAEW",
            "ICAEW",
            "Q12",
            72 * H,
            "policy",
            "promptly (ICAEW DBL 6.1)",
            ("compliance",),
            "72h",
        ),
        ClockRule(
            "pi_insurer",
            "Notify the PI insurer",
            "PI insurer",
            "Q8",
            48 * H,
            "policy",
            "as soon as practicable (policy terms)",
            ("managing_partner",),
            draft="insurer",
        ),
        ClockRule(
            "cyber_insurer",
            "Give the cyber insurer formal notice",
            "cyber insurer",
            "Q9",
            24 * H,
            "policy",
            "as soon as practicable (policy terms)",
            ("managing_partner",),
            draft="insurer",
        ),
        ClockRule(
            "ai_act_art73",
            "Report the serious incident (EU AI Act Art 73)",
            "market surveillance authority / the provider",
            "Q13",
            15 * 24 * H,
            "law",
            "15 days; 10 if a death; 2 if widespread (EU AI Act Art 73)",
            ("compliance",),
        ),
    )
}
CLOCK_IDS = tuple(CLOCKS)
IMMEDIATE_OFFSETS = (2 * H,)


def _processor(runbook: Runbook, live: Mapping[str, str]) -> bool:
    role = live.get("Q5")
    if role is None:  # not answered yet: the firm's profile is the best guess
        return runbook.firm.profile.processor_for_clients
    return role in ("processor", "unsure")


def triggered_clocks(runbook: Runbook, answers: Mapping[str, str]) -> dict[str, str]:
    """Clock id -> the question whose answer starts it, for the answers as they stand."""
    live = effective_answers(runbook.firm.profile, answers)
    found = {
        rule.id: rule.question
        for rule in CLOCKS.values()
        if rule.id != "controller_art33_2" and counts_as_yes(live.get(rule.question))
    }
    if counts_as_yes(live.get("Q2")) and _processor(runbook, live):
        found["controller_art33_2"] = "Q5" if "Q5" in live else "Q2"
    if runbook.firm.profile.cyber_policy_covers_privacy and counts_as_yes(live.get("Q2")):
        found.setdefault("cyber_insurer", "Q2")
    for extra in runbook.clocks.extra:
        if live.get(extra.question) in extra.answers:
            found[extra.id] = extra.question
    return found


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


def terms(runbook: Runbook, clock_id: str) -> ClockTerms:
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
    rule = CLOCKS[clock_id]
    policy = runbook.clocks.policies.get(clock_id)
    within = policy.within if policy and policy.within and rule.style != "close" else rule.within
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
    )


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
    clock = terms(runbook, clock_id)
    due = due_at(clock, incident.aware_at or now)
    status = record.status
    if status == "pending" and due is not None and now >= due:
        status = "overdue"
    return Obligation(clock, record, due, status)


def obligations(runbook: Runbook, incident: Incident, now: datetime) -> tuple[Obligation, ...]:
    return tuple(obligation(runbook, incident, cid, now) for cid in incident.obligations)
