"""The local web chat driven as a person in a browser would: read the page, submit its forms."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.papers.drafts import ART33_3
from bot.permissions import REGULATOR
from bot.ports import IncidentStore
from bot.runbook import Runbook
from bot.service import Deps
from bot.tokens import mention
from handlers.web.chat import OffsetClock, WebChat
from handlers.web.routes import add_web_chat
from tests.conftest import SEED_T0
from tests.fakes.clock import FakeClock

TITLE = "Report shows another client's figures"
CARD = f"AI-2026-0001: {TITLE}"
ROOM = "web-ai-2026-0001"
# The seed case's answers: they start the ICO's 72-hour clock, reminded at 24 hours.
SEED_ANSWERS = (("Q1", "Unsure"), ("Q2", "Yes"), ("Q3", "Unsure"), ("Q7", "Yes"), ("Q8", "Yes"))


@dataclass
class PageForm:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # label, name, value
    checkboxes: list[tuple[str, str]] = field(default_factory=list)


class Forms(HTMLParser):
    """The forms a page shows: hidden fields, buttons and checkboxes, as a browser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[PageForm] = []
        self._button: dict[str, str] | None = None
        self._label = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(PageForm(a["action"]))
        elif tag == "input" and a.get("type") == "hidden":
            self.forms[-1].fields[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") == "checkbox":
            self.forms[-1].checkboxes.append((a["name"], a["value"]))
        elif tag == "button":
            self._button, self._label = a, ""

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._label += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None:
            b = self._button
            self.forms[-1].buttons.append(
                (self._label.strip(), b.get("name", ""), b.get("value", ""))
            )
            self._button = None


def form_with(html: str, label: str) -> tuple[PageForm, dict[str, str]]:
    """The form holding the button labelled `label`, with that button's own name/value."""
    for form in Forms(html).forms:
        for text, name, value in form.buttons:
            if text == label:
                return form, ({name: value} if name else {})
    raise AssertionError(f"no button {label!r} on the page")


@dataclass
class Browser:
    client: TestClient[web.Request, web.Application]
    chat: WebChat
    store: IncidentStore
    clock: OffsetClock
    page: str = ""

    async def open(self, room: str = "lobby") -> str:
        response = await self.client.get("/", params={"room": room})
        assert response.status == 200
        self.page = await response.text()
        return self.page

    async def press(self, label: str, **typed: str) -> str:
        """Submit the form of the button labelled `label` on the current page."""
        form, button = form_with(self.page, label)
        response = await self.client.post(form.action, data={**form.fields, **button, **typed})
        assert response.status == 200, await response.text()
        self.page = await response.text()
        return self.page

    async def command(self, text: str) -> str:
        return await self.press("Send", text=text)

    async def declare(self, title: str = TITLE, system: str = "drafting-assistant") -> str:
        await self.open()
        return await self.press(
            "Declare",
            title=title,
            system=system,
            noticed="Acme's Q1 report shows Brightside's revenue",
            aware_at="2026-03-26T15:30",  # Europe/London wall clock: GMT, so 15:30 UTC
            failure_type="context_leakage",
        )

    async def contain_all(self) -> str:
        for step in range(1, 5):
            await self.press(f"{step}: Done")
        return self.page


@pytest.fixture
async def browser(
    runbook: Runbook, store: IncidentStore, clock: FakeClock
) -> AsyncIterator[Browser]:
    chat, offset = WebChat(runbook), OffsetClock(clock)
    app = web.Application()
    add_web_chat(app, Deps(runbook, store, chat, offset), chat, offset)
    async with TestClient(TestServer(app)) as client:
        yield Browser(client, chat, store, offset)


async def test_declaring_through_the_form_opens_a_room_with_card_checklist_and_page(
    browser: Browser,
) -> None:
    page = await browser.declare()
    assert CARD in unescape(page)
    assert "Turn off AI drafts for all users" in unescape(page)
    assert "Paging @Sam Okafor (incident lead, attempt 1)" in unescape(page)
    assert "Thu 26 Mar 2026 15:30 GMT" in unescape(page)  # T0 shown in the firm's zone
    room = browser.chat.rooms[ROOM]
    assert room.name == "aiinc-20260326-report-shows-another-client-s-figures"
    assert [m.notice.kind for m in room.messages if m.notice] == ["card", "containment", "page"]


async def test_acknowledge_says_who_acknowledged_and_updates_the_card(browser: Browser) -> None:
    await browser.declare()
    page = await browser.press("Acknowledge")
    # The click's confirmation is the page message itself, updated in place; nothing posted.
    assert "Acknowledged by @Sam Okafor at Thu 26 Mar 2026" in unescape(page)
    said = [m.notice.kind for m in browser.chat.rooms[ROOM].messages if m.notice]
    assert said == ["card", "containment", "page"]
    card = browser.chat.rooms[ROOM].messages[0]
    assert card.updates >= 1  # in place, never posted again
    assert ("Lead", mention("sam")) in card.view.fields


async def test_finishing_containment_brings_the_classification_questions(
    browser: Browser,
) -> None:
    await browser.declare()
    page = await browser.contain_all()
    assert "Phase: containment → classification" in unescape(page)
    assert "Q1. Does it involve information about identifiable living people?" in unescape(page)


async def test_an_answer_shows_with_who_gave_it(browser: Browser) -> None:
    await browser.declare()
    await browser.contain_all()
    page = await browser.press("Q1: Yes")
    # Sam is not the DPO: his answer to the personal-data question is only proposed.
    # shown in place on the questions message, as proposed until its decider confirms it
    assert "Proposed: <strong>yes</strong> — Sam Okafor, " in unescape(page)
    assert "; not decided yet" in unescape(page)
    incident = await browser.store.load("AI-2026-0001")
    assert incident is not None and "Q1" not in incident.answers
    await browser.press("Switch", **{"as": "alex"})
    page = await browser.press("Q1: Yes")
    assert "<strong>yes</strong> — Alex Morgan" in unescape(page)
    incident = await browser.store.load("AI-2026-0001")
    assert incident is not None and incident.answers["Q1"].by.person_id == "alex"


async def test_a_refused_answer_shows_why_and_changes_nothing(browser: Browser) -> None:
    await browser.declare()
    await browser.contain_all()
    await browser.declare("Assistant emailed the wrong client", "email-assistant")
    page = await browser.open("web-ai-2026-0002")
    before = await browser.store.load("AI-2026-0002")
    form, _ = form_with(page, "Acknowledge")  # the room's hidden fields, as any button has
    data = {**form.fields, "action": "classify:Q1:yes"}
    response = await browser.client.post("/action", data=data, allow_redirects=False)
    assert response.status == 303
    page = await (await browser.client.get(response.headers["Location"])).text()
    assert "Classification opens once the kill switch" in unescape(page)
    after = await browser.store.load("AI-2026-0002")
    assert before is not None and after is not None
    assert len(after.events) == len(before.events) and not after.answers


async def test_fast_forwarding_a_day_posts_the_ico_reminder(browser: Browser) -> None:
    await browser.declare()
    await browser.press("Acknowledge")
    await browser.contain_all()
    for question, label in SEED_ANSWERS:
        await _answer(browser, question, label)
    page = await browser.press("Fast-forward 24h")
    assert "reminder(s) sent" in unescape(page)
    assert "Reminder: Report the breach to the ICO — 1d 23h left." in unescape(page)
    assert browser.clock.now() == SEED_T0 + timedelta(hours=24, minutes=10)


async def _answer(browser: Browser, question: str, label: str) -> None:
    """Answer as the question's decider (the DPO; the compliance principal for the
    regulator questions), then speak as Sam again."""
    decider = "jordan" if question in REGULATOR else "alex"
    for form in Forms(browser.page).forms:
        if form.fields.get("action") == f"classify:{question}:{label.lower()}":
            data = {**form.fields, "as": decider}
            response = await browser.client.post("/action", data=data)
            browser.page = await response.text()
            await browser.press("Switch", **{"as": "sam"})
            return
    raise AssertionError(f"{question} has no {label} button")


async def test_the_page_offers_every_runbook_person_to_speak_as(
    browser: Browser, runbook: Runbook
) -> None:
    page = await browser.open()
    for person in runbook.people:
        assert f'<option value="{person.id}"' in unescape(page)
        assert person.name in unescape(page)
    assert '<option value="sam" selected>' in unescape(page)  # the first incident lead by default


async def test_speaking_as_someone_else_acts_as_them(browser: Browser) -> None:
    await browser.declare()
    await browser.press("Switch", **{"as": "priya"})
    page = await browser.open(ROOM)
    assert '<option value="priya" selected>' in unescape(page)
    page = await browser.press("Acknowledge")
    assert "Acknowledged by @Priya Shah at " in unescape(page)


async def test_a_person_outside_the_chain_is_refused_on_the_page(browser: Browser) -> None:
    await browser.declare()
    await browser.press("Switch", **{"as": "lee"})
    await browser.open(ROOM)
    page = await browser.press("Acknowledge")
    assert "Only the incident lead chain (Sam Okafor, Priya Shah) may acknowledge." in unescape(
        page
    )


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/action", {"key": "AI-2026-0001", "action": "contain:first:done"}),
        ("/action", {"key": "AI-2026-0001", "action": "launch:rockets"}),
        ("/action", {"action": "ack:incident_lead"}),
        ("/declare", {"title": "No system given"}),
        ("/clock", {"hours": "a day"}),
        ("/clock", {"hours": "-5"}),
        ("/command", {}),
        ("/declare", {"title": "t", "system": "s", "failure_type": "x", "aware_at": "soon"}),
        ("/as", {"as": "mallory"}),
    ],
)
async def test_a_malformed_post_is_a_400_with_a_plain_message(
    browser: Browser, path: str, data: dict[str, str]
) -> None:
    await browser.declare()
    response = await browser.client.post(path, data=data, allow_redirects=False)
    assert response.status == 400
    assert response.content_type == "text/plain"
    assert "Traceback" not in await response.text()


async def test_a_json_body_is_a_400_not_a_500(browser: Browser) -> None:
    response = await browser.client.post("/action", json={"action": "ack:incident_lead"})
    assert response.status == 400


async def test_a_post_from_another_site_is_refused(browser: Browser) -> None:
    headers = {"Origin": "https://attacker.example"}
    response = await browser.client.post("/clock", data={"hours": "1"}, headers=headers)
    assert response.status == 403
    assert browser.clock.offset == timedelta(0)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:3000", "127.0.0.1.nip.io"])
async def test_a_dns_rebinding_form_post_is_refused_and_declares_nothing(
    browser: Browser, host: str
) -> None:
    """A page on another site whose name resolves to 127.0.0.1: Host and Origin agree with
    each other, and both name the other site."""
    headers = {"Host": host, "Origin": f"http://{host}"}
    fields = {"as": "sam", "title": "Rebound", "system": "drafting-assistant"}
    fields |= {"failure_type": "other", "aware_at": "2026-03-26T15:30"}
    response = await browser.client.post("/declare", data=fields, headers=headers)
    assert response.status == 421
    assert await browser.store.list_incidents() == []
    page = await browser.client.get("/", headers={"Host": host})
    assert page.status == 421 and "Harbour" not in await page.text()


async def test_every_post_answers_with_a_redirect_back_to_the_room(browser: Browser) -> None:
    await browser.declare()
    form, button = form_with(browser.page, "Acknowledge")
    response = await browser.client.post(
        "/action", data={**form.fields, **button}, allow_redirects=False
    )
    assert response.status == 303
    assert response.headers["Location"] == f"/?room={ROOM}"


async def test_status_in_a_room_shows_phase_clocks_and_open_items(browser: Browser) -> None:
    await browser.declare()
    await browser.contain_all()
    for question, label in SEED_ANSWERS:
        await _answer(browser, question, label)
    page = await browser.command("status")
    assert "AI-2026-0001 status: " in unescape(page)
    assert "Phase: classification" in unescape(page)
    due = "due Sun 29 Mar 2026 16:30 BST = 2026-03-29 15:30 UTC (2d 23h left)"
    assert f"Report the breach to the ICO: {due}" in unescape(page)
    assert "Open items: " in unescape(page)


async def test_someone_in_the_lead_chain_takes_over_by_command(browser: Browser) -> None:
    await browser.declare()  # as Sam, who lands in the incident's room
    await browser.command("ack")
    await browser.press("Switch", **{"as": "priya"})
    page = await browser.command("handover me Sam is unwell")
    said = "@Priya Shah now leads AI-2026-0001, taking over from @Sam Okafor (Sam is unwell)."
    assert said in unescape(page)
    incident = await browser.store.load("AI-2026-0001")
    assert incident is not None and incident.owner == "priya"


async def test_commands_in_the_lobby_need_a_key(browser: Browser) -> None:
    await browser.declare()
    await browser.open()
    page = await browser.command("note Vendor confirmed the cache bug")
    assert "Outside an incident room, put its key first" in unescape(page)
    page = await browser.command("note AI-2026-0001 Vendor confirmed the cache bug")
    assert "Note added to the timeline of AI-2026-0001." in unescape(page)
    incident = await browser.store.load("AI-2026-0001")
    assert incident is not None and incident.events[-1].type == "note"


async def test_declare_command_opens_the_form_with_the_title_filled_in(browser: Browser) -> None:
    await browser.open()
    page = await browser.command("declare Report leak")
    assert 'name="title" maxlength="150" required value="Report leak"' in unescape(page)


async def test_help_list_and_runbook_commands_answer_in_the_room(browser: Browser) -> None:
    await browser.declare()
    await browser.open()
    page = await browser.command("help")
    assert "/ai-incident status [KEY] — phase, clocks with time left, open items" in unescape(page)
    page = await browser.command("list")
    assert f"AI-2026-0001: {TITLE} — containment, lead not yet acknowledged" in unescape(page)
    assert f"AI-2026-0001: {TITLE}" in unescape(page)
    page = await browser.command("runbook")
    assert '<a href="/runbook">Open the runbook</a>' in unescape(page)
    response = await browser.client.get("/runbook")
    assert response.status == 200 and "Harbour &amp; Vale" in await response.text()


async def test_text_people_type_is_escaped(browser: Browser) -> None:
    page = await browser.declare(title="<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


async def test_the_close_form_closes_an_incident_that_needs_no_notice(browser: Browser) -> None:
    await browser.declare()
    await browser.contain_all()
    for question in ("Q1", "Q7", "Q8", "Q9", "Q12", "Q14"):
        await _answer(browser, question, "No")
    page = await browser.command("close")
    form, _ = form_with(page, "Close the incident")
    criteria = [value for name, value in form.checkboxes if name == "criteria"]
    fields = {**form.fields, "as": "priya"}  # the managing partner's sign-off is hers to give
    data = [*fields.items(), ("root_cause", "Cache keyed without the client id")]
    data += [("failure_type", "context_leakage"), *(("criteria", c) for c in criteria)]
    response = await browser.client.post("/close", data=data)
    page = await response.text()
    assert f"AI-2026-0001 closed: {TITLE}" in unescape(page)
    assert "Root cause: Cache keyed without the client id" in unescape(page)


async def test_the_close_form_records_the_regression_case_as_slack_and_teams_do(
    browser: Browser,
) -> None:
    await browser.declare()
    await browser.contain_all()
    for question in ("Q1", "Q7", "Q8", "Q9", "Q12", "Q14"):
        await _answer(browser, question, "No")
    form, _ = form_with(await browser.command("close"), "Close the incident")
    criteria = [value for name, value in form.checkboxes if name == "criteria"]
    fields = {**form.fields, "as": "priya"}  # the managing partner's sign-off is hers
    data = [*fields.items(), ("root_cause", "Cache keyed without the client id")]
    data += [*(("criteria", c) for c in criteria), ("regression_input", "Draft Acme's Q1")]
    data += [("regression_output", "Brightside revenue 1.2m"), ("must_contain", "Acme\n")]
    data += [("must_not_contain", "Brightside\n1.2m")]
    response = await browser.client.post("/close", data=data)
    assert response.status == 200
    incident = await browser.store.load("AI-2026-0001")
    assert incident is not None and incident.closing["regression"] == {
        "input": "Draft Acme's Q1",
        "bad_output": "Brightside revenue 1.2m",
        "must_contain": ["Acme"],
        "must_not_contain": ["Brightside", "1.2m"],
    }


async def test_the_partners_sign_off_ticked_by_another_is_refused_and_recorded(
    browser: Browser,
) -> None:
    await browser.declare()
    await browser.contain_all()
    for question in ("Q1", "Q7", "Q8", "Q9", "Q12", "Q14"):
        await _answer(browser, question, "No")
    page = await browser.command("close")
    form, _ = form_with(page, "Close the incident")
    criteria = [value for name, value in form.checkboxes if name == "criteria"]
    data = [*form.fields.items(), ("root_cause", "Cache keyed without the client id")]
    data += [("failure_type", "context_leakage"), *(("criteria", c) for c in criteria)]
    page = await (await browser.client.post("/close", data=data)).text()  # as Sam
    said = "Only Priya Shah (Managing Partner) may confirm 'Sign-off by the managing partner'"
    assert said in unescape(page)
    incident = await browser.store.load("AI-2026-0001")
    assert incident is not None and incident.closed_at is None
    assert incident.events[-1].type == "refused" and incident.events[-1].actor.name == "Sam Okafor"


async def test_the_closed_room_shows_the_timeline_picture_under_the_summary(
    browser: Browser,
) -> None:
    await test_the_close_form_closes_an_incident_that_needs_no_notice(browser)
    page = await browser.open(ROOM)
    summary = page[page.index("AI-2026-0001 closed") :]
    src = "/rooms/AI-2026-0001/timeline.png"
    assert f'<img src="{src}"' in summary and 'alt="Timeline of AI-2026-0001' in summary
    response = await browser.client.get(src)
    assert (response.status, response.content_type) == (200, "image/png")
    assert (await response.read()).startswith(b"\x89PNG\r\n\x1a\n")
    missing = await browser.client.get("/rooms/AI-2026-9999/timeline.png")
    assert missing.status == 404


async def test_a_closed_room_is_marked_archived_after_the_runbooks_delay(
    browser: Browser,
) -> None:
    await test_the_close_form_closes_an_incident_that_needs_no_notice(browser)
    assert "archived" not in await browser.open(ROOM)
    await browser.press("To the next reminder")  # the close's records, written at once
    assert browser.chat.archived() == set()
    page = await browser.press("To the next reminder")  # the archive, 30 days after close
    assert "1 reminder(s) sent" in unescape(page)
    assert browser.chat.archived() == {ROOM}
    rooms = unescape(await browser.open("lobby")).split("<main>")[0]
    assert '<small class="archived">archived</small>' in rooms


async def test_closing_with_criteria_unconfirmed_lists_what_is_missing(browser: Browser) -> None:
    await browser.declare()
    page = await browser.command("close")
    page = await browser.press("Close the incident", root_cause="Unknown yet")
    assert "• re-enable criterion not confirmed: Evidence captured" in unescape(page)
    assert 'name="root_cause" rows="3" required>Unknown yet</textarea>' in unescape(page)


async def test_marking_a_notice_done_takes_its_reference_from_the_button_field(
    browser: Browser,
) -> None:
    await browser.declare()
    await browser.contain_all()
    for question, label in SEED_ANSWERS:
        await _answer(browser, question, label)
    page = await browser.press("Mark done", text="ICO case 123")
    assert "Only Alex Morgan (Data Protection Lead) or Priya Shah" in unescape(page)
    await browser.press("Switch", **{"as": "alex"})
    await browser.open(ROOM)
    page = await browser.press("Mark done", text="ICO case 123")
    assert "status: done — ICO case 123" in unescape(page)


async def test_evidence_and_awareness_commands_act_on_the_room_incident(
    browser: Browser,
) -> None:
    await browser.declare()
    page = await browser.command("evidence https://files.example/acme-q1.pdf")
    assert "Evidence recorded by Sam Okafor: https://files.example/acme-q1.pdf" in unescape(page)
    page = await browser.command("aware 2026-03-26T14:00+00:00 The client emailed earlier")
    assert "Sam Okafor corrected T0 to Thu 26 Mar 2026 14:00 GMT" in unescape(page)
    page = await browser.command("aware yesterday The client emailed earlier")
    assert "'yesterday' is not an ISO time" in unescape(page)


async def test_a_room_forgotten_by_a_restart_shows_a_fresh_card_to_carry_on_from(
    browser: Browser,
) -> None:
    await browser.declare()
    browser.chat.rooms.pop(ROOM)  # what a restart does to the in-memory rooms
    page = await browser.open(ROOM)
    assert CARD in unescape(page)
    page = await browser.press("1: Done")
    assert "1. Turn off AI drafts for all users — done (Sam Okafor" in unescape(page)


async def test_fast_forward_to_the_next_reminder_stops_exactly_there(browser: Browser) -> None:
    await browser.declare()
    due = await browser.store.next_due()
    assert due is not None  # the lead chain's next page, after the ack timeout
    page = await browser.press("To the next reminder")
    assert browser.clock.now() == due
    assert "1 reminder(s) sent" in unescape(page)


async def test_the_event_stream_announces_a_change_in_any_room(browser: Browser) -> None:
    response = await browser.client.get("/events")
    assert response.headers["Content-Type"] == "text/event-stream"
    await browser.declare()
    line = await asyncio.wait_for(response.content.readline(), timeout=5)
    assert line.startswith(b"data: ")
    response.close()


async def _location_of(browser: Browser, action: str) -> str:
    """Post the last form on the page carrying `action`; where the chat sends the browser."""
    form = [f for f in Forms(browser.page).forms if f.fields.get("action") == action][-1]
    response = await browser.client.post("/action", data=form.fields, allow_redirects=False)
    assert response.status == 303, await response.text()
    return response.headers["Location"]


async def test_draft_the_notice_on_the_ico_reminder_shows_the_presser_the_draft_alone(
    browser: Browser,
) -> None:
    await browser.declare(f"{TITLE} <Acme & Brightside>")
    await browser.press("Acknowledge")
    await browser.contain_all()
    for question, label in SEED_ANSWERS:
        await _answer(browser, question, label)
    page = await browser.press("Fast-forward 24h")
    assert "Reminder: Report the breach to the ICO" in unescape(page)
    before = await browser.store.load("AI-2026-0001")
    location = await _location_of(browser, "draft:ico_art33")  # the reminder's, posted last
    assert "DRAFT" not in unquote(location)  # the draft never rides in the URL
    page = await (await browser.client.get(location)).text()
    draft = unescape(page.split("<pre>", 1)[1].split("</pre>", 1)[0])
    assert draft.startswith("# DRAFT — Personal data breach report to the ICO")
    assert all(f"\n\n## {heading}\n\n" in draft for heading in ART33_3)  # line breaks kept
    assert "&lt;Acme &amp; Brightside&gt;" in page and "<Acme" not in page  # escaped
    after = await browser.store.load("AI-2026-0001")
    assert before is not None and after is not None and len(after.events) == len(before.events)
    await browser.press("Switch", **{"as": "lee"})
    page = await (await browser.client.get(location)).text()
    assert "<pre>" not in page  # another speaker on the same link sees no draft


async def test_a_no_that_keeps_the_ico_from_being_told_asks_for_the_reason_on_the_page(
    browser: Browser,
) -> None:
    await browser.declare()
    await browser.press("Acknowledge")
    await browser.contain_all()
    await browser.press("Switch", **{"as": "alex"})  # the DPO decides the personal-data block
    for label in ("Q1: Yes", "Q2: Yes"):
        await browser.press(label)
    page = unescape(await browser.press("Q3: No"))
    assert (
        "Please give a reason: this answer decides the ICO and the affected people won't be told."
        in page
    )
    incident = await browser.store.load("AI-2026-0001")
    assert incident is not None and "Q3" not in incident.answers  # nothing decided yet
    await browser.press("Give the reason", text="Business figures only; no one identifiable")
    incident = await browser.store.load("AI-2026-0001")
    assert incident is not None and "ico_art33" not in incident.obligations
    q3 = incident.answers["Q3"]
    assert (q3.value, q3.by.name) == ("no", "Alex Morgan")
    assert q3.reason == "Business figures only; no one identifiable"
    [answered] = [e for e in incident.events if e.type == "answered" and e.data["question"] == "Q3"]
    assert answered.data["prevents"] == ["ico_art33", "data_subjects_art34"]
    assert "Give the reason" not in browser.page  # asked once, answered
