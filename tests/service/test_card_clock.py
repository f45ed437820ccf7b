"""The status card's time left stays true as time passes: the ticker updates a card in place
when what it says has moved on, at most once a minute, and leaves alone a card whose words
are unchanged (no update per incident per wake)."""

from __future__ import annotations

from datetime import timedelta

from bot.card_clock import CardClock
from bot.service import Deps
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import classified_seed, declare_seed


async def test_the_cards_time_left_moves_on_as_time_passes(
    deps: Deps, chat: FakeChat, clock: FakeClock
) -> None:
    await classified_seed(deps)
    cards = CardClock()
    await cards.refresh(deps)  # as shown when the record last changed: nothing to do
    (card,) = chat.of_kind("card")
    shown, updates = card.text, card.updates

    clock.advance(timedelta(minutes=5))
    assert await cards.refresh(deps) == 1
    (card,) = chat.of_kind("card")
    assert card.updates == updates + 1 and card.text != shown
    ico = next(line for line in card.view.lines if "Report the breach to the ICO" in line)
    assert ico.endswith("; owner Alex Morgan; pending") and "left" in ico


async def test_the_card_is_looked_at_most_once_a_minute(
    deps: Deps, chat: FakeChat, clock: FakeClock
) -> None:
    await classified_seed(deps)
    cards = CardClock()
    clock.advance(timedelta(minutes=2))
    assert await cards.refresh(deps) == 1
    (card,) = chat.of_kind("card")
    updates = card.updates
    for _ in range(5):  # the ticker wakes every few seconds
        clock.advance(timedelta(seconds=10))
        assert await cards.refresh(deps) == 0
    (card,) = chat.of_kind("card")
    assert card.updates == updates


async def test_a_card_whose_words_have_not_changed_is_not_updated(
    deps: Deps, chat: FakeChat, clock: FakeClock
) -> None:
    await declare_seed(deps)  # no clock runs yet: nothing on the card moves with time
    cards = CardClock()
    (card,) = chat.of_kind("card")
    updates = card.updates
    for _ in range(3):
        clock.advance(timedelta(minutes=10))
        assert await cards.refresh(deps) == 0
    (card,) = chat.of_kind("card")
    assert card.updates == updates


async def test_the_card_says_overdue_once_a_deadline_passes(
    deps: Deps, chat: FakeChat, clock: FakeClock
) -> None:
    await classified_seed(deps)
    cards = CardClock()
    clock.advance(timedelta(days=4))  # past the ICO's 72 hours
    assert await cards.refresh(deps) == 1
    (card,) = chat.of_kind("card")
    ico = next(line for line in card.view.lines if "Report the breach to the ICO" in line)
    assert ico.startswith("• OVERDUE ") and "overdue by " in ico
