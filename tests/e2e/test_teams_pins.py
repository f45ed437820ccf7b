"""📌 in Teams: the message action "Add to incident timeline", sent as Teams sends it (a
`composeExtension/fetchTask` invoke for the dialog, then `composeExtension/submitAction`
when Add is pressed), puts a message of the incident's thread onto its timeline with its
author, original time and text; `ai-incident export` shows it; taking it off is recorded
beside it. Teams sending the Add again records it once; someone the runbook does not name
is refused, on the record; outside an incident's room the dialog says so and nothing
changes."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from ai_incident.cli import main
from bot.runbook import Runbook
from handlers.kept import LEASE, Kept
from handlers.teams.activity import FETCH_TASK, SUBMIT_ACTION
from handlers.teams.files import FILE_INFO
from handlers.teams.routes import PATH
from handlers.teams.timeline import BEING_ADDED, NOT_A_PERSON, NOT_A_ROOM, TAKEN_OFF
from tests.contract.adaptive_cards import problems
from tests.e2e.teams_driver import User
from tests.e2e.teams_rig import (
    KEY,
    POST,
    SAM,
    TeamsRig,
    connector,
    declared,
    running,
    teams_rig,
    teams_runbook,
)
from tests.e2e.test_teams_files import ORIGINAL, FakeSharePoint, sharepoint
from tests.fakes.dying import DiesAfterTheAck
from tests.fakes.teams_connector import FakeConnector

__all__ = ["connector", "sharepoint", "teams_rig"]  # fixtures
KIM = User("29:1kim", "Kim Novak", "aad-kim", "kim@contractor.example")  # not in the runbook
SAID = "<p>Vendor confirmed the cache bug &amp; the fix</p>"
ADDED = f"Added to {KEY}'s timeline: Alex Morgan, Thu 26 Mar 2026 15:46 GMT."


def message_action(
    rig: TeamsRig,
    user: User,
    conversation: str,
    name: str = SUBMIT_ACTION,
    html: str = SAID,
    pressed: str = "add",
) -> dict[str, Any]:
    """Alex's message in `conversation`, acted on by `user` as Teams sends it: the dialog
    asked for (FETCH_TASK), or its button `pressed` (SUBMIT_ACTION)."""
    activity = rig.tenant._from("message_action", user, conversation)
    activity["name"] = name
    activity["value"]["messagePayload"]["body"]["content"] = html
    activity["value"]["data"] = {"timeline": pressed}
    if name == FETCH_TASK:  # the dialog is not yet shown: nothing submitted
        del activity["value"]["data"]
    return activity


async def invoke(rig: TeamsRig, activity: dict[str, Any]) -> tuple[int, Any]:
    """Post the invoke; its status and the body Teams would show; then the work it started."""
    async with rig.tenant.http.post(PATH, json=activity) as response:
        status = response.status
        body = await response.json() if response.content_type == "application/json" else None
    await rig.tenant.work.idle()
    return status, body


def shown(body: Any) -> str:
    """What the dialog says, for a message answer."""
    assert body["task"]["type"] == "message", body
    return str(body["task"]["value"])


async def exported(rig: TeamsRig, db: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> Any:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["export", KEY, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


async def test_a_message_added_is_on_the_exported_timeline_with_its_author_and_time(
    teams_rig: TeamsRig,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    room = await declared(teams_rig)
    status, dialog = await invoke(teams_rig, message_action(teams_rig, SAM, room, FETCH_TASK))
    assert status == 200 and dialog["task"]["type"] == "continue"
    card = dialog["task"]["value"]["card"]["content"]
    assert problems(card) == []
    assert f"Add to {KEY}'s timeline?" in json.dumps(card)
    assert "Vendor confirmed the cache bug & the fix" in json.dumps(card, ensure_ascii=False)
    assert card["actions"][0]["type"] == "Action.Submit"

    status, answer = await invoke(teams_rig, message_action(teams_rig, SAM, room))
    assert status == 200 and shown(answer) == ADDED

    export = await exported(teams_rig, tmp_path / "teams.db", monkeypatch, capsys)
    (pin,) = [e for e in export["timeline"] if e["type"] == "pinned"]
    assert pin["actor"]["name"] == "Sam Okafor"
    assert (pin["data"]["author"], pin["data"]["author_id"]) == ("Alex Morgan", "teams:aad-alex")
    assert pin["data"]["said_at"] == "2026-03-26T15:46:52.345000+00:00"
    assert pin["data"]["text"] == "Vendor confirmed the cache bug & the fix"
    assert pin["data"]["message_id"] == "1774540012345"


async def test_teams_sending_the_add_again_records_it_once(teams_rig: TeamsRig) -> None:
    room = await declared(teams_rig)
    add = message_action(teams_rig, SAM, room)
    first, again = await invoke(teams_rig, add), await invoke(teams_rig, add)
    assert first == again == (200, first[1]) and shown(first[1]) == ADDED
    asked_again = await invoke(teams_rig, message_action(teams_rig, SAM, room, FETCH_TASK))
    offered = asked_again[1]["task"]["value"]["card"]["content"]
    assert f"On {KEY}'s timeline already" in json.dumps(offered)
    pressed_again = await invoke(teams_rig, message_action(teams_rig, SAM, room))
    assert shown(pressed_again[1]) == ADDED  # a second Add (a new invoke) adds nothing
    incident = await teams_rig.deps.store.load(KEY)
    assert incident is not None
    assert len([e for e in incident.events if e.type == "pinned"]) == 1


async def test_an_add_cut_off_by_a_crash_is_recorded_by_the_sweep_once(
    teams_rig: TeamsRig,
) -> None:
    rig = teams_rig
    room = await declared(rig)
    alive, rig.kept.work = rig.kept.work, DiesAfterTheAck()
    status, answer = await invoke(rig, message_action(rig, SAM, room))
    assert status == 200 and shown(answer) == BEING_ADDED.format(key=KEY)

    rig.deps.clock.advance(LEASE)  # type: ignore[attr-defined]
    after = Kept(rig.kept.inbox, alive, rig.deps.clock)  # the next process, same database
    after.replays = rig.kept.replays
    assert await after.sweep() == 1
    await alive.idle()
    assert await after.sweep() == 0
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    assert [e.data["author"] for e in incident.events if e.type == "pinned"] == ["Alex Morgan"]
    rig.kept.work = alive


async def test_taking_it_off_is_recorded_beside_it_and_deletes_nothing(
    teams_rig: TeamsRig,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    room = await declared(teams_rig)
    await invoke(teams_rig, message_action(teams_rig, SAM, room))
    _, dialog = await invoke(teams_rig, message_action(teams_rig, SAM, room, FETCH_TASK))
    offered = dialog["task"]["value"]["card"]["content"]
    assert problems(offered) == []
    assert offered["actions"][0]["data"] == {"timeline": "take_off"}

    take_off = message_action(teams_rig, SAM, room, pressed="take_off")
    status, answer = await invoke(teams_rig, take_off)
    assert status == 200 and shown(answer) == TAKEN_OFF.format(key=KEY)
    assert await invoke(teams_rig, take_off) == (status, answer)  # sent again: once
    await invoke(teams_rig, message_action(teams_rig, SAM, room))  # and added again

    export = await exported(teams_rig, tmp_path / "teams.db", monkeypatch, capsys)
    marks = [(e["type"], e["data"].get("text")) for e in export["timeline"] if "pin" in e["type"]]
    text = "Vendor confirmed the cache bug & the fix"
    assert marks == [("pinned", text), ("unpinned", None), ("pinned", text)]


async def test_someone_the_runbook_does_not_name_is_refused_on_the_record(
    teams_rig: TeamsRig,
) -> None:
    teams_rig.connector.add_member(KIM.id, KIM.name, KIM.email, KIM.aad)
    room = await declared(teams_rig)
    add = message_action(teams_rig, KIM, room)
    status, answer = await invoke(teams_rig, add)
    assert status == 200 and shown(answer).startswith("Only people named in the runbook may")
    assert await invoke(teams_rig, add) == (200, answer)  # sent again: refused again, not twice
    incident = await teams_rig.deps.store.load(KEY)
    assert incident is not None
    assert not [e for e in incident.events if e.type == "pinned"]
    (refused,) = [e for e in incident.events if e.type == "refused"]
    assert refused.actor.name == "Kim Novak" and refused.data["said"] == shown(answer)


async def test_outside_an_incident_room_it_says_so_and_changes_nothing(
    teams_rig: TeamsRig,
) -> None:
    await declared(teams_rig)
    before = await teams_rig.deps.store.load(KEY)
    asked = await invoke(teams_rig, message_action(teams_rig, SAM, POST, FETCH_TASK))
    added = await invoke(teams_rig, message_action(teams_rig, SAM, POST))
    assert asked[0] == added[0] == 200 and shown(asked[1]) == shown(added[1]) == NOT_A_ROOM
    after = await teams_rig.deps.store.load(KEY)
    assert before is not None and after is not None and after.events == before.events


async def test_the_bots_own_message_is_not_added(teams_rig: TeamsRig) -> None:
    room = await declared(teams_rig)
    add = message_action(teams_rig, SAM, room)
    app = {"applicationIdentityType": "bot", "id": "app-ai-incident", "displayName": "AI Incident"}
    add["value"]["messagePayload"]["from"] |= {"user": None, "application": app}
    assert shown((await invoke(teams_rig, add))[1]) == NOT_A_PERSON
    incident = await teams_rig.deps.store.load(KEY)
    assert incident is not None and not [e for e in incident.events if e.type == "pinned"]


async def test_an_add_that_takes_longer_is_answered_at_once_and_recorded(
    connector: FakeConnector, runbook: Runbook, tmp_path: Path
) -> None:
    async with running(connector, teams_runbook(runbook), tmp_path, within_s=0) as rig:
        room = await declared(rig)
        status, answer = await invoke(rig, message_action(rig, SAM, room))
        assert status == 200
        assert shown(answer) == BEING_ADDED.format(key=KEY)
        incident = await rig.deps.store.load(KEY)
        assert incident is not None and [e for e in incident.events if e.type == "pinned"]


async def test_a_late_refusal_is_said_in_the_thread(
    connector: FakeConnector, runbook: Runbook, tmp_path: Path
) -> None:
    connector.add_member(KIM.id, KIM.name, KIM.email, KIM.aad)
    async with running(connector, teams_runbook(runbook), tmp_path, within_s=0) as rig:
        room = await declared(rig)
        await invoke(rig, message_action(rig, KIM, room))
        assert "Only people named in the runbook may" in rig.tenant.said(room)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"commandId": "somethingElse"}, "No command of this app"),
        ({"data": {"timeline": "remove"}}, "No dialog of this app"),
        ({"messagePayload": None}, "without the message"),
    ],
)
async def test_a_message_action_no_dialog_of_ours_sends_is_refused(
    teams_rig: TeamsRig, change: dict[str, Any], why: str
) -> None:
    room = await declared(teams_rig)
    add = message_action(teams_rig, SAM, room)
    add["value"] |= change
    status, body = await invoke(teams_rig, add)
    assert status == 400 and why in body["error"]


@pytest.fixture
async def rig(
    connector: FakeConnector, runbook: Runbook, tmp_path: Path, sharepoint: FakeSharePoint
) -> AsyncIterator[TeamsRig]:
    book = teams_runbook(runbook)
    async with running(connector, book, tmp_path, files=(sharepoint.origin,)) as made:
        yield made


async def test_files_are_hashed_where_teams_gives_their_bytes_else_linked(
    rig: TeamsRig, sharepoint: FakeSharePoint
) -> None:
    room = await declared(rig)
    picture = "https://graph.microsoft.com/v1.0/chats/x/messages/1/hostedContents/a/$value"
    add = message_action(rig, SAM, room, html=f'<p>The page as sent</p><img src="{picture}?t=1">')
    info = {"downloadUrl": sharepoint.origin + "/download/a", "fileType": "pdf"}
    reference = "https://hv.sharepoint.com/sites/ir/Shared%20Documents/log.txt"
    add["value"]["messagePayload"]["attachments"] = [
        {"contentType": FILE_INFO, "name": "acme-q1.pdf", "content": info},
        {
            "id": "5d1c",
            "contentType": "reference",
            "contentUrl": reference + "?web=1",
            "content": None,
            "name": "log.txt",
            "thumbnailUrl": None,
        },
    ]
    assert (await invoke(rig, add))[0] == 200
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    (pin,) = [e for e in incident.events if e.type == "pinned"]
    assert pin.data["text"] == "The page as sent\n[image]"
    assert pin.data["files"] == [
        f"acme-q1.pdf (sha256 {hashlib.sha256(ORIGINAL).hexdigest()})",
        f"log.txt ({reference})",
        f"a picture in the message ({picture})",
    ]
    assert sharepoint.authorizations == [""]  # the bot's token never goes to the file host
