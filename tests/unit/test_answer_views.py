"""`/ai-incident status`, `list` and `help` are built once (bot.views) for every edge."""

from __future__ import annotations

from datetime import timedelta

from bot.ports import IncidentSummary
from bot.tokens import mention, room
from bot.views import help_view, list_view
from tests.conftest import SEED_T0


def summary(key: str, platform: str, owner: str | None = None) -> IncidentSummary:
    return IncidentSummary(
        key, f"Leak {key[-1]}", "drafting-assistant", "containment", owner,
        SEED_T0, SEED_T0 + timedelta(minutes=5), None, platform, f"C{key[-1]}",
    )  # fmt: skip


def test_the_list_is_newest_first_with_each_lead() -> None:
    v = list_view([summary("AI-2026-0001", "web", "sam"), summary("AI-2026-0002", "web")])
    assert v.lines == (
        "AI-2026-0002: Leak 2 — containment, lead not yet acknowledged",
        f"AI-2026-0001: Leak 1 — containment, lead {mention('sam')}",
    )


def test_the_list_names_rooms_only_on_the_platform_that_asks() -> None:
    incidents = [summary("AI-2026-0001", "slack"), summary("AI-2026-0002", "teams")]
    assert [line.endswith(f"in {room('C1')}") for line in list_view(incidents, "slack").lines] == [
        False,
        True,
    ]
    assert not any(room("C1") in line for line in list_view(incidents).lines)


def test_an_empty_list_says_so() -> None:
    assert list_view([]).lines == ("No open incidents.",)


def test_help_puts_what_was_wrong_first() -> None:
    v = help_view("Unknown command 'frobnicate'.")
    assert v.title == "Commands" and v.lines[0] == "Unknown command 'frobnicate'."
    assert len(v.lines) == len(help_view().lines) + 1
