"""Classification questions (DOMAIN.md), their skip logic, and who they bring in.

"Unsure" counts as yes until it is resolved; a question the firm's profile rules out is
never asked.

    applicable_questions(profile, {"Q1": "no"})  # -> Q1, Q7..Q9, Q12, Q14 for an ICAEW firm
    applicable_questions(profile, {"Q8": "yes"})  # -> ... Q8, Q8a..Q8d (where it went) ...
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.runbook import Profile

YES_NO_UNSURE = ("yes", "no", "unsure")
ROLE_OPTIONS = ("controller", "processor", "unsure")
SEVERITY_OPTIONS = ("widespread", "death", "other", "unsure")
ANSWER_VALUES = ("yes", "no", "unsure", "controller", "processor", "widespread", "death", "other")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[str, ...] = YES_NO_UNSURE
    profile_flag: str | None = None  # asked only when the firm's profile sets this flag


QUESTIONS: tuple[Question, ...] = (
    Question("Q1", "Does it involve information about identifiable living people?"),
    Question(
        "Q2",
        "Was that data disclosed to or accessed by someone not entitled, altered, lost or "
        "made unavailable?",
    ),
    Question(
        "Q3",
        "Is it likely to risk those people (financial loss, fraud, discrimination, distress, "
        "loss of confidentiality)?",
    ),
    Question(
        "Q4",
        "Is the risk high (special-category or criminal data, financial/ID data, children, "
        "many people, already misused)?",
    ),
    Question("Q5", "Our role for this data: controller, or processor for a client?", ROLE_OPTIONS),
    Question(
        "Q6",
        "Are EU/EEA people affected? (If so, name the member states they live in, e.g. FR, IE.)",
        profile_flag="eu_data_subjects",
    ),
    Question("Q7", "Is any client's confidential or privileged information involved?"),
    Question(
        "Q8",
        "Has an affected output left the firm (client, court, regulator) or been relied on?",
    ),
    Question("Q8a", "Where did it go: to a client?"),
    Question("Q8b", "Where did it go: to a court or tribunal?"),
    Question("Q8c", "Where did it go: to a regulator?"),
    Question("Q8d", "Where did it go: to the public?"),
    Question(
        "Q9",
        "Any sign of an attacker or security compromise (prompt injection, stolen token, "
        "unknown destination)?",
    ),
    Question(
        "Q10",
        "Serious customer detriment, reputational damage or systems failure?",
        profile_flag="fca_authorised",
    ),
    Question("Q11", "Possible serious breach of the SRA's rules?", profile_flag="sra_regulated"),
    Question(
        "Q12",
        "Could it lead to disciplinary action by the firm's professional body?",
        profile_flag="has_professional_body",
    ),
    Question(
        "Q13",
        "Serious harm or a breach of fundamental rights from an EU high-risk AI use?",
        profile_flag="eu_high_risk_ai",
    ),
    Question(
        "Q13a",
        "How severe (EU AI Act Art 73): widespread infringement or critical infrastructure, "
        "a death, or other serious harm?",
        SEVERITY_OPTIONS,
        profile_flag="eu_high_risk_ai",
    ),
    Question("Q14", "Is harm still ongoing (outputs still produced or circulating)?"),
    Question(
        "Q15",
        "Significant or substantial impact on the essential or digital service (NIS)?",
        profile_flag="nis",
    ),
)

BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}
QUESTION_IDS = tuple(BY_ID)
PERSONAL_DATA_BLOCK = ("Q2", "Q3", "Q4", "Q5", "Q6")
WHERE_IT_WENT = ("Q8a", "Q8b", "Q8c", "Q8d")
# A question asked only while its lead question counts as yes (Q8 -> where it went).
FOLLOW_UP_OF: dict[str, str] = {**{q: "Q8" for q in WHERE_IT_WENT}, "Q13a": "Q13"}
# Questions whose applicability an answer can change: refreshed when it is answered.
DEPENDENTS: dict[str, tuple[str, ...]] = {
    "Q1": PERSONAL_DATA_BLOCK,
    "Q2": PERSONAL_DATA_BLOCK[1:],
    "Q3": ("Q4",),
    "Q8": WHERE_IT_WENT,
    "Q13": ("Q13a",),
}


@dataclass(frozen=True)
class Involvement:
    """Someone to bring in because of an answer: a runbook role or an outside party."""

    id: str
    who: str
    because: str
    role: str | None = None


INVOLVEMENTS: dict[str, tuple[Involvement, ...]] = {
    "Q1": (Involvement("dpo", "Data protection lead", "Q1", role="dpo"),),
    "Q4": (Involvement("solicitor", "The firm's solicitor", "Q4"),),
    "Q7": (
        Involvement(
            "account_owners",
            "Account owners of both the owning and the receiving client",
            "Q7",
        ),
    ),
    "Q9": (
        Involvement("forensics", "Forensics / IT security support", "Q9"),
        Involvement("solicitor", "The firm's solicitor", "Q9"),
    ),
    "Q10": (Involvement("compliance", "Compliance officer", "Q10", role="compliance"),),
    "Q11": (Involvement("colp", "COLP / COFA", "Q11", role="compliance"),),
    "Q12": (Involvement("compliance", "Compliance principal", "Q12", role="compliance"),),
    "Q13": (Involvement("ai_provider", "The AI system's provider", "Q13"),),
}


def counts_as_yes(value: str | None) -> bool:
    """Yes, or unsure (provisionally yes until resolved)."""
    return value in ("yes", "unsure")


def is_asked(question: Question, profile: Profile, answers: Mapping[str, str]) -> bool:
    """Whether the question applies, given the firm's profile and the answers so far."""
    if question.profile_flag and not getattr(profile, question.profile_flag):
        return False
    if question.id in PERSONAL_DATA_BLOCK and answers.get("Q1") == "no":
        return False
    if question.id in PERSONAL_DATA_BLOCK[1:] and answers.get("Q2") == "no":
        return False
    if question.id == "Q4" and answers.get("Q3") == "no":
        return False  # no risk at all cannot be a high risk
    lead = FOLLOW_UP_OF.get(question.id)
    return lead is None or counts_as_yes(answers.get(lead))


def applicable_questions(profile: Profile, answers: Mapping[str, str]) -> tuple[Question, ...]:
    return tuple(q for q in QUESTIONS if is_asked(q, profile, answers))


def effective_answers(profile: Profile, answers: Mapping[str, str]) -> dict[str, str]:
    """Answers that still count: those to questions skipped by a later 'no' are set aside."""
    return {qid: v for qid, v in answers.items() if is_asked(BY_ID[qid], profile, answers)}


def open_questions(profile: Profile, answers: Mapping[str, str]) -> tuple[Question, ...]:
    return tuple(q for q in applicable_questions(profile, answers) if q.id not in answers)


def involvements(profile: Profile, answers: Mapping[str, str]) -> tuple[Involvement, ...]:
    live = effective_answers(profile, answers)
    found = [
        inv for qid, v in live.items() if counts_as_yes(v) for inv in INVOLVEMENTS.get(qid, ())
    ]
    return tuple({inv.id: inv for inv in found}.values())


def valid_answer(question_id: str, value: str) -> bool:
    question = BY_ID.get(question_id)
    return question is not None and value in question.options


# EU member states and the EEA states, by ISO 3166 code (Greece as GR, not EL).
EU_EEA_STATES = tuple(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "IS",
        "LI",
        "NO",
    ]
)
_STATE = re.compile(r"\b[A-Za-z]{2}\b")


def member_states(text: str) -> tuple[str, ...]:
    """The EU/EEA states named in Q6's answer text ("FR, Ireland (IE) and DE" -> FR, IE, DE)."""
    found = (code.upper() for code in _STATE.findall(text))
    return tuple(dict.fromkeys(code for code in found if code in EU_EEA_STATES))


# Q6's buttons ask which member states (the text goes with the answer).
ASKS_FOR_TEXT = {"Q6": "states"}
