from __future__ import annotations

import pytest

from bot.commands import Command, parse, parse_aware, parse_person
from bot.runbook import Runbook


def test_a_key_after_the_command_names_the_incident() -> None:
    assert parse("status ai-2026-0007") == Command("status", key="AI-2026-0007")


def test_declare_keeps_its_whole_title() -> None:
    assert parse("declare AI-2026 leak in reports") == Command(
        "declare", text="AI-2026 leak in reports"
    )


def test_an_unknown_subcommand_shows_help_and_says_so() -> None:
    command = parse("frobnicate now")
    assert command.name == "help" and "frobnicate" in command.error


def test_overlong_input_is_refused_not_truncated() -> None:
    assert "limit" in parse("note " + "x" * 5000).error


def test_aware_needs_an_offset_and_a_reason() -> None:
    when, reason = parse_aware("2026-03-24T09:00+00:00 client emailed Tuesday")
    assert when.isoformat() == "2026-03-24T09:00:00+00:00" and reason == "client emailed Tuesday"
    with pytest.raises(ValueError, match="offset"):
        parse_aware("2026-03-24T09:00 client")
    with pytest.raises(ValueError, match="reason"):
        parse_aware("2026-03-24T09:00+00:00")


@pytest.mark.parametrize(
    ("said", "who", "rest"),
    [
        ("priya going off shift", "priya", "going off shift"),
        ("Priya Shah going off shift", "priya", "going off shift"),
        ("@priya", "priya", ""),
        ("@Priya Shah going home", "priya", "going home"),
        ("me taking over", "alex", "taking over"),
    ],
    ids=[
        "id",
        "full name",
        "at-name",
        "at-full-name",
        "me",
    ],
)
def test_the_person_to_hand_over_to_is_named_as_people_name_them(
    runbook: Runbook, said: str, who: str, rest: str
) -> None:
    person, after = parse_person(said, runbook, "alex")
    assert (person.id, after) == (who, rest)


@pytest.mark.parametrize("said", ["", "bob", "<@U0NOBODY> hi"])
def test_nobody_the_runbook_names_is_a_message(runbook: Runbook, said: str) -> None:
    with pytest.raises(ValueError, match="is not one person in the runbook"):
        parse_person(said, runbook, "alex")
