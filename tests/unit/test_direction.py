"""Typed text is isolated for direction only where it could reorder what is around it."""

from __future__ import annotations

from bot.direction import isolated

RLO, FSI, PDI = "\u202e", "\u2068", "\u2069"


def test_left_to_right_text_is_left_exactly_as_typed() -> None:
    assert isolated("Report leak (Acme, 2026)") == "Report leak (Acme, 2026)"


def test_a_right_to_left_override_is_held_inside_an_isolate() -> None:
    assert isolated(f"{RLO}kael tropeR") == f"{FSI}{RLO}kael tropeR{PDI}"


def test_right_to_left_letters_are_isolated() -> None:
    assert isolated("تسريب التقرير") == f"{FSI}تسريب التقرير{PDI}"


def test_a_typed_pop_that_closes_nothing_cannot_end_the_isolate_early() -> None:
    assert isolated(f"{PDI}{RLO}x") == f"{FSI}{RLO}x{PDI}"
    assert isolated(f"{FSI}ab{PDI}") == f"{FSI}{FSI}ab{PDI}{PDI}"
