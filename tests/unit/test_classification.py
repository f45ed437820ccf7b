from __future__ import annotations

from bot.classification import applicable_questions, involvements, open_questions
from bot.runbook import Profile

ICAEW_PROCESSOR = Profile(icaew_member=True, processor_for_clients=True)


def ids(questions: tuple) -> list[str]:  # type: ignore[type-arg]
    return [q.id for q in questions]


def test_regulator_questions_follow_the_firm_profile() -> None:
    asked = ids(applicable_questions(ICAEW_PROCESSOR, {}))
    assert "Q12" in asked
    assert not {"Q10", "Q11", "Q13", "Q6"} & set(asked)


def test_no_personal_data_skips_the_breach_questions() -> None:
    asked = ids(applicable_questions(ICAEW_PROCESSOR, {"Q1": "no"}))
    assert not {"Q2", "Q3", "Q4", "Q5"} & set(asked)
    assert "Q7" in asked


def test_no_breach_skips_q3_to_q6_but_keeps_q2() -> None:
    asked = ids(applicable_questions(ICAEW_PROCESSOR, {"Q1": "yes", "Q2": "no"}))
    assert "Q2" in asked and not {"Q3", "Q4", "Q5"} & set(asked)


def test_unsure_about_personal_data_brings_in_the_dpo() -> None:
    assert [i.role for i in involvements(ICAEW_PROCESSOR, {"Q1": "unsure"})] == ["dpo"]


def test_open_questions_are_the_applicable_unanswered_ones() -> None:
    left = ids(open_questions(ICAEW_PROCESSOR, {"Q1": "no", "Q7": "yes"}))
    assert left == ["Q8", "Q9", "Q12", "Q14"]
