"""A room message the platform would not take is not lost: it goes on the record as
undelivered and the ticker sends it again a minute later (then on its backoff), once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import service
from bot.decisions import CloseForm
from bot.ports import ChatError
from bot.schedule import ROOM_AFTER
from bot.service import Deps
from bot.tick import tick
from tests.conftest import person
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import declare_seed


async def test_a_page_that_failed_is_sent_again_a_minute_later_and_only_once(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    chat.fail_once_on = "Paging @Sam Okafor"
    incident = await declare_seed(deps)
    assert chat.of_kind("page") == []
    incident = await service.load(deps, incident.key, whole=True)
    (failed,) = [e for e in incident.events if e.type == "undelivered"]
    assert (failed.data["what"], failed.data["slot"]) == ("page", "page:incident_lead:0")
    assert "fake outage" in str(failed.data["error"])

    clock.advance(timedelta(seconds=59))
    await tick(deps)
    assert chat.of_kind("page") == []
    clock.advance(timedelta(seconds=1))
    await tick(deps)
    await tick(deps)

    (page,) = chat.of_kind("page")
    assert "Paging @Sam Okafor (incident lead, attempt 1)" in page.text
    assert page.view.buttons  # the Acknowledge button works as ever
    assert await deps.store.message_id(incident.key, "page:incident_lead:0") == page.message_id
    await service.acknowledge(deps, incident.key, person(deps.runbook, "sam"))
    assert chat.messages[page.message_id].updates == 1  # updated in place like any page


async def test_a_message_a_later_refresh_already_posted_is_not_sent_twice(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    chat.fail_once_on = "AI-2026-0001: Client report holds another client's figures\nAcme"
    incident = await declare_seed(deps)
    assert chat.fail_once_on == ""  # the card's first post failed ...
    incident = await service.load(deps, incident.key, whole=True)
    assert [e.data["slot"] for e in incident.events if e.type == "undelivered"] == ["card"]
    assert len(chat.of_kind("card")) == 1  # ... and a later refresh (the page's) posted it

    clock.advance(timedelta(minutes=2))
    await tick(deps)

    assert len(chat.of_kind("card")) == 1
    (row,) = [r for r in await deps.store.reminders(incident.key) if r.kind == "repost"]
    assert row.status == "sent" and row.message_id == ""  # done, by not sending


async def test_a_repost_that_fails_again_is_tried_until_the_platform_takes_it(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    chat.fail_once_on = "Paging @Sam Okafor"
    incident = await declare_seed(deps)
    clock.advance(timedelta(minutes=1))
    chat.fail_next = 1
    await tick(deps)
    assert chat.of_kind("page") == []

    clock.advance(timedelta(seconds=5))
    await tick(deps)

    assert len(chat.of_kind("page")) == 1
    (row,) = [r for r in await deps.store.reminders(incident.key) if r.kind == "repost"]
    assert row.status == "sent" and row.attempts == 2


async def test_the_close_summary_is_sent_again_after_close(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    chat.fail_once_on = "closed: Client report holds"
    incident = await declare_seed(deps)
    override = CloseForm("Unknown yet", override_reason="Partner accepts the open items")
    await service.close(deps, incident.key, person(deps.runbook, "priya"), override)
    assert chat.of_kind("summary") == []

    clock.advance(timedelta(minutes=1))
    await tick(deps)

    (summary,) = chat.of_kind("summary")
    assert summary.text.startswith(f"{incident.key} closed: Client report holds")


async def test_a_room_that_is_gone_is_recorded_and_not_tried_again(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    incident = await declare_seed(deps)
    sam = person(deps.runbook, "sam")
    await service.acknowledge(deps, incident.key, sam)  # in place: nothing posted
    chat.gone = True
    await service.note(deps, incident.key, sam, "Vendor called")
    await service.handover(deps, incident.key, sam, "priya", "off shift")  # news: posted

    incident = await service.load(deps, incident.key, whole=True)
    failed = [e for e in incident.events if e.type == "undelivered"]
    assert failed and all(e.data["again"] is False for e in failed)
    assert "fake room archived" in str(failed[0].data["error"])
    assert not [r for r in await deps.store.reminders(incident.key) if r.kind == "repost"]


async def test_a_room_the_platform_would_not_open_is_opened_later_and_the_lead_paged(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    chat.rooms_fail = 2
    with pytest.raises(ChatError):
        await declare_seed(deps)
    (summary,) = await deps.store.list_incidents()
    key = summary.key  # recorded all the same
    assert chat.of_kind("page") == []

    clock.advance(ROOM_AFTER)
    await tick(deps)  # the platform still says no: tried again on the backoff
    assert chat.rooms == []
    clock.advance(timedelta(seconds=30))
    await tick(deps)
    await tick(deps)

    incident = await service.load(deps, key)
    assert incident.room is not None and len(chat.rooms) == 1
    assert len(chat.of_kind("card")) == 1
    (page,) = chat.of_kind("page")
    assert "Paging @Sam Okafor (incident lead, attempt 1)" in page.text
