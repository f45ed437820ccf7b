"""The core's one table of commands: what each command answers, the same on every platform,
before any edge renders it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.command_answers import (
    TABLE,
    Answer,
    OpenClose,
    OpenDeclare,
    Platform,
    Refusal,
    Show,
    answer_command,
)
from bot.commands import NAMES, parse
from bot.decisions import CloseForm
from bot.incident import Incident
from bot.service import Deps, close
from bot.timeline import Actor
from tests.conftest import person
from tests.service.test_seed_case import declare_seed

OUTSIDE = "Outside an incident room, put its key first: status AI-2026-0001."
WEB = Platform("web", OUTSIDE)


@dataclass
class Typist:
    """Someone typing a command; `room` is the incident whose room they are in ("" none)."""

    who: Actor | None
    room: str = ""
    platform: Platform = WEB
    asked_who: bool = False

    async def actor(self) -> Actor:
        self.asked_who = True
        assert self.who is not None, "this command should not need to know who typed it"
        return self.who

    async def room_key(self) -> str:
        return self.room


async def said(deps: Deps, typed: str, typist: Typist) -> Answer:
    return await answer_command(deps, parse(typed), typist)


def in_room(deps: Deps, incident: Incident, who: str = "sam") -> Typist:
    return Typist(person(deps.runbook, who), incident.key)


def test_every_command_name_has_one_entry_in_the_core_table() -> None:
    assert set(TABLE) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
async def test_every_command_is_answered_by_the_core_table(name: str, deps: Deps) -> None:
    incident = await declare_seed(deps)
    answer = await said(deps, f"{name} {incident.key}", in_room(deps, incident))
    assert isinstance(answer, Show | OpenDeclare | OpenClose | Refusal)


async def test_status_shows_the_incident_of_the_room(deps: Deps) -> None:
    incident = await declare_seed(deps)
    answer = await said(deps, "status", in_room(deps, incident))
    assert isinstance(answer, Show) and answer.key == incident.key and not answer.changed
    assert answer.view.title == f"{incident.key} status: {incident.title}"
    assert "Lead: not yet acknowledged" in answer.view.lines


async def test_outside_a_room_a_command_about_an_incident_needs_its_key(deps: Deps) -> None:
    incident = await declare_seed(deps)
    sam = Typist(person(deps.runbook, "sam"))
    assert await said(deps, "status", sam) == Refusal(OUTSIDE)
    answer = await said(deps, f"status {incident.key.lower()}", sam)
    assert isinstance(answer, Show) and answer.key == incident.key


async def test_an_unknown_key_is_a_refusal(deps: Deps) -> None:
    sam = Typist(person(deps.runbook, "sam"))
    assert await said(deps, "status AI-2026-0099", sam) == Refusal(
        "There is no incident AI-2026-0099."
    )


async def test_list_names_the_rooms_only_where_the_platform_links_them(deps: Deps) -> None:
    incident = await declare_seed(deps)
    assert incident.room is not None
    sam = person(deps.runbook, "sam")
    links = Typist(sam, platform=Platform(incident.room.platform, OUTSIDE, room_links=True))
    linked, plain = await said(deps, "list", links), await said(deps, "list", Typist(sam))
    assert isinstance(linked, Show) and isinstance(plain, Show)
    assert linked.view.title == plain.view.title == "Open incidents"
    assert plain.view.lines == (
        f"{incident.key}: {incident.title} — {incident.phase}, lead not yet acknowledged",
    )
    assert linked.view.lines[0].startswith(plain.view.lines[0] + " in ")


OUTSIDER = Actor("slack:U0STRANGER", "A stranger")


async def test_outside_its_room_someone_the_runbook_does_not_name_reads_nothing(
    deps: Deps,
) -> None:
    incident = await declare_seed(deps)
    for typed in (
        "list",
        f"status {incident.key}",
        f"evidence {incident.key}",
        "close AI-2026-0001",
    ):
        answer = await said(deps, typed, Typist(OUTSIDER))
        assert isinstance(answer, Refusal), typed
        assert incident.title not in answer.message
    in_its_room = await said(deps, "status", Typist(OUTSIDER, incident.key))
    assert isinstance(in_its_room, Show)  # the room's members may read it


async def test_declare_opens_the_form_with_the_title_typed(deps: Deps) -> None:
    typist = Typist(None)
    assert await said(deps, "declare AI-2026 leak in reports", typist) == OpenDeclare(
        "AI-2026 leak in reports"
    )
    assert not typist.asked_who


async def test_close_opens_the_form_for_an_open_incident_and_refuses_a_closed_one(
    deps: Deps,
) -> None:
    incident = await declare_seed(deps)
    sam = in_room(deps, incident)
    answer = await said(deps, "close", sam)
    assert isinstance(answer, OpenClose) and answer.incident.key == incident.key
    closing = CloseForm("cache bug", "context_leakage", (), override_reason="test")
    await close(deps, incident.key, person(deps.runbook, "priya"), closing)
    assert await said(deps, "close", sam) == Refusal(f"{incident.key} is already closed.")


async def test_evidence_alone_shows_the_checklist_with_a_button_per_item(deps: Deps) -> None:
    incident = await declare_seed(deps)
    answer = await said(deps, "evidence", in_room(deps, incident))
    assert isinstance(answer, Show) and answer.key == incident.key and not answer.changed
    assert answer.view.title == f"{incident.key} evidence checklist"
    assert answer.view.buttons[0].action_id == "evidence:E1"


async def test_evidence_with_text_is_recorded_and_shows_in_the_room(deps: Deps) -> None:
    incident = await declare_seed(deps)
    answer = await said(deps, "evidence https://x.example/log", in_room(deps, incident))
    assert isinstance(answer, Show) and answer.changed and answer.in_room
    assert answer.view.title.startswith(f"Evidence recorded on {incident.key} (")
    after = await deps.store.load(incident.key)
    assert after is not None and after.evidence[-1].text == "https://x.example/log"


async def test_a_note_is_a_change_the_room_does_not_show_so_it_is_said(deps: Deps) -> None:
    incident = await declare_seed(deps)
    answer = await said(deps, "note Vendor confirmed the bug", in_room(deps, incident))
    assert answer == Show(
        answer.view, incident.key, changed=True, in_room=False
    ) and answer.view.title == (f"Note added to the timeline of {incident.key}.")


async def test_ack_handover_and_aware_change_the_incident_as_the_typist(deps: Deps) -> None:
    incident = await declare_seed(deps)
    sam = in_room(deps, incident)
    acked = await said(deps, "ack", sam)
    assert isinstance(acked, Show) and acked.changed and acked.in_room
    assert acked.view.title == f"You are the incident lead for {incident.key}."
    handed = await said(deps, "handover @Priya Shah off shift", sam)
    assert isinstance(handed, Show) and handed.view.title == f"Priya Shah now leads {incident.key}."
    aware = await said(deps, "aware 2026-03-26T14:00+00:00 Client emailed earlier", sam)
    assert isinstance(aware, Show) and aware.view.title.startswith(f"T0 of {incident.key} is now")
    after = await deps.store.load(incident.key)
    assert after is not None and after.owner == "priya"


async def test_a_bad_argument_is_a_refusal_and_changes_nothing(deps: Deps) -> None:
    incident = await declare_seed(deps)
    answer = await said(deps, "handover bob", in_room(deps, incident))
    assert (
        isinstance(answer, Refusal) and "'bob' is not one person in the runbook" in answer.message
    )
    assert isinstance(await said(deps, "aware yesterday", in_room(deps, incident)), Refusal)
    after = await deps.store.load(incident.key)
    assert after is not None and after.last == incident.last


async def test_runbook_is_the_one_pager_as_a_view_and_as_a_paper(deps: Deps) -> None:
    typist = Typist(None)
    answer = await said(deps, "runbook", typist)
    assert isinstance(answer, Show) and answer.paper == "runbook"
    assert answer.view.title == f"AI incident runbook — {deps.runbook.firm.name}"
    assert not typist.asked_who


async def test_help_lists_the_commands_as_they_are_typed_on_the_platform(deps: Deps) -> None:
    slash = await said(deps, "frobnicate", Typist(None))
    assert isinstance(slash, Show) and slash.view.title == "Commands"
    assert slash.view.lines[0] == "Unknown command 'frobnicate'."
    assert (
        "/ai-incident status [KEY] — phase, clocks with time left, open items" in slash.view.lines
    )
    teams = Typist(None, platform=Platform("teams", OUTSIDE, typed_as="@AI Incident"))
    mention = await said(deps, "help", teams)
    assert isinstance(mention, Show)
    assert "@AI Incident status [KEY] — phase, clocks with time left, open items" in (
        mention.view.lines
    )
    assert not any("/ai-incident" in line for line in mention.view.lines)


async def test_facts_are_said_in_words_for_the_room_does_not_show_them(deps: Deps) -> None:
    incident = await declare_seed(deps)
    answer = await said(deps, "facts", in_room(deps, incident))
    assert isinstance(answer, Show) and answer.key == incident.key and not answer.in_room
    assert answer.view.title.startswith(f"Facts of {incident.key} for the notices")
    assert "Still missing" in answer.view.title
