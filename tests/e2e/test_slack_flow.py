"""The whole incident over Slack: signed requests to the running server, the fake Web API
behind it, buttons clicked from the blocks the bot posted and the modals it opened."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import timedelta

from bot.tick import tick
from tests.e2e.slack_driver import buttons, text_of
from tests.e2e.slack_rig import (
    ALEX,
    CHANNEL,
    KEY,
    LEE,
    PRIYA,
    SAM,
    T0,
    TITLE,
    Rig,
    acknowledged,
    classified,
    closed,
    contained,
    declared,
    rig,
    slack,
)
from tests.fakes.clock import FakeClock
from tests.fakes.slack_api import DOWNLOAD, UPLOAD

__all__ = ["rig", "slack"]  # fixtures
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- the whole flow ---------------------------------------------------------------------


async def test_declare_opens_a_private_channel_invites_and_pins_the_card(rig: Rig) -> None:
    room = await declared(rig)
    channel = rig.slack.channels[room]
    assert (channel.name, channel.is_private) == (CHANNEL, True)
    assert {LEE, SAM, "UBOT"} <= channel.members and PRIYA not in channel.members
    assert channel.topic.startswith(f"{KEY} · {TITLE}")
    card = rig.ws.messages(room)[[m.ts for m in rig.ws.messages(room)].index(channel.pins[0])]
    assert f"*{KEY}: {TITLE}*" in text_of(card)
    said = rig.ws.said(room)
    assert "I could not invite Priya Shah (cant_invite)" in said
    assert "Paging <@U0SAMOKAFOR> (incident lead, attempt 1)" in said
    assert "Turn off AI drafts for all users" in said
    assert f"Declared {KEY}: <#{room}>" in rig.ws.told(LEE)


async def test_the_lead_acknowledges_and_everyone_sees_who_and_when(rig: Rig) -> None:
    await declared(rig)
    before = len(rig.ws.messages(rig.room))
    await acknowledged(rig)
    paged = next(m for m in rig.ws.messages(rig.room) if "Paging <@U0SAMOKAFOR>" in text_of(m))
    assert buttons(paged) == [] and paged.updated == 1
    assert "Acknowledged by <@U0SAMOKAFOR> at <!date^" in text_of(paged)
    # The click's confirmation is the clicked message itself and the card: nothing new posted.
    assert len(rig.ws.messages(rig.room)) == before
    card = next(m for m in rig.ws.messages(rig.room) if "Next:" in text_of(m))
    assert "acknowledge the page" not in text_of(card) and card.updated >= 1


async def test_a_second_click_on_acknowledge_changes_nothing(rig: Rig) -> None:
    await declared(rig)
    paged = copy.deepcopy(rig.ws.message_with(rig.room, "ack:incident_lead"))
    await rig.ws.click(SAM, paged, "ack:incident_lead")
    await rig.ws.click(SAM, paged, "ack:incident_lead")  # a screen not yet refreshed
    incident = await rig.deps.store.load(KEY)
    assert (
        incident is not None and len([e for e in incident.events if e.type == "acknowledged"]) == 1
    )
    assert "Already acknowledged by Sam Okafor." in rig.ws.told(SAM)


async def test_containment_steps_update_in_place_and_open_classification(rig: Rig) -> None:
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    checklist = next(m for m in rig.ws.messages(rig.room) if "Who can switch it off" in text_of(m))
    assert buttons(checklist) == [] and "not possible: The vendor holds the key" in text_of(
        checklist
    )
    assert "Phase: containment → classification" in rig.ws.said(rig.room)
    assert rig.ws.message_with(rig.room, "classify:Q1:unsure")


async def test_answers_show_who_and_when_and_start_the_clocks(rig: Rig) -> None:
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    await classified(rig)
    q3 = rig.ws.message_with(rig.room, "classify:Q3:yes")
    assert "*unsure* — Alex Morgan, <!date^" in text_of(q3) and q3.updated >= 1
    labels = [b["text"]["text"] for b in buttons(q3)]
    assert [t for t in labels if t.startswith("Q3:")] == ["Q3: Change to yes", "Q3: Change to no"]
    ico = rig.ws.message_with(rig.room, "obligation:ico_art33:done")
    due = T0 + 72 * 3600
    assert f"<!date^{due}^{{date_short_pretty}} {{time}}|Sun 29 Mar 2026 16:30 BST>" in text_of(ico)
    assert "owner Alex Morgan" in text_of(ico)
    assert ALEX in rig.slack.channels[rig.room].members  # the DPO, paged by Q1, is invited
    incident = await rig.deps.store.load(KEY)
    assert incident is not None  # "controller" stopped the Art 33(2) clock: it asked why
    assert incident.answers["Q5"].reason == "Q5: ruled out"
    assert incident.obligations["controller_art33_2"].status == "waived"


async def test_evidence_by_command_checklist_and_shared_file(rig: Rig) -> None:
    await declared(rig)
    await rig.ws.command(SAM, rig.room, "evidence https://vendor.example/audit/123")
    assert "Evidence recorded on AI-2026-0001 (link, not retrieved; its text's sha256 " in (
        rig.ws.told(SAM)
    )
    await rig.ws.command(SAM, rig.room, "evidence")
    checklist = [
        m for m in rig.slack.ephemerals if any(b["action_id"] == "evidence:E4" for b in buttons(m))
    ][-1]
    await rig.ws.click(SAM, checklist, "evidence:E4")
    await rig.ws.submit(SAM, rig.ws.opened(SAM), {"text": "Prompts exported to the case folder"})
    content = b'{"trace": "Acme report, Brightside rows"}'
    rig.slack.add_file("F0TRACE", "trace.json", content, SAM, rig.room)
    event = {
        "type": "file_shared",
        "file_id": "F0TRACE",
        "user_id": SAM,
        "file": {"id": "F0TRACE"},
        "channel_id": rig.room,
        "event_ts": "1711467000.000200",
    }
    assert (await rig.ws.event(event, "Ev0FILE")).status == 200
    assert (await rig.ws.event(event, "Ev0FILE", retry=1)).status == 200  # Slack's retry
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    shared = [e for e in incident.evidence if e.source == "slack-file"]
    assert [(e.filename, e.sha256, e.size, e.by.name) for e in shared] == [
        ("trace.json", hashlib.sha256(content).hexdigest(), len(content), "Sam Okafor")
    ]
    assert [e.item for e in incident.evidence] == [None, "E4", None]
    assert rig.slack.count(DOWNLOAD) == 1
    assert incident.evidence[0].link and not incident.evidence[2].link
    kept = rig.records / shared[0].stored
    assert shared[0].content_type == "application/json" and kept.read_bytes() == content
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == shared[0].sha256


async def test_a_file_the_bot_itself_shares_is_not_recorded_as_evidence(rig: Rig) -> None:
    await declared(rig)
    bot = rig.slack.state.bot_user_id
    rig.slack.add_file("F0PIC", "timeline.png", b"\x89PNG", bot, rig.room)
    event = {
        "type": "file_shared",
        "file_id": "F0PIC",
        "user_id": bot,
        "file": {"id": "F0PIC"},
        "channel_id": rig.room,
        "event_ts": "1711467000.000300",
    }
    assert (await rig.ws.event(event, "Ev0PIC")).status == 200
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.evidence == ()
    assert rig.slack.count(DOWNLOAD) == 0


async def test_close_is_refused_on_the_form_then_closes_with_the_summary(rig: Rig) -> None:
    refused = await closed(rig)
    assert refused.json()["response_action"] == "errors"
    assert "re-enable criterion not confirmed" in refused.json()["errors"]["reenable"]
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.closed_at is not None
    assert incident.closing["regression"] == {"must_contain": ["Acme"]}
    summary = rig.ws.said(rig.room)
    assert (
        f"{KEY} closed: {TITLE}" in summary
        and "Root cause: Cache keyed without client id" in summary
    )
    scheduled = [r.kind for r in await rig.deps.store.reminders(KEY) if r.status == "scheduled"]
    assert sorted(scheduled) == ["archive", "records"]


async def test_the_close_summary_is_followed_by_the_timeline_picture_in_the_channel(
    rig: Rig,
) -> None:
    await closed(rig)
    (picture,) = rig.slack.files.values()
    assert picture.channels == [rig.room] and picture.user == "UBOT"
    assert (picture.name, picture.title) == (f"{KEY}-timeline.png", f"{KEY} timeline")
    assert picture.content.startswith(PNG_SIGNATURE)
    begun = next(c for c in rig.slack.calls if c.method == "files.getUploadURLExternal")
    assert begun.params["length"] == str(len(picture.content))
    assert [c.ok for c in rig.slack.calls if c.method == UPLOAD] == [True]


async def test_a_failed_upload_keeps_the_summary_and_loses_only_the_picture(rig: Rig) -> None:
    rig.slack.fail("files.completeUploadExternal", "not_in_channel")
    await closed(rig)
    assert f"{KEY} closed: {TITLE}" in rig.ws.said(rig.room)
    assert rig.slack.files == {}
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.closed_at is not None


async def test_the_channel_is_archived_the_runbooks_delay_after_close(rig: Rig) -> None:
    await closed(rig)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.closed_at is not None
    assert isinstance(rig.deps.clock, FakeClock)
    rig.deps.clock.set(incident.closed_at + timedelta(days=30) - timedelta(seconds=1))
    await tick(rig.deps)
    assert not rig.slack.channels[rig.room].is_archived
    rig.deps.clock.advance(timedelta(seconds=1))
    await tick(rig.deps)
    await tick(rig.deps)
    assert rig.slack.channels[rig.room].is_archived
    assert rig.slack.count("conversations.archive") == 1


async def test_a_channel_someone_archived_already_counts_as_archived(rig: Rig) -> None:
    await closed(rig)
    rig.slack.channels[rig.room].is_archived = True  # archived by hand in Slack
    assert isinstance(rig.deps.clock, FakeClock)
    rig.deps.clock.advance(timedelta(days=31))
    await tick(rig.deps)
    [archive] = [r for r in await rig.deps.store.reminders(KEY) if r.kind == "archive"]
    assert (archive.status, archive.last_error) == ("sent", "")


# --- commands ----------------------------------------------------------------------------


async def test_status_in_the_channel_shows_phase_clocks_and_open_items(rig: Rig) -> None:
    await declared(rig)
    await rig.ws.command(SAM, rig.room, "status")
    told = rig.ws.told(SAM)
    assert f"{KEY} status" in told and "Phase: containment" in told and "Open items:" in told


async def test_an_unknown_key_is_answered_only_to_the_asker(rig: Rig) -> None:
    answer = await rig.ws.command(SAM, rig.general, "status AI-2026-0099")
    assert (answer.status, answer.body) == (200, "")
    assert "There is no incident AI-2026-0099." in rig.ws.told(SAM)
    assert rig.ws.messages(rig.general) == []


async def test_list_help_and_runbook_answer_anywhere(rig: Rig) -> None:
    await declared(rig)
    await rig.ws.command(SAM, rig.general, "list")
    await rig.ws.command(SAM, rig.general, "frobnicate")
    await rig.ws.command(SAM, rig.general, "runbook")
    told = rig.ws.told(SAM)
    assert f"{KEY}: {TITLE} — containment" in told and f"<#{rig.room}>" in told
    assert "Unknown command 'frobnicate'." in told and "/ai-incident status [KEY]" in told
    assert "Harbour &amp; Vale Advisory LLP" in told


async def test_a_taken_name_even_archived_gets_a_suffix(rig: Rig) -> None:
    rig.slack.add_channel(CHANNEL, is_archived=True)
    room = await declared(rig)
    assert rig.slack.channels[room].name == f"{CHANNEL}-2"


async def test_an_awareness_time_in_the_future_is_refused_on_the_form(rig: Rig) -> None:
    await rig.ws.command(LEE, rig.general, f"declare {TITLE}")
    answers = {"system": "drafting-assistant", "failure_type": "other", "aware_at": T0 + 86400}
    refused = await rig.ws.submit(LEE, rig.ws.opened(LEE), answers)
    assert refused.json() == {
        "response_action": "errors",
        "errors": {"aware_at": "The time we became aware cannot be in the future."},
    }
    assert await rig.deps.store.list_incidents() == []


async def test_ack_note_and_aware_by_command_from_the_channel(rig: Rig) -> None:
    await declared(rig)
    await rig.ws.command(SAM, rig.room, "ack")
    await rig.ws.command(
        SAM, rig.room, "note Cache bug &amp; fix &lt;confirmed&gt;"
    )  # as Slack sends
    await rig.ws.command(SAM, rig.room, "aware 2026-03-26T14:00+00:00 Client emailed earlier")
    told = rig.ws.told(SAM)
    assert f"You are the incident lead for {KEY}." in told
    assert f"Note added to the timeline of {KEY}." in told
    assert f"T0 of {KEY} is now <!date^{T0 - 5400}^" in told
    assert "Sam Okafor corrected T0 to" in rig.ws.said(rig.room)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.owner == "sam"
    notes = [e.data["text"] for e in incident.events if e.type == "note"]
    assert notes == ["Cache bug & fix <confirmed>"]


async def test_tokens_typed_into_evidence_are_shown_as_typed_and_ping_nobody(rig: Rig) -> None:
    await declared(rig)
    await rig.ws.command(SAM, rig.room, "evidence {@priya} has the logs")
    said = rig.ws.said(rig.room)
    assert "{@priya} has the logs" in said and "<@U0PRIYA> has the logs" not in said


async def test_the_lead_hands_over_by_command(rig: Rig) -> None:
    await declared(rig)
    await rig.ws.command(SAM, rig.room, "ack")
    await rig.ws.command(SAM, rig.room, "handover @Priya Shah off shift until Monday")
    assert f"Priya Shah now leads {KEY}." in rig.ws.told(SAM)
    said = rig.ws.said(rig.room)
    assert f"<@U0PRIYA> now leads {KEY}, taking over from <@U0SAMOKAFOR>" in said
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.owner == "priya"


async def test_commands_elsewhere_take_the_key_and_refusals_say_why(rig: Rig) -> None:
    await declared(rig)
    await rig.ws.command(ALEX, rig.general, "note no key here")
    await rig.ws.command(ALEX, rig.general, f"ack {KEY}")
    await rig.ws.command(ALEX, rig.general, f"note {KEY} " + "x" * 3001)
    told = rig.ws.told(ALEX)
    assert "Outside an incident channel, put the incident's key first" in told
    assert "Only the incident lead chain (Sam Okafor, Priya Shah) may acknowledge." in told
    assert "The note's text is 3001 characters; the limit is 3000." in told


async def test_no_ack_within_the_timeout_pages_the_next_in_the_chain(rig: Rig) -> None:
    await declared(rig)
    assert isinstance(rig.deps.clock, FakeClock)
    rig.deps.clock.advance(timedelta(minutes=16))
    await tick(rig.deps)
    said = rig.ws.said(rig.room)
    assert "Paging <@U0PRIYA> (incident lead, attempt 2)" in said
    failed = [m for m in rig.ws.messages(rig.room) if "could not invite Priya" in m.text]
    assert len(failed) == 1  # said once, at declare; not again on her page
    assert len([m for m in rig.ws.messages(rig.room) if buttons(m)]) >= 2


async def test_a_no_that_keeps_the_people_from_being_told_asks_why_before_it_counts(
    rig: Rig,
) -> None:
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    for question in ("Q1", "Q2", "Q3"):
        action = f"classify:{question}:yes"
        await rig.ws.click(ALEX, rig.ws.message_with(rig.room, action), action)
    await rig.ws.click(ALEX, rig.ws.message_with(rig.room, "classify:Q4:no"), "classify:Q4:no")
    asking = rig.ws.opened(ALEX)
    said = json.dumps(asking.view["blocks"], ensure_ascii=False)
    assert "Please give a reason: this answer decides the affected people won't be told." in said
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and "Q4" not in incident.answers  # nothing decided yet
    await rig.ws.submit(ALEX, asking, {"text": "Revenue figures only; no one is at high risk"})
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and "data_subjects_art34" not in incident.obligations
    q4 = incident.answers["Q4"]
    assert (q4.value, q4.by.name) == ("no", "Alex Morgan")
    assert q4.reason == "Revenue figures only; no one is at high risk"
    [answered] = [e for e in incident.events if e.type == "answered" and e.data["question"] == "Q4"]
    assert answered.data["prevents"] == ["data_subjects_art34"]


async def test_someone_who_may_not_decide_only_proposes_the_no_and_is_asked_nothing(
    rig: Rig,
) -> None:
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    for question in ("Q1", "Q2"):
        action = f"classify:{question}:yes"
        await rig.ws.click(ALEX, rig.ws.message_with(rig.room, action), action)
    before = len(rig.slack.views)
    await rig.ws.click(SAM, rig.ws.message_with(rig.room, "classify:Q3:no"), "classify:Q3:no")
    assert len(rig.slack.views) == before  # a proposal decides nothing, so needs no reason
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and "Q3" not in incident.answers
    assert incident.proposed["Q3"].value == "no"
    await rig.ws.click(ALEX, rig.ws.message_with(rig.room, "classify:Q3:no"), "classify:Q3:no")
    said = json.dumps(rig.ws.opened(ALEX).view["blocks"], ensure_ascii=False)
    assert "this answer decides the ICO and the affected people won't be told." in said
