"""Reminders fire at their instants, once, and never for something already settled."""

from __future__ import annotations

from datetime import timedelta

from bot import service
from bot.service import Deps
from bot.tick import tick
from tests.conftest import SEED_T0, person
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import classified_seed, declare_seed


def reminder_texts(chat: FakeChat, clock_title: str) -> list[str]:
    return [m.text for m in chat.of_kind("reminder") if clock_title in m.text]


async def test_each_ico_reminder_fires_at_its_instant_and_not_before(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    incident = await classified_seed(deps)
    await service.acknowledge(deps, incident.key, person(deps.runbook, "sam"))
    for hours in (24, 48, 66, 71):
        clock.set(SEED_T0 + timedelta(hours=hours) - timedelta(seconds=1))
        before = len(reminder_texts(chat, "ICO"))
        await tick(deps)
        assert len(reminder_texts(chat, "ICO")) == before
        clock.set(SEED_T0 + timedelta(hours=hours))
        await tick(deps)
        assert len(reminder_texts(chat, "ICO")) == before + 1
    clock.set(SEED_T0 + timedelta(hours=72))
    await tick(deps)
    assert any(
        t.startswith("OVERDUE: Report the breach to the ICO") for t in reminder_texts(chat, "ICO")
    )


async def test_a_reminder_is_sent_once_even_when_ticked_again(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    await classified_seed(deps)
    clock.set(SEED_T0 + timedelta(hours=24))
    await tick(deps)
    await tick(deps)
    assert len(reminder_texts(chat, "Report the breach to the ICO")) == 1


async def test_a_settled_obligation_is_never_reminded(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    incident = await classified_seed(deps)
    await service.mark_obligation(
        deps, incident.key, person(deps.runbook, "alex"), "ico_art33", "done", "ICO case 12345"
    )
    clock.set(SEED_T0 + timedelta(hours=80))
    await tick(deps)
    assert reminder_texts(chat, "Report the breach to the ICO") == []
    rows = await deps.store.reminders(incident.key)
    assert {r.status for r in rows if r.data.get("clock") == "ico_art33"} == {"cancelled"}


async def test_settling_an_obligation_takes_the_buttons_off_its_reminders(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    incident = await classified_seed(deps)
    clock.set(SEED_T0 + timedelta(hours=48))
    await tick(deps)
    sent = [m for m in chat.messages.values() if m.notice.kind == "reminder"]
    ico = [m for m in sent if m.notice.clock == "ico_art33"]
    assert len(ico) == 2 and all(m.view.buttons for m in sent)
    as_sent = [m.view.title for m in ico]

    await service.mark_obligation(
        deps, incident.key, person(deps.runbook, "alex"), "ico_art33", "done", "ICO case 12345"
    )

    ico = [chat.messages[m.message_id] for m in ico]
    assert all(m.updates == 1 and not m.view.buttons for m in ico)
    assert [m.view.title for m in ico] == as_sent  # as sent: "24h left", "sent 5m late"
    assert all("status: done — ICO case 12345" in m.text for m in ico)
    others = [chat.messages[m.message_id] for m in sent if m.notice.clock != "ico_art33"]
    assert others and all(m.updates == 0 and m.view.buttons for m in others)


async def test_after_downtime_due_reminders_go_out_late_oldest_first(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    incident = await classified_seed(deps)
    clock.set(SEED_T0 + timedelta(hours=50))
    await tick(deps)
    ico = reminder_texts(chat, "Report the breach to the ICO")
    assert len(ico) == 2 and "late" in ico[0]
    rows = [
        r
        for r in await deps.store.reminders(incident.key)
        if r.data.get("clock") == "ico_art33" and r.status == "sent"
    ]
    assert sorted(r.late_by_s for r in rows) == [2 * 3600, 26 * 3600]


async def test_a_t0_correction_moves_the_next_reminder(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    incident = await classified_seed(deps)
    await service.correct_awareness(
        deps,
        incident.key,
        person(deps.runbook, "sam"),
        SEED_T0 - timedelta(hours=6),
        "Client emailed at 09:30",
    )
    clock.set(SEED_T0 + timedelta(hours=18))
    await tick(deps)
    assert len(reminder_texts(chat, "Report the breach to the ICO")) == 1


async def test_no_ack_pages_the_next_person_in_the_chain(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    incident = await declare_seed(deps)
    timeout = deps.runbook.escalation.ack_timeout
    clock.advance(timeout - timedelta(seconds=1))
    await tick(deps)
    assert [p.notice.person for p in chat.of_kind("page")] == ["sam"]
    clock.advance(timedelta(seconds=1))
    await tick(deps)
    chain = deps.runbook.roles["incident_lead"]
    assert [p.notice.person for p in chat.of_kind("page")] == list(chain[:2])
    again = await deps.store.load(incident.key)
    assert again is not None and [p.person for p in again.pages] == list(chain[:2])


async def test_an_acknowledged_page_cancels_the_escalation(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    incident = await declare_seed(deps)
    await service.acknowledge(deps, incident.key, person(deps.runbook, "sam"))
    clock.advance(deps.runbook.escalation.ack_timeout * 3)
    await tick(deps)
    assert [p.notice.person for p in chat.of_kind("page")] == ["sam"]


async def test_a_failed_send_is_retried_and_counted(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    incident = await classified_seed(deps)
    clock.set(SEED_T0 + timedelta(hours=24))
    chat.fail_once_on = "Reminder: Report the breach to the ICO"
    await tick(deps)
    assert reminder_texts(chat, "Report the breach to the ICO") == []
    clock.advance(timedelta(seconds=5))
    await tick(deps)
    assert len(reminder_texts(chat, "Report the breach to the ICO")) == 1
    row = next(
        r
        for r in await deps.store.reminders(incident.key)
        if r.dedupe_key.endswith("deadline:ico_art33:86400")
    )
    assert row.status == "sent" and row.attempts == 2
