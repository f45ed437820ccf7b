"""An incident's Teams channel name: the key and title, shortened and cleaned to what Teams
accepts (the fake Graph's rules are the oracle)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from handlers.teams.graph import channel_name
from tests.fakes.graph import refusal

KEY = "AI-2026-0001"


def test_the_key_and_title_as_typed_when_teams_allows_them() -> None:
    assert channel_name(KEY, "Drafting tool leak") == "AI-2026-0001 Drafting tool leak"


def test_forbidden_characters_go_and_quotes_close_up() -> None:
    name = channel_name(KEY, 'Acme\'s Q1/Q2 report: {figures} & <totals>? #3|4, ~50% "final"')
    assert name == "AI-2026-0001 Acmes Q1 Q2 report figures totals 3 4"


def test_at_most_fifty_characters_never_ending_in_a_space_or_period() -> None:
    assert channel_name(KEY, "Leak " + "x" * 80) == "AI-2026-0001 Leak " + "x" * 32
    assert channel_name(KEY, "a" * 36 + ".  tail") == "AI-2026-0001 " + "a" * 36
    assert channel_name(KEY, "v2...final.") == "AI-2026-0001 v2.final"


def test_a_title_of_nothing_teams_allows_leaves_the_key() -> None:
    assert channel_name(KEY, "??? ***") == KEY


@given(st.text(max_size=120))
def test_every_title_gives_a_name_teams_accepts(title: str) -> None:
    name = channel_name(KEY, title)
    assert refusal(name) == "" and name.startswith(KEY)
