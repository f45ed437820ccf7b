"""Which clocks an incident's answers start (DOMAIN.md's corrected rules).

    triggered_clocks(runbook, {"Q1": "yes", "Q2": "yes", "Q4": "yes"})
    # -> {"breach_log_art33_5": "Q2", "ico_art33": "Q4", "data_subjects_art34": "Q4", ...}

"Unsure" counts as yes (provisionally). A definite processor opens no ICO, individuals or EU
clock of its own: it tells its client, the controller (UK GDPR Art 33(2)). The individuals
clock never runs without the ICO clock, and the EU clocks need a risk as the ICO's does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

from bot.classification import WHERE_IT_WENT, counts_as_yes, effective_answers
from bot.incident import Incident
from bot.runbook import Profile, Runbook

# Incidents declared from this day use PS26/2's operational-incident reports, not SUP 15.3.
PS26_FROM = datetime(2027, 3, 18, tzinfo=UTC)
# EU AI Act Art 73 applies to Annex III high-risk systems from this day (Digital Omnibus).
AI_ACT_FROM = datetime(2027, 12, 2, tzinfo=UTC)
OUTPUT_CLOCKS = dict(
    zip(
        WHERE_IT_WENT,
        ("client_recall", "court_correction", "regulator_correction", "public_correction"),
        strict=True,
    )
)
SEVERITY_CLOCKS = {
    "widespread": "ai_act_art73_widespread",
    "unsure": "ai_act_art73_widespread",  # the shortest, until the severity is settled
    "death": "ai_act_art73_death",
    "other": "ai_act_art73",
}

EU_STATE_CLOCK = "eu_gdpr_"  # + a member state's code: that state's authority
Found = dict[str, str]


class _Answers:
    """The answers that still count, read as the rules read them."""

    def __init__(
        self, profile: Profile, answers: Mapping[str, str], states: Sequence[str] = ()
    ) -> None:
        self.profile = profile
        self.live = effective_answers(profile, answers)
        self.states = tuple(states)

    def yes(self, question: str) -> bool:
        return counts_as_yes(self.live.get(question))

    def first_yes(self, *questions: str) -> str | None:
        return next((q for q in questions if self.yes(q)), None)

    @property
    def controller(self) -> bool:
        return self.live.get("Q5") != "processor"

    @property
    def processor(self) -> bool:
        role = self.live.get("Q5")
        if role is None:  # not answered yet: the firm's profile is the best guess
            return self.profile.processor_for_clients
        return role in ("processor", "unsure")


def _personal_data(a: _Answers, declared: datetime | None) -> Found:
    found: Found = {}
    if a.yes("Q2"):
        found["breach_log_art33_5"] = "Q2"
        if a.processor:
            found["controller_art33_2"] = "Q5" if "Q5" in a.live else "Q2"
        if a.profile.pecr:
            found["pecr_reg5a"] = "Q2"
    risk = a.first_yes("Q3", "Q4")
    if risk is None or not a.controller:
        return found
    found["ico_art33"] = risk
    if a.yes("Q4"):
        found["data_subjects_art34"] = "Q4"
    if a.yes("Q6"):
        found |= dict.fromkeys(_eu_clocks(a), "Q6")
    return found


def _eu_clocks(a: _Answers) -> tuple[str, ...]:
    """One clock per member state where affected people live; with an EU main
    establishment, the lead authority's alone; until the states are named, one for all."""
    if a.profile.eu_main_establishment or not a.states:
        return ("eu_gdpr",)
    return tuple(f"{EU_STATE_CLOCK}{state.lower()}" for state in a.states)


def _fca(a: _Answers, declared: datetime | None) -> Found:
    if not a.yes("Q10"):
        return {}
    if declared is None or declared < PS26_FROM:
        return {"fca_sup15": "Q10"}
    if a.profile.fca_firm == "enhanced":
        return {"fca_ps26_initial": "Q10", "fca_ps26_final": "Q10"}
    return {"fca_ps26_report": "Q10"}


def _professions(a: _Answers, declared: datetime | None) -> Found:
    found: Found = {}
    if a.yes("Q11"):
        found["sra"] = "Q11"
    client = a.first_yes("Q7", "Q8")
    if a.profile.sra_regulated and client:
        found["client_candour"] = client
    if a.yes("Q12") and a.profile.has_professional_body:
        found[a.profile.body] = "Q12"
    if a.yes("Q15"):
        found["nis_reg11_12"] = "Q15"
    return found


def _outputs(a: _Answers, declared: datetime | None) -> Found:
    found = {clock: q for q, clock in OUTPUT_CLOCKS.items() if a.yes(q)}
    if a.yes("Q8"):
        found["pi_insurer"] = "Q8"
    if a.yes("Q9"):
        found["cyber_insurer"] = "Q9"
    elif a.profile.cyber_policy_covers_privacy and a.yes("Q2"):
        found["cyber_insurer"] = "Q2"
    return found


def _ai_act(a: _Answers, declared: datetime | None) -> Found:
    if not a.yes("Q13"):
        return {}
    if a.profile.ai_act_role == "deployer":
        return {"ai_act_provider": "Q13"}
    severity = a.live.get("Q13a")
    return {SEVERITY_CLOCKS[severity or "unsure"]: "Q13a" if severity else "Q13"}


RULES: tuple[Callable[[_Answers, datetime | None], Found], ...] = (
    _personal_data,
    _fca,
    _professions,
    _outputs,
    _ai_act,
)


def triggered_clocks(
    runbook: Runbook,
    answers: Mapping[str, str],
    declared_at: datetime | None = None,
    eu_states: Sequence[str] = (),
) -> Found:
    """Clock id -> the question whose answer starts it, for the answers as they stand."""
    read = _Answers(runbook.firm.profile, answers, eu_states)
    found: Found = {}
    for rule in RULES:
        found.update(rule(read, declared_at))
    for extra in runbook.clocks.extra:
        if read.live.get(extra.question) in extra.answers:
            found[extra.id] = extra.question
    return found


def _definite(answers: Mapping[str, str]) -> dict[str, str]:
    """The answers with every 'unsure' read as the answer that starts nothing."""
    settled = {"Q5": "processor", "Q13a": "unsure"}
    return {q: settled.get(q, "no") if v == "unsure" else v for q, v in answers.items()}


def definitely_triggered(
    runbook: Runbook,
    answers: Mapping[str, str],
    declared_at: datetime | None = None,
    eu_states: Sequence[str] = (),
) -> Found:
    """The clocks whose trigger is a definite yes, not only a provisional unsure."""
    return triggered_clocks(runbook, _definite(answers), declared_at, eu_states)


def escalated_clocks(
    incident: Incident,
    runbook: Runbook,
    after: Mapping[str, str],
    after_states: Sequence[str] = (),
) -> Found:
    """Clocks whose trigger becomes a definite yes with `after` (it was not before): a clock
    someone decided not to notify while its answer was unsure reopens, with its original T0."""
    declared, states = incident.declared_at, incident.eu_states
    before = definitely_triggered(runbook, incident.answer_values, declared, states)
    now = definitely_triggered(runbook, after, declared, after_states or states)
    return {clock: q for clock, q in now.items() if clock not in before}
