"""The room stays quiet and true: the classification questions are one message, updated in
place as answers come; a publish that lost its turn never shows the room an older record."""

from __future__ import annotations

from datetime import timedelta

from bot import service
from bot.publish import RoomPublisher
from bot.service import Deps
from bot.tick import tick
from bot.tokens import mention, mentions, strong
from bot.views import status_view
from tests.conftest import SEED_T0, person
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import ANSWERS, classified_seed, contained_seed, declare_seed


async def test_the_questions_are_one_message_as_soon_as_containment_ends(
    deps: Deps, chat: FakeChat
) -> None:
    await contained_seed(deps)
    (questions,) = chat.of_kind("questions")
    assert "Q1. Does it involve information about identifiable living people?" in questions.text
    assert "classify:Q1:yes" in [b.action_id for b in questions.view.buttons]
    assert chat.of_kind("question") == []


async def test_answers_update_the_one_questions_message_in_place(
    deps: Deps, chat: FakeChat
) -> None:
    await classified_seed(deps)
    (questions,) = chat.of_kind("questions")
    assert questions.updates == len(ANSWERS)
    for question, value in ANSWERS:
        assert any(
            line.startswith(f"{question}. ") and strong(value) in line
            for line in questions.view.lines
        ), question


async def test_a_refresh_from_an_older_record_leaves_the_newer_message_alone(
    deps: Deps, chat: FakeChat
) -> None:
    before = await contained_seed(deps)
    await service.answer(deps, before.key, person(deps.runbook, "alex"), "Q1", "yes")
    (questions,) = chat.of_kind("questions")
    shown = questions.text
    late = RoomPublisher(chat, deps.store, deps.runbook, before, deps.clock.now())
    await late.refresh("questions", late.notice("questions"))
    (questions,) = chat.of_kind("questions")
    assert questions.text == shown and "*yes*" in shown


async def test_what_is_left_is_said_by_title_with_its_owner_never_by_id(deps: Deps) -> None:
    incident = await classified_seed(deps)
    said = "\n".join(status_view(incident, deps.runbook, deps.clock.now()).lines)
    assert "Report the breach to the ICO: pending, owner Alex Morgan" in said
    assert "ico_art33" not in said and "client_contract_acme" not in said


async def test_the_status_card_shows_each_clock_its_owner_and_the_next_step(
    deps: Deps, chat: FakeChat
) -> None:
    incident = await classified_seed(deps)
    (card,) = chat.of_kind("card")
    assert card.updates >= 1
    assert "• Report the breach to the ICO — due " in card.text
    assert "UTC)" in card.text and "owner Alex Morgan" in card.text
    assert "Next: " in card.text
    assert await deps.store.message_id(incident.key, "card") == card.message_id


async def test_the_next_step_moves_from_containment_to_the_questions(
    deps: Deps, chat: FakeChat
) -> None:
    incident = await declare_seed(deps)
    await service.acknowledge(deps, incident.key, person(deps.runbook, "sam"))
    (card,) = chat.of_kind("card")
    assert "Next: Sam Okafor: contain — step 1" in card.text
    await contained_seed_from(deps, incident.key)
    (card,) = chat.of_kind("card")
    assert "Next: Sam Okafor: answer Q1 — Does it involve information" in card.text


async def contained_seed_from(deps: Deps, key: str) -> None:
    system = deps.runbook.system("drafting-assistant")
    assert system is not None
    for step in range(len(system.containment)):
        await service.contain(deps, key, person(deps.runbook, "sam"), step, "done")


async def test_an_overdue_clock_owned_by_the_partner_is_not_escalated_to_her(
    deps: Deps, chat: FakeChat, clock: FakeClock
) -> None:
    await classified_seed(deps)
    clock.set(SEED_T0 + timedelta(hours=49))  # the PI insurer's 48 hours, Priya's to give
    await tick(deps)
    (overdue,) = [m.text for m in chat.of_kind("reminder") if "OVERDUE: Notify the PI" in m.text]
    assert "escalating" not in overdue and overdue.count("@Priya Shah") == 1
    assert "owner Priya Shah" in overdue


async def test_an_overdue_clock_owned_by_another_escalates_to_the_partner(
    deps: Deps, chat: FakeChat, clock: FakeClock
) -> None:
    await classified_seed(deps)
    clock.set(SEED_T0 + timedelta(hours=73))
    await tick(deps)
    (overdue,) = [
        m.text for m in chat.of_kind("reminder") if "OVERDUE: Report the breach" in m.text
    ]
    assert "escalating to @Priya Shah" in overdue and "@Alex Morgan, record the reason" in overdue


def test_a_person_is_mentioned_once_however_often_named() -> None:
    assert mentions(("priya", "sam", "priya")) == mention("priya") + " " + mention("sam")


async def test_once_the_kill_switch_is_recorded_the_next_step_is_the_first_question(
    deps: Deps, chat: FakeChat
) -> None:
    incident = await declare_seed(deps)
    sam = person(deps.runbook, "sam")
    await service.acknowledge(deps, incident.key, sam)
    await service.contain(deps, incident.key, sam, 0, "done")
    (card,) = chat.of_kind("card")
    assert "Next: Sam Okafor: answer Q1 — Does it involve information" in card.text
