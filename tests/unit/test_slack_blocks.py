"""Block Kit renderers: Slack's tokens, action ids and limits; every block parses in slack_sdk."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View as SdkView

from bot import service
from bot.decisions import DeclareForm
from bot.failures import EVIDENCE_ITEMS, FAILURE_TYPES
from bot.incident import Incident
from bot.notices import Notice
from bot.runbook import Runbook
from bot.service import Deps
from bot.tokens import mention, moment
from bot.views import (
    Button,
    View,
    evidence_view,
    help_view,
    list_view,
    runbook_view,
    status_view,
    view,
)
from handlers.slack import forms, modals
from handlers.slack.blocks import (
    MAX_BLOCKS,
    MAX_SECTION,
    Message,
    Style,
    TooLong,
    mentioned,
    mrkdwn,
    render,
)
from handlers.slack.rooms import channel_name
from storage.memory import MemoryStore
from tests.conftest import SEED_T0, person
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock

KEY = "AI-2026-0001"
EPOCH_T0 = int(SEED_T0.timestamp())
ANSWERS = (("Q1", "unsure"), ("Q2", "yes"), ("Q3", "unsure"), ("Q7", "yes"), ("Q8", "yes"))


def valid(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each block parses in slack_sdk, passes its checks and round-trips unchanged."""
    assert 0 < len(blocks) <= MAX_BLOCKS
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, block
        parsed.validate_json()
        assert parsed.to_dict() == block
    return blocks


def valid_modal(modal: dict[str, Any]) -> dict[str, Any]:
    sdk = SdkView(**modal)
    sdk.validate_json()
    assert sdk.to_dict() == modal
    return modal


def buttons(message: Message) -> list[dict[str, Any]]:
    return [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]


def texts(message: Message) -> str:
    sections = [b["text"]["text"] for b in message.blocks if b.get("text")]
    fields = [f["text"] for b in message.blocks for f in b.get("fields", ())]
    return "\n".join(sections + fields)


@pytest.fixture
def style(runbook: Runbook) -> Style:
    return Style(runbook, {"sam": "U0SAMOKAFOR", "alex": "U0ALEX"})


@pytest.fixture
def deps(runbook: Runbook) -> Deps:
    return Deps(
        runbook, MemoryStore(), FakeChat(runbook), FakeClock(SEED_T0 + timedelta(minutes=10))
    )


async def classified(deps: Deps) -> Incident:
    form = DeclareForm(
        "Report shows <!channel> & co",
        "drafting-assistant",
        "context_leakage",
        "Acme's report shows Brightside's revenue",
        SEED_T0,
    )
    incident = await service.declare(deps, person(deps.runbook, "sam"), form)
    for step in range(4):
        await service.contain(deps, incident.key, person(deps.runbook, "sam"), step, "done")
    for question, value in ANSWERS:
        incident = await service.answer(
            deps, incident.key, person(deps.runbook, "alex"), question, value
        )
    return incident


T72 = datetime(2026, 3, 29, 15, 30, tzinfo=UTC)


# --- tokens --------------------------------------------------------------------------


def test_a_person_with_a_slack_id_is_mentioned(style: Style) -> None:
    assert mrkdwn(f"Paging {mention('sam')}", style) == "Paging <@U0SAMOKAFOR>"


def test_a_person_slack_does_not_know_is_named(style: Style) -> None:
    assert mrkdwn(f"then {mention('priya')}", style) == "then @Priya Shah"


def test_a_moment_is_a_date_token_plus_the_firms_time(style: Style) -> None:
    said = mrkdwn(f"due {moment(T72)}", style)
    epoch = EPOCH_T0 + 72 * 3600
    firm = "Sun 29 Mar 2026 16:30 BST"
    assert said == f"due <!date^{epoch}^{{date_short_pretty}} {{time}}|{firm}> ({firm})"


def test_typed_text_cannot_ping_the_channel(style: Style) -> None:
    assert mrkdwn("<!channel> & <@U1>", style) == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_typed_tokens_are_shown_as_typed_and_ping_nobody(style: Style) -> None:
    typed = "ask {@priya} about {t:2026-03-29T15:30:00+00:00} in {#C1}"
    assert mrkdwn(typed, style) == typed and mentioned([typed]) == set()


def test_mentioned_lists_the_people_to_look_up() -> None:
    assert mentioned([f"{mention('sam')} and {mention('priya')}", f"due {moment(T72)}"]) == {
        "sam",
        "priya",
    }


# --- messages ------------------------------------------------------------------------


async def test_every_message_the_core_sends_is_valid_block_kit(deps: Deps, style: Style) -> None:
    await classified(deps)
    assert isinstance(deps.chat, FakeChat)
    kinds = set()
    for posted in deps.chat.messages.values():
        notice = posted.notice
        parts = render(view(notice, deps.runbook, notice.now or SEED_T0), style, KEY)
        for part in parts:
            valid(part.blocks)
            assert part.text
        kinds.add(notice.kind)
    assert {"card", "page", "containment", "questions", "obligation", "text"} <= kinds


async def test_classification_buttons_carry_the_question_and_the_answer(
    deps: Deps, style: Style
) -> None:
    incident = await classified(deps)
    fresh = Notice(incident, "question", question="Q9")
    message = render(view(fresh, deps.runbook, SEED_T0), style, incident.key)[0]
    assert [b["action_id"] for b in buttons(message)] == [
        "classify:Q9:yes",
        "classify:Q9:no",
        "classify:Q9:unsure",
    ]
    assert {b["value"] for b in buttons(message)} == {incident.key}


async def test_an_answered_question_offers_a_change_that_asks_why(deps: Deps, style: Style) -> None:
    incident = await classified(deps)
    message = render(
        view(Notice(incident, "question", question="Q3"), deps.runbook, SEED_T0), style, KEY
    )[0]
    assert "*unsure* — Alex Morgan" in texts(message)
    assert [(b["action_id"], b["value"]) for b in buttons(message)] == [
        ("classify:Q3:yes", f"{KEY}|reason"),
        ("classify:Q3:no", f"{KEY}|reason"),
    ]


async def test_an_obligation_shows_its_deadline_owner_and_buttons(deps: Deps, style: Style) -> None:
    incident = await classified(deps)
    notice = Notice(incident, "obligation", clock="ico_art33")
    message = render(view(notice, deps.runbook, SEED_T0 + timedelta(hours=1)), style, KEY)[0]
    said = texts(message)
    assert f"<!date^{EPOCH_T0 + 72 * 3600}^" in said and "(Sun 29 Mar 2026 16:30 BST)" in said
    assert "owner Alex Morgan" in said  # named, not pinged, until the clock is due
    assert [b["value"] for b in buttons(message)] == [f"{KEY}|reference", f"{KEY}|reason", KEY]


async def test_the_card_escapes_the_title(deps: Deps, style: Style) -> None:
    incident = await classified(deps)
    message = render(view(Notice(incident, "card"), deps.runbook, SEED_T0), style, KEY)[0]
    assert "&lt;!channel&gt; &amp; co" in texts(message)
    assert "<!channel>" not in message.text


def test_long_text_is_split_between_sections_never_cut(style: Style) -> None:
    line = " ".join(["word&"] * 1400)  # 8,399 characters, 11,200 once escaped
    message = render(View("Long", (line,)), style)[0]
    sections = [b["text"]["text"] for b in valid(message.blocks)][1:]
    assert all(len(s) <= MAX_SECTION for s in sections)
    assert " ".join(sections).replace("\n", " ") == line.replace("&", "&amp;")


def test_text_over_fifty_blocks_continues_in_more_messages_with_buttons_first(style: Style) -> None:
    lines = tuple(f"{i:03d} " + "x" * 2990 for i in range(120))
    parts = render(View("Summary", lines, (), (Button("Done", "contain:0:done"),)), style, KEY)
    assert len(parts) == 3
    assert [len(p.blocks) for p in parts] == [50, 50, 22]
    assert buttons(parts[0])[0]["action_id"] == "contain:0:done"
    shown = "\n".join(texts(p) for p in parts)
    assert all(f"{i:03d} " in shown for i in range(120))
    for part in parts:
        valid(part.blocks)


def test_a_button_label_over_75_characters_is_refused(style: Style) -> None:
    with pytest.raises(TooLong, match="75"):
        render(View("t", (), (), (Button("x" * 76, "ack:incident_lead"),)), style)


def test_an_action_id_over_255_characters_is_refused(style: Style) -> None:
    with pytest.raises(TooLong, match="255"):
        render(View("t", (), (), (Button("Go", "evidence:" + "E" * 250),)), style)


def test_more_than_25_buttons_take_several_action_blocks(style: Style) -> None:
    many = tuple(Button(f"B{i}", f"evidence:E{i}") for i in range(30))
    message = render(View("t", (), (), many), style)[0]
    assert [len(b["elements"]) for b in message.blocks if b["type"] == "actions"] == [25, 5]


def test_two_buttons_with_one_action_id_are_refused(style: Style) -> None:
    twins = (Button("A", "ack:incident_lead"), Button("B", "ack:incident_lead"))
    with pytest.raises(TooLong, match="action id"):
        render(View("t", (), (), twins), style)


# --- answers ---------------------------------------------------------------------------


async def test_status_list_help_runbook_and_evidence_answers_are_valid(
    deps: Deps, style: Style
) -> None:
    incident = await classified(deps)
    now = SEED_T0 + timedelta(hours=2)
    answers = [
        status_view(incident, deps.runbook, now),
        list_view(await deps.store.list_incidents(False), rooms_on="slack"),
        help_view("Unknown command 'frob'."),
        runbook_view(deps.runbook),
        evidence_view(incident),
    ]
    for answer in answers:
        for part in render(answer, style, incident.key):
            valid(part.blocks)
    status = texts(render(answers[0], style)[0])
    assert "Phase: classification" in status and "(2d 22h left)" in status


async def test_the_evidence_checklist_has_a_button_per_item(deps: Deps, style: Style) -> None:
    incident = await classified(deps)
    message = render(evidence_view(incident), style, incident.key)[0]
    assert [b["action_id"] for b in buttons(message)] == [f"evidence:{i}" for i in EVIDENCE_ITEMS]
    assert all(b["value"] == f"{incident.key}|evidence" for b in buttons(message))


# --- modals ------------------------------------------------------------------------------


def block_ids(modal: dict[str, Any]) -> list[str]:
    return [b["block_id"] for b in modal["blocks"] if b["type"] == "input"]


def test_the_declare_modal_has_the_contracted_fields(runbook: Runbook) -> None:
    modal = valid_modal(modals.declare_modal(runbook, SEED_T0, "Leak", {"channel": "C1"}))
    assert block_ids(modal) == [
        "title",
        "system",
        "noticed",
        "aware_at",
        "failure_type",
        "learned_via",
        "vendor_notice_at",
        "vendor_aware_at",
    ]
    by_id = {b["block_id"]: b for b in modal["blocks"]}
    assert by_id["aware_at"]["element"] == {
        "type": "datetimepicker",
        "action_id": "value",
        "initial_date_time": EPOCH_T0,
    }
    assert by_id["title"]["element"]["initial_value"] == "Leak"
    assert [o["value"] for o in by_id["failure_type"]["element"]["options"]] == list(FAILURE_TYPES)
    assert [o["value"] for o in by_id["system"]["element"]["options"]] == [
        s.id for s in runbook.systems
    ]
    valid(modal["blocks"])


def test_a_typed_title_over_the_limit_is_not_cut_but_explained(runbook: Runbook) -> None:
    modal = modals.declare_modal(runbook, SEED_T0, "x" * 200, {})
    title = modal["blocks"][0]
    assert "initial_value" not in title["element"]
    assert "200 characters" in title["hint"]["text"]


def state(**fields: dict[str, Any]) -> dict[str, Any]:
    return {"state": {"values": {block: {"value": v} for block, v in fields.items()}}}


def test_a_submitted_declare_form_reads_back(runbook: Runbook) -> None:
    submitted = state(
        title={"type": "plain_text_input", "value": "Leak"},
        system={"type": "static_select", "selected_option": {"value": "drafting-assistant"}},
        noticed={"type": "plain_text_input", "value": None},
        aware_at={"type": "datetimepicker", "selected_date_time": EPOCH_T0},
        failure_type={"type": "static_select", "selected_option": {"value": "context_leakage"}},
        learned_via={"type": "static_select", "selected_option": {"value": "vendor_notice"}},
        vendor_notice_at={"type": "datetimepicker", "selected_date_time": EPOCH_T0},
    )
    form = forms.read_declare(submitted)
    assert form == DeclareForm(
        "Leak",
        "drafting-assistant",
        "context_leakage",
        "",
        SEED_T0,
        learned_via="vendor_notice",
        vendor_notice_at=SEED_T0,
    )


def test_the_close_modal_lists_every_reenable_criterion(runbook: Runbook, deps: Deps) -> None:
    incident = Incident(KEY, title="Leak", failure_type="fabrication")
    modal = valid_modal(modals.close_modal(runbook, incident, {"key": KEY}))
    ids = block_ids(modal)
    assert ids[:3] == ["root_cause", "failure_type", "reenable"]
    assert {
        "lessons",
        "override_reason",
        "regression_input",
        "must_contain",
        "must_not_contain",
    } <= set(ids)
    boxes = next(b for b in modal["blocks"] if b.get("block_id") == "reenable")["element"][
        "options"
    ]
    assert [o["text"]["text"] for o in boxes] == list(runbook.reenable_criteria)
    chosen = next(b for b in modal["blocks"] if b.get("block_id") == "failure_type")["element"]
    assert chosen["initial_option"]["value"] == "fabrication"


def test_eleven_criteria_take_two_checkbox_blocks_and_a_long_one_is_shown_whole(
    runbook: Runbook,
) -> None:
    long = "Criterion " + "y" * 100
    wide = replace(runbook, reenable_criteria=(*runbook.reenable_criteria, "Ten", long))
    modal = valid_modal(modals.close_modal(wide, Incident(KEY, title="t"), {}))
    assert "reenable_2" in block_ids(modal)
    assert any(long in b.get("text", {}).get("text", "") for b in modal["blocks"])
    submitted = state(
        root_cause={"value": "cache"},
        failure_type={"selected_option": {"value": "fabrication"}},
        reenable={"selected_options": [{"value": "0"}, {"value": "9"}]},
        reenable_2={"selected_options": [{"value": "10"}]},
        must_contain={"value": "Acme\n\n Acme Ltd \n"},
    )
    form = forms.read_close(submitted, wide)
    assert form.criteria == [wide.reenable_criteria[0], "Ten", long]
    assert form.regression == {"must_contain": ["Acme", "Acme Ltd"]}


def test_the_ask_modal_keeps_what_it_answers_in_its_metadata() -> None:
    meta = {"key": KEY, "action": "contain:1:not_possible", "channel": "C1"}
    modal = valid_modal(modals.ask_modal("reason", f"{KEY} — 2: Not possible", meta))
    assert forms.meta(modal) == meta
    assert block_ids(modal) == ["text"]


def test_a_refusal_lands_on_the_field_it_names() -> None:
    assert forms.error_block("Unknown AI system 'x'.", forms.DECLARE_ERRORS) == "system"
    assert forms.error_block("Cannot close yet: x.", forms.CLOSE_ERRORS) == "reenable"
    assert forms.error_block("Only Priya may close.", forms.CLOSE_ERRORS) == "override_reason"


# --- channel names -------------------------------------------------------------------------


def test_a_channel_name_is_prefix_day_and_slug(runbook: Runbook) -> None:
    incident = Incident(KEY, title="Report drafting: Café leak!", declared_at=SEED_T0)
    assert channel_name(runbook, incident) == "aiinc-20260326-report-drafting-cafe-leak"


def test_a_channel_name_stays_within_eighty_characters(runbook: Runbook) -> None:
    incident = Incident(KEY, title="a" * 150, declared_at=SEED_T0)
    name = channel_name(runbook, incident)
    assert len(f"{name}-50") <= 80
