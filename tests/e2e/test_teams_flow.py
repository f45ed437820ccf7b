"""The whole incident over Teams: activities shaped as Teams sends them, to the running
server, the fake connector behind it, buttons pressed from the cards the bot sent."""

from __future__ import annotations

import base64
from datetime import timedelta

from bot.tick import tick
from tests.e2e.teams_driver import CHANNEL, User, actions, text_of
from tests.e2e.teams_rig import (
    ALEX,
    DECLARED,
    KEY,
    LEE,
    POST,
    PRIYA,
    SAM,
    TITLE,
    TOKEN,
    TeamsRig,
    acknowledged,
    classified,
    connector,
    contained,
    declared,
    teams_rig,
)

__all__ = ["connector", "teams_rig"]  # fixtures


async def test_declare_shows_a_form_then_opens_a_thread_with_the_card(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    room = await declared(rig)
    assert room.startswith(f"{CHANNEL};messageid=")
    (thread,) = rig.connector.threads
    assert thread["channelData"]["channel"]["id"] == CHANNEL and thread["isGroup"] is True
    root = rig.tenant.messages(room)[0]
    assert f"{KEY}: {TITLE}" in text_of(root) and root.updates >= 1  # the card, kept current
    form = rig.tenant.messages(POST)[0]
    assert form.updates == 1 and f"Declared {KEY}: {TITLE}" in text_of(form)
    said = rig.tenant.said(room)
    assert "Turn off AI drafts for all users" in said


async def test_owners_are_paged_with_a_real_mention(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await declared(rig)
    page = rig.tenant.with_action(rig.room, "ack:incident_lead")
    assert "Paging <at>Sam Okafor</at> (incident lead, attempt 1)" in text_of(page)
    (entity,) = page.cards[0]["msteams"]["entities"]
    assert entity == {
        "type": "mention",
        "text": "<at>Sam Okafor</at>",
        "mentioned": {"id": SAM.id, "name": "Sam Okafor"},
    }


async def test_the_lead_acknowledges_and_the_page_is_updated_in_place(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await declared(rig)
    before = len(rig.tenant.messages(rig.room))
    await acknowledged(rig)
    page = next(m for m in rig.tenant.messages(rig.room) if "Paging <at>Sam" in text_of(m))
    assert page.updates == 1 and list(actions(page.cards)) == []
    assert "Acknowledged by <at>Sam Okafor</at> at Thu 26 Mar 2026 15:40 GMT" in text_of(page)
    # The click's confirmation is the clicked card itself: nothing new is posted.
    assert len(rig.tenant.messages(rig.room)) == before
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.owner == "sam"
    ack = next(e for e in incident.events if e.type == "acknowledged")
    assert ack.actor.id == "teams:aad-sam"


async def test_contain_classify_and_the_clocks(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    checklist = next(m for m in rig.tenant.messages(rig.room) if "Who can switch" in text_of(m))
    assert "not possible: The vendor holds the key" in text_of(checklist)
    assert "Phase: containment → classification" in rig.tenant.said(rig.room)
    await classified(rig)
    q3 = rig.tenant.with_action(rig.room, "classify:Q3:yes")
    assert "**unsure** — Alex Morgan, Thu 26 Mar 2026 15:40 GMT" in text_of(q3)  # strong in Teams
    assert q3.updates >= 1
    ico = rig.tenant.with_action(rig.room, "obligation:ico_art33:done")
    assert "due Sun 29 Mar 2026 16:30 BST" in text_of(ico)
    assert "owner Alex Morgan" in text_of(ico)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.answers["Q5"].reason == "Q5: ruled out"
    assert incident.obligations["controller_art33_2"].status == "waived"


async def test_evidence_reminder_and_close(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    await classified(rig)
    await rig.tenant.say(SAM, rig.room, "evidence https://vendor.example/audit/123")
    said = rig.tenant.said(rig.room)
    assert "Evidence recorded on AI-2026-0001 (link, not retrieved; its text's sha256 " in said
    before = len(rig.tenant.messages(rig.room))
    rig.deps.clock.advance(timedelta(hours=24))  # type: ignore[attr-defined]
    assert await tick(rig.deps) >= 1  # proactive: nobody spoke in Teams
    reminded = "\n".join(text_of(m) for m in rig.tenant.messages(rig.room)[before:])
    assert "Reminder: ICO" in reminded or "Reminder:" in reminded
    for clock in ("ico_art33", "cyber_insurer", "client_contract_acme", "pi_insurer"):
        action = f"obligation:{clock}:done"
        card = rig.tenant.with_action(rig.room, action)
        await rig.tenant.click(ALEX, card, action, f"{clock} told, ref 77")
    await rig.tenant.say(SAM, rig.room, "close")
    form = rig.tenant.last(rig.room)
    answers = {
        "root_cause": "Cache keyed without client id",
        "failure_type": "context_leakage",
        "lessons": "Key caches by client",
        "must_contain": "Acme",
    }
    await rig.tenant.fill(SAM, form, answers)
    assert "re-enable criterion not confirmed" in text_of(form) and form.updates == 1
    every = ",".join(str(i) for i in range(len(rig.deps.runbook.reenable_criteria)))
    await rig.tenant.fill(SAM, form, answers | {"reenable": every})
    # The managing partner's sign-off is hers alone to tick: Sam is refused, Priya closes.
    signoff = "Only Priya Shah (Managing Partner) may confirm 'Sign-off by the managing partner'"
    assert signoff in text_of(form)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.closed_at is None
    await rig.tenant.fill(PRIYA, form, answers | {"reenable": every})
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.closed_at is not None
    assert f"Closed {KEY} by Priya Shah." in text_of(form)
    said = rig.tenant.said(rig.room)
    assert f"{KEY} closed: {TITLE}" in said and "Root cause: Cache keyed without client id" in said
    (picture,) = [i for m in rig.tenant.messages(rig.room) for i in m.images]
    assert (picture["contentType"], picture["name"]) == ("image/png", f"{KEY}-timeline.png")
    data = picture["contentUrl"].removeprefix("data:image/png;base64,")
    assert base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n")
    assert all(c.authorization == f"Bearer {TOKEN}" for c in rig.connector.calls)


async def test_the_lead_hands_over_by_mention(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await declared(rig)
    await acknowledged(rig)
    await rig.tenant.say(SAM, rig.room, "handover @Priya Shah going home", mentioning=(PRIYA,))
    said = rig.tenant.said(rig.room)
    assert f"Priya Shah now leads {KEY}." in said
    assert f"<at>Priya Shah</at> now leads {KEY}, taking over from <at>Sam Okafor</at>" in said
    assert "(going home)" in said
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.owner == "priya"


async def test_declared_from_a_personal_chat_the_room_is_still_the_incidents_channel(
    teams_rig: TeamsRig,
) -> None:
    rig = teams_rig
    await rig.tenant.say(LEE, POST, "help")  # the app is in the team: Teams knows the channel
    status, chat = await rig.tenant.say_personally(LEE, f"declare {TITLE}")
    assert status == 202
    form = rig.tenant.last(chat)
    assert await rig.tenant.fill(LEE, form, DECLARED) == 200

    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.room is not None
    assert incident.room.id.startswith(f"{CHANNEL};messageid=")
    assert f"Declared {KEY}: {TITLE}" in text_of(rig.tenant.last(chat))
    await rig.tenant.say_personally(LEE, "status")  # outside the thread: the key is asked for
    assert "put the incident's key first" in rig.tenant.said(chat)


async def test_nobody_acknowledging_pages_the_next_in_the_chain(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await declared(rig)
    rig.deps.clock.advance(rig.deps.runbook.escalation.ack_timeout + timedelta(minutes=1))  # type: ignore[attr-defined]
    await tick(rig.deps)
    page = rig.tenant.with_action(rig.room, "ack:incident_lead")
    assert "Paging <at>Priya Shah</at> (incident lead, attempt 2)" in text_of(page)
    (entity,) = page.cards[0]["msteams"]["entities"]
    assert entity["mentioned"] == {"id": PRIYA.id, "name": "Priya Shah"}


async def test_a_stranger_in_teams_changes_and_reads_nothing(teams_rig: TeamsRig) -> None:
    """Someone in the tenant the runbook does not name: each change is refused and kept on
    the record as a refused attempt; a read is refused without the title or a deadline."""
    rig = teams_rig
    jo = User("29:1jo", "Jo Bloggs", "aad-jo", "jo@elsewhere.example")
    rig.connector.add_member(jo.id, jo.name, jo.email, jo.aad)
    room = await declared(rig)
    await acknowledged(rig)
    before = await rig.deps.store.load(KEY)
    assert before is not None
    for typed in ("note I was here", "evidence a link", "aware 2026-03-26T14:00+00:00 x"):
        await rig.tenant.say(jo, room, typed)
    after = await rig.deps.store.load(KEY)
    assert after is not None and after.events[: len(before.events)] == before.events
    added = after.events[len(before.events) :]
    assert [e.type for e in added] == ["refused"] * 3
    assert all(e.actor.name == "Jo Bloggs" and e.actor.person_id is None for e in added)
    post = f"{CHANNEL};messageid=1774539609999"  # another thread in the channel
    shown = len(rig.tenant.messages(post))
    await rig.tenant.say(jo, post, f"status {KEY}")
    said = "\n".join(text_of(m) for m in rig.tenant.messages(post)[shown:])
    assert "Only people named in the runbook" in said
    assert TITLE not in said and "due" not in said


async def test_a_no_that_keeps_the_ico_from_being_told_asks_why_on_a_form_first(
    teams_rig: TeamsRig,
) -> None:
    rig = teams_rig
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    for question in ("Q1", "Q2"):
        action = f"classify:{question}:yes"
        await rig.tenant.click(ALEX, rig.tenant.with_action(rig.room, action), action)
    before = len(rig.tenant.messages(rig.room))
    action = "classify:Q3:no"
    await rig.tenant.click(ALEX, rig.tenant.with_action(rig.room, action), action)
    [asking] = [
        m for m in rig.tenant.messages(rig.room)[before:] if "Please give a reason" in text_of(m)
    ]
    assert "this answer decides the ICO and the affected people won't be told." in text_of(asking)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and "Q3" not in incident.answers  # nothing decided yet
    await rig.tenant.click(ALEX, asking, action, "Business figures only; no one identifiable")
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and "ico_art33" not in incident.obligations
    q3 = incident.answers["Q3"]
    assert (q3.value, q3.by.name, q3.reason) == (
        "no",
        "Alex Morgan",
        "Business figures only; no one identifiable",
    )
    [answered] = [e for e in incident.events if e.type == "answered" and e.data["question"] == "Q3"]
    assert answered.data["prevents"] == ["ico_art33", "data_subjects_art34"]
