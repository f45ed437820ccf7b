"""The fake Slack Web API, driven the way the bot drives Slack: through slack_sdk."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import DOWNLOAD, UPLOAD, FakeSlack

TOKEN = "xoxb-test"
ALICE, BOB, GONE = "U0ALICE", "U0BOB", "U0GONE"
SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "hello"}}
MODAL: dict[str, Any] = {
    "type": "modal",
    "title": {"type": "plain_text", "text": "Declare an incident"},
    "blocks": [SECTION],
}


class Ticks:
    """The fake's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
async def slack(ticks: Ticks) -> AsyncIterator[FakeSlack]:
    async with FakeSlack(TOKEN, clock=ticks) as fake:
        fake.add_user(ALICE, "alice@example.com", "Alice Example")
        fake.add_user(BOB, "bob@example.com", "Bob Example")
        fake.add_user(GONE, "gone@example.com", "Gone Person", deleted=True)
        yield fake


@pytest.fixture
def client(slack: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=slack.url, retry_handlers=[])


async def failure(call: Awaitable[Any]) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        await call
    return info.value


async def error_of(call: Awaitable[Any]) -> str:
    return str((await failure(call)).response["error"])


async def new_channel(client: AsyncWebClient, name: str = "inc-1", private: bool = True) -> str:
    response = await client.conversations_create(name=name, is_private=private)
    return str(response["channel"]["id"])


def open_modal(client: AsyncWebClient, trigger: str) -> Awaitable[Any]:
    return client.views_open(trigger_id=trigger, view=MODAL)


async def post(client: AsyncWebClient, channel: str, text: str = "hello") -> str:
    return str((await client.chat_postMessage(channel=channel, text=text))["ts"])


# --- the server and authentication ----------------------------------------------------------


async def test_listens_on_loopback_with_an_ephemeral_port(slack: FakeSlack) -> None:
    assert slack.url.startswith("http://127.0.0.1:")
    assert slack.url.endswith("/api/")
    assert int(slack.url.split(":")[2].split("/")[0]) > 0


async def test_auth_test_names_the_bot(client: AsyncWebClient) -> None:
    response = await client.auth_test()
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert (response["user_id"], response["team_id"], response["bot_id"]) == (
        "UBOT",
        "T0TEST",
        "B0BOT",
    )


async def test_no_token_is_not_authed(slack: FakeSlack) -> None:
    anonymous = AsyncWebClient(base_url=slack.url, retry_handlers=[])
    assert await error_of(anonymous.auth_test()) == "not_authed"


async def test_a_wrong_token_is_invalid_auth(slack: FakeSlack) -> None:
    stranger = AsyncWebClient(token="xoxb-wrong", base_url=slack.url, retry_handlers=[])
    error = await failure(stranger.auth_test())
    assert error.response["error"] == "invalid_auth"
    assert error.response.status_code == 200


async def test_a_token_form_parameter_authenticates_and_is_not_logged(slack: FakeSlack) -> None:
    anonymous = AsyncWebClient(base_url=slack.url, retry_handlers=[])
    response = await anonymous.api_call("auth.test", data={"token": TOKEN})
    assert response["ok"] is True
    assert "token" not in slack.calls[-1].params


async def test_an_unknown_method_is_unknown_method(client: AsyncWebClient) -> None:
    error = await failure(client.api_call("incidents.declare"))
    assert error.response["error"] == "unknown_method"
    assert error.response["req_method"] == "incidents.declare"


async def test_form_and_json_bodies_are_both_read(client: AsyncWebClient, slack: FakeSlack) -> None:
    channel = await new_channel(client)
    form = {"channel": channel, "text": "form", "blocks": json.dumps([SECTION])}
    await client.api_call("chat.postMessage", data=form)
    await client.api_call("chat.postMessage", json={"channel": channel, "text": "json"})
    sent = slack.messages[channel]
    assert [(m.text, m.blocks) for m in sent] == [("form", [SECTION]), ("json", None)]


# --- conversations.create -------------------------------------------------------------------


async def test_create_returns_the_channel_with_the_bot_in_it(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    channel = (await client.conversations_create(name="inc-2026-001", is_private=True))["channel"]
    assert channel["id"] == "C0000001"
    assert (channel["name"], channel["is_private"], channel["is_archived"]) == (
        "inc-2026-001",
        True,
        False,
    )
    assert channel["creator"] == "UBOT"
    assert isinstance(channel["created"], int)
    assert slack.channels["C0000001"].members == {"UBOT"}


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "invalid_name_required"),
        ("x" * 81, "invalid_name_maxlength"),
        ("Incident", "invalid_name_specials"),
        ("inc 1", "invalid_name_specials"),
        ("inc.1", "invalid_name_specials"),
        ("inc#1", "invalid_name_specials"),
        ("---", "invalid_name_punctuation"),
        ("_-_", "invalid_name_punctuation"),
    ],
)
async def test_create_enforces_slack_naming_rules(
    client: AsyncWebClient, name: str, error: str
) -> None:
    assert await error_of(client.conversations_create(name=name)) == error


async def test_create_accepts_eighty_characters(client: AsyncWebClient) -> None:
    assert (await client.conversations_create(name="a" * 80))["ok"] is True


async def test_an_archived_channel_still_holds_its_name(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    slack.add_channel("inc-old", is_archived=True)
    assert await error_of(client.conversations_create(name="inc-old")) == "name_taken"


async def test_a_channel_the_bot_archived_holds_its_name(client: AsyncWebClient) -> None:
    channel = await new_channel(client, "inc-7")
    await client.conversations_archive(channel=channel)
    assert await error_of(client.conversations_create(name="inc-7")) == "name_taken"


async def test_archive_refuses_a_channel_archived_already_or_without_the_bot(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    channel = await new_channel(client, "inc-8")
    await client.conversations_archive(channel=channel)
    outside = slack.add_channel("elsewhere", is_private=False)
    errors = [
        await error_of(client.conversations_archive(channel=c)) for c in (channel, outside, "C9")
    ]
    assert errors == ["already_archived", "not_in_channel", "channel_not_found"]
    assert slack.channels[channel].is_archived and not slack.channels[outside].is_archived


# --- conversations.invite -------------------------------------------------------------------


async def test_invite_adds_the_users(client: AsyncWebClient, slack: FakeSlack) -> None:
    channel = await new_channel(client)
    await client.conversations_invite(channel=channel, users=[ALICE, BOB])
    assert slack.channels[channel].members == {"UBOT", ALICE, BOB}


async def test_one_bad_id_fails_the_invite_for_everyone(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    channel = await new_channel(client)
    invite = client.conversations_invite(channel=channel, users=[ALICE, "U0NOBODY"])
    assert await error_of(invite) == "user_not_found"
    assert slack.channels[channel].members == {"UBOT"}


async def test_force_invites_the_valid_ids_and_lists_the_rest(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    channel = await new_channel(client)
    response = await client.conversations_invite(
        channel=channel, users=[ALICE, "U0NOBODY"], force=True
    )
    assert response["errors"] == [{"user": "U0NOBODY", "ok": False, "error": "user_not_found"}]
    assert slack.channels[channel].members == {"UBOT", ALICE}


@pytest.mark.parametrize(
    ("users", "error"),
    [
        (["UBOT"], "cant_invite_self"),
        ([GONE], "cant_invite"),
        ([ALICE, "UBOT"], "cant_invite_self"),
    ],
)
async def test_invite_refuses_bad_users(
    client: AsyncWebClient, users: list[str], error: str
) -> None:
    channel = await new_channel(client)
    assert await error_of(client.conversations_invite(channel=channel, users=users)) == error


async def test_inviting_only_members_is_already_in_channel(client: AsyncWebClient) -> None:
    channel = await new_channel(client)
    await client.conversations_invite(channel=channel, users=[ALICE])
    again = client.conversations_invite(channel=channel, users=[ALICE])
    assert await error_of(again) == "already_in_channel"


async def test_inviting_members_along_with_newcomers_succeeds(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    channel = await new_channel(client)
    await client.conversations_invite(channel=channel, users=[ALICE])
    await client.conversations_invite(channel=channel, users=[ALICE, BOB])
    assert slack.channels[channel].members == {"UBOT", ALICE, BOB}


async def test_invite_needs_a_live_channel_with_the_bot_in_it(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    outside = slack.add_channel("not-ours", members=[BOB])
    archived = slack.add_channel("old", is_archived=True, members=["UBOT"])
    errors = [
        await error_of(client.conversations_invite(channel=channel, users=ALICE))
        for channel in (outside, archived, "C9")
    ]
    assert errors == ["not_in_channel", "is_archived", "channel_not_found"]


# --- topic, archive, info, join, members ----------------------------------------------------


async def test_set_topic_keeps_up_to_250_characters(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    channel = await new_channel(client)
    await client.conversations_setTopic(channel=channel, topic="t" * 250)
    assert slack.channels[channel].topic == "t" * 250
    too_long = client.conversations_setTopic(channel=channel, topic="t" * 251)
    assert await error_of(too_long) == "too_long"


async def test_archive_twice_is_already_archived(client: AsyncWebClient, slack: FakeSlack) -> None:
    channel = await new_channel(client)
    await client.conversations_archive(channel=channel)
    assert slack.channels[channel].is_archived
    assert await error_of(client.conversations_archive(channel=channel)) == "already_archived"


async def test_info_tells_membership_and_hides_private_channels_from_outsiders(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    channel = await new_channel(client)
    info = await client.conversations_info(channel=channel, include_num_members=True)
    assert (info["channel"]["is_member"], info["channel"]["num_members"]) == (True, 1)
    hidden = slack.add_channel("secret", members=[ALICE])
    assert await error_of(client.conversations_info(channel=hidden)) == "channel_not_found"


async def test_join_works_only_for_public_channels(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    public = slack.add_channel("general", is_private=False, members=[ALICE])
    await client.conversations_join(channel=public)
    assert "UBOT" in slack.channels[public].members
    again = await client.conversations_join(channel=public)
    assert again["warning"] == "already_in_channel"
    private = slack.add_channel("hush", members=["UBOT"])
    error = await error_of(client.conversations_join(channel=private))
    assert error == "method_not_supported_for_channel_type"


async def test_members_lists_the_members(client: AsyncWebClient) -> None:
    channel = await new_channel(client)
    await client.conversations_invite(channel=channel, users=[BOB, ALICE])
    response = await client.conversations_members(channel=channel)
    assert response["members"] == sorted(["UBOT", ALICE, BOB])


# --- chat.postMessage -----------------------------------------------------------------------


async def test_post_keeps_the_message_with_an_increasing_ts(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    channel = await new_channel(client)
    first = await post(client, channel, "one")
    reply = await client.chat_postMessage(
        channel=channel, text="two", blocks=[SECTION], thread_ts=first
    )
    assert reply["channel"] == channel
    assert reply["message"]["blocks"] == [SECTION]
    assert float(reply["ts"]) > float(first)
    assert [(m.ts, m.user, m.thread_ts) for m in slack.messages[channel]] == [
        (first, "UBOT", None),
        (reply["ts"], "UBOT", first),
    ]


async def test_post_needs_a_live_channel_the_bot_may_post_in(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    private = slack.add_channel("private", members=[ALICE])
    archived = slack.add_channel("archived", is_archived=True, members=["UBOT"])
    public = slack.add_channel("public", is_private=False, members=[ALICE])
    assert await error_of(client.chat_postMessage(channel="C9", text="x")) == "channel_not_found"
    assert await error_of(client.chat_postMessage(channel=private, text="x")) == "not_in_channel"
    assert await error_of(client.chat_postMessage(channel=archived, text="x")) == "is_archived"
    assert (await client.chat_postMessage(channel=public, text="x"))["ok"] is True


async def test_post_to_a_user_id_lands_in_a_direct_message(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    response = await client.chat_postMessage(channel=ALICE, text="you are on call")
    dm = slack.channels[response["channel"]]
    assert (dm.id[0], dm.members) == ("D", {"UBOT", ALICE})


async def test_post_without_text_or_blocks_is_no_text(client: AsyncWebClient) -> None:
    channel = await new_channel(client)
    no_text = client.api_call("chat.postMessage", json={"channel": channel, "text": ""})
    assert await error_of(no_text) == "no_text"


@pytest.mark.parametrize(
    "blocks",
    [
        [{"text": {"type": "mrkdwn", "text": "no type"}}],
        ["divider"],
        {"type": "section"},
        [SECTION] * 51,
    ],
)
async def test_post_refuses_invalid_blocks(client: AsyncWebClient, blocks: Any) -> None:
    channel = await new_channel(client)
    payload = {"channel": channel, "text": "x", "blocks": json.dumps(blocks)}
    error = await failure(client.api_call("chat.postMessage", data=payload))
    assert error.response["error"] == "invalid_blocks"
    assert error.response["response_metadata"]["messages"]


async def test_post_takes_fifty_blocks(client: AsyncWebClient) -> None:
    channel = await new_channel(client)
    response = await client.chat_postMessage(channel=channel, text="x", blocks=[SECTION] * 50)
    assert len(response["message"]["blocks"]) == 50


async def test_a_section_holds_three_thousand_characters_and_no_more(
    client: AsyncWebClient,
) -> None:
    channel = await new_channel(client)
    full = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3000}}
    await client.chat_postEphemeral(channel=channel, user="UBOT", text="x", blocks=[full])
    over = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    payload = {"channel": channel, "text": "x", "blocks": json.dumps([SECTION, over])}
    error = await failure(client.api_call("chat.postMessage", data=payload))
    assert error.response["error"] == "invalid_blocks"
    [said] = error.response["response_metadata"]["messages"]
    assert said == "[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]"


async def test_post_refuses_malformed_block_json(client: AsyncWebClient) -> None:
    channel = await new_channel(client)
    payload = {"channel": channel, "text": "x", "blocks": "[{"}
    error = await error_of(client.api_call("chat.postMessage", data=payload))
    assert error == "invalid_blocks_format"


async def test_post_text_is_capped_at_forty_thousand_characters(client: AsyncWebClient) -> None:
    channel = await new_channel(client)
    await client.chat_postMessage(channel=channel, text="x" * 40_000)
    too_long = client.chat_postMessage(channel=channel, text="x" * 40_001)
    assert await error_of(too_long) == "msg_too_long"


# --- chat.update, chat.postEphemeral, chat.getPermalink, pins.add ----------------------------


async def test_update_replaces_the_text_and_counts(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    channel = await new_channel(client)
    ts = (await client.chat_postMessage(channel=channel, text="v1", blocks=[SECTION]))["ts"]
    await client.chat_update(channel=channel, ts=ts, text="v2")
    message = slack.messages[channel][0]
    assert (message.text, message.blocks, message.updated) == ("v2", [SECTION], 1)


async def test_update_errors(client: AsyncWebClient, slack: FakeSlack) -> None:
    channel = await new_channel(client)
    theirs = slack.add_message(channel, "mine, not the bot's", user=ALICE)
    targets = [(channel, "1.000001"), (channel, theirs), ("C9", theirs)]
    errors = [await error_of(client.chat_update(channel=c, ts=ts, text="x")) for c, ts in targets]
    assert errors == ["message_not_found", "cant_update_message", "channel_not_found"]


async def test_ephemeral_goes_only_to_a_member(client: AsyncWebClient, slack: FakeSlack) -> None:
    channel = await new_channel(client)
    await client.conversations_invite(channel=channel, users=ALICE)
    sent = await client.chat_postEphemeral(channel=channel, user=ALICE, text="psst")
    assert [(m.ts, m.user, m.text) for m in slack.ephemerals] == [
        (sent["message_ts"], ALICE, "psst")
    ]
    stranger = client.chat_postEphemeral(channel=channel, user=BOB, text="psst")
    assert await error_of(stranger) == "user_not_in_channel"


async def test_permalink_points_at_the_message(client: AsyncWebClient) -> None:
    channel = await new_channel(client)
    ts = await post(client, channel)
    link = (await client.chat_getPermalink(channel=channel, message_ts=ts))["permalink"]
    assert link.endswith(f"/archives/{channel}/p{ts.replace('.', '')}")
    missing = client.chat_getPermalink(channel=channel, message_ts="1.000001")
    assert await error_of(missing) == "message_not_found"


async def test_pins(client: AsyncWebClient, slack: FakeSlack) -> None:
    channel = await new_channel(client)
    ts = await post(client, channel)
    await client.pins_add(channel=channel, timestamp=ts)
    assert slack.channels[channel].pins == [ts]
    assert await error_of(client.pins_add(channel=channel, timestamp=ts)) == "already_pinned"
    missing = client.pins_add(channel=channel, timestamp="1.000001")
    assert await error_of(missing) == "message_not_found"


# --- users ----------------------------------------------------------------------------------


async def test_lookup_by_email(client: AsyncWebClient) -> None:
    user = (await client.users_lookupByEmail(email="Alice@Example.com"))["user"]
    assert (user["id"], user["real_name"], user["profile"]["email"]) == (
        ALICE,
        "Alice Example",
        "alice@example.com",
    )
    assert user["deleted"] is False
    gone = (await client.users_lookupByEmail(email="gone@example.com"))["user"]
    assert gone["deleted"] is True
    missing = client.users_lookupByEmail(email="nobody@example.com")
    assert await error_of(missing) == "users_not_found"


async def test_users_info(client: AsyncWebClient) -> None:
    assert (await client.users_info(user=BOB))["user"]["name"] == "bob"
    assert await error_of(client.users_info(user="U0NOBODY")) == "user_not_found"


# --- views ----------------------------------------------------------------------------------


async def test_open_shows_the_modal_to_the_triggering_user(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    trigger = slack.new_trigger(ALICE)
    view = (await client.views_open(trigger_id=trigger, view=MODAL))["view"]
    assert view["id"].startswith("V")
    assert (view["type"], view["title"], view["blocks"]) == ("modal", MODAL["title"], [SECTION])
    stored = slack.views[view["id"]]
    assert (stored.user, stored.trigger_id, stored.view) == (ALICE, trigger, MODAL)


async def test_a_trigger_is_good_for_three_seconds_by_the_fakes_clock(
    client: AsyncWebClient, slack: FakeSlack, ticks: Ticks
) -> None:
    fresh, stale = slack.new_trigger(ALICE), slack.new_trigger(ALICE)
    ticks.advance(2.9)
    assert (await client.views_open(trigger_id=fresh, view=MODAL))["ok"] is True
    ticks.advance(0.2)
    assert await error_of(open_modal(client, stale)) == "expired_trigger_id"


async def test_expire_triggers_expires_every_trigger_so_far(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    trigger = slack.new_trigger(ALICE)
    slack.expire_triggers()
    assert await error_of(open_modal(client, trigger)) == "expired_trigger_id"


async def test_a_trigger_works_once_and_must_be_known(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    trigger = slack.new_trigger(ALICE)
    await client.views_open(trigger_id=trigger, view=MODAL)
    assert await error_of(open_modal(client, trigger)) == "exchanged_trigger_id"
    assert await error_of(open_modal(client, "1.2.3")) == "invalid_trigger_id"


@pytest.mark.parametrize(
    "change",
    [
        {"type": "home"},
        {"title": None},
        {"title": {"type": "plain_text", "text": "A title that is far too long"}},
        {"blocks": [SECTION] * 101},
        {"blocks": [{"type": "input", "label": {}, "element": {}}]},
        {"private_metadata": "m" * 3001},
    ],
)
async def test_open_refuses_an_invalid_view(
    client: AsyncWebClient, slack: FakeSlack, change: dict[str, Any]
) -> None:
    view = {k: v for k, v in (MODAL | change).items() if v is not None}
    error = await failure(client.views_open(trigger_id=slack.new_trigger(ALICE), view=view))
    assert error.response["error"] == "invalid_arguments"
    assert error.response["response_metadata"]["messages"]


async def test_update_replaces_the_view_and_checks_the_hash(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    opened = (await client.views_open(trigger_id=slack.new_trigger(ALICE), view=MODAL))["view"]
    changed = MODAL | {"blocks": [SECTION, {"type": "divider"}]}
    await client.views_update(view_id=opened["id"], view=changed, hash=opened["hash"])
    assert (slack.views[opened["id"]].view, slack.views[opened["id"]].updated) == (changed, 1)
    stale = client.views_update(view_id=opened["id"], view=MODAL, hash=opened["hash"])
    assert await error_of(stale) == "hash_conflict"
    assert await error_of(client.views_update(view_id="V404", view=MODAL)) == "not_found"


async def test_push_stacks_a_view_on_the_users_modal(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    root = (await client.views_open(trigger_id=slack.new_trigger(ALICE), view=MODAL))["view"]
    pushed = await client.views_push(trigger_id=slack.new_trigger(ALICE), view=MODAL)
    assert (pushed["view"]["previous_view_id"], pushed["view"]["root_view_id"]) == (
        root["id"],
        root["id"],
    )


# --- files ----------------------------------------------------------------------------------


async def test_files_info_points_the_download_at_the_fake(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    slack.add_file("F0LOG", "trace.json", b'{"steps": 3}', ALICE, "C0000001")
    file = (await client.files_info(file="F0LOG"))["file"]
    assert (file["name"], file["size"], file["mimetype"]) == ("trace.json", 12, "application/json")
    assert (file["user"], file["channels"]) == (ALICE, ["C0000001"])
    assert file["url_private_download"].startswith(slack.url.removesuffix("api/"))
    assert await error_of(client.files_info(file="F0NONE")) == "file_not_found"


async def test_a_download_needs_the_bot_token(client: AsyncWebClient, slack: FakeSlack) -> None:
    slack.add_file("F0LOG", "trace.txt", b"the evidence", ALICE, "C0000001")
    url = (await client.files_info(file="F0LOG"))["file"]["url_private_download"]
    async with aiohttp.ClientSession() as http:
        async with http.get(url, headers={"Authorization": f"Bearer {TOKEN}"}) as ok:
            assert (ok.status, await ok.read()) == (200, b"the evidence")
        async with http.get(url) as anonymous:
            assert anonymous.content_type == "text/html"
            assert b"the evidence" not in await anonymous.read()
        wrong = {"Authorization": "Bearer xoxb-wrong"}
        async with http.get(url, headers=wrong, allow_redirects=False) as redirected:
            assert redirected.status == 302
    assert [c.ok for c in slack.calls if c.method == DOWNLOAD] == [True, False, False]


async def begin_upload(client: AsyncWebClient, content: bytes, name: str = "t.png") -> str:
    """files.getUploadURLExternal, then the bytes POSTed to its URL; the file id."""
    begun = await client.files_getUploadURLExternal(filename=name, length=len(content))
    async with aiohttp.ClientSession() as http, http.post(begun["upload_url"], data=content) as r:
        assert (r.status, await r.text()) == (200, f"OK - {len(content)}")
    return str(begun["file_id"])


async def test_an_upload_shares_the_bytes_into_the_channel(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    channel = await new_channel(client)
    file_id = await begin_upload(client, b"\x89PNG picture")
    done = await client.files_completeUploadExternal(
        files=[{"id": file_id, "title": "Timeline"}], channel_id=channel
    )
    assert done["files"] == [{"id": file_id, "title": "Timeline"}]
    shared = slack.files[file_id]
    assert (shared.content, shared.channels, shared.title) == (
        b"\x89PNG picture",
        [channel],
        "Timeline",
    )
    assert [c.ok for c in slack.calls if c.method == UPLOAD] == [True]


async def test_an_upload_url_needs_a_filename_and_a_positive_length(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    begin = "files.getUploadURLExternal"
    assert await error_of(client.api_call(begin, params={"length": 3})) == "invalid_arguments"
    assert await error_of(client.api_call(begin, params={"filename": "a"})) == "invalid_arguments"
    zero = client.files_getUploadURLExternal(filename="a.png", length=0)
    assert await error_of(zero) == "invalid_arguments"
    slack.state.uploads_disabled = True
    refused = client.files_getUploadURLExternal(filename="a.png", length=3)
    assert await error_of(refused) == "file_uploads_disabled"


async def test_completing_needs_uploaded_bytes_and_a_channel_with_the_bot(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    begun = await client.files_getUploadURLExternal(filename="a.png", length=3)
    never_sent = [{"id": str(begun["file_id"])}]
    assert await error_of(client.files_completeUploadExternal(files=never_sent)) == (
        "file_not_found"
    )
    outside = slack.add_channel("elsewhere", members=[ALICE])
    sent = [{"id": await begin_upload(client, b"abc")}]
    complete = client.files_completeUploadExternal(files=sent, channel_id=outside)
    assert await error_of(complete) == "not_in_channel"
    nowhere = client.files_completeUploadExternal(files=sent, channel_id="C0NONE")
    assert await error_of(nowhere) == "channel_not_found"
    assert await error_of(client.files_completeUploadExternal(files=[])) == "invalid_arguments"


# --- faults and the call log ----------------------------------------------------------------


async def test_rate_limit_answers_429_with_retry_after(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    slack.rate_limit("chat.postMessage", retry_after=30)
    channel = await new_channel(client)
    error = await failure(client.chat_postMessage(channel=channel, text="x"))
    assert (error.response.status_code, error.response["error"]) == (429, "ratelimited")
    assert error.response.headers["Retry-After"] == "30"
    assert (await client.chat_postMessage(channel=channel, text="x"))["ok"] is True
    assert [c.status for c in slack.calls if c.method == "chat.postMessage"] == [429, 200]


async def test_server_error_answers_an_html_page(client: AsyncWebClient, slack: FakeSlack) -> None:
    slack.server_error("auth.test", status=502, times=2)
    for _ in range(2):
        error = await failure(client.auth_test())
        assert error.response.status_code == 502
        assert error.response.headers["Content-Type"].startswith("text/html")
    assert (await client.auth_test())["ok"] is True


async def test_fail_answers_the_error_for_the_next_calls(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    slack.fail("users.info", "fatal_error", times=2)
    assert await error_of(client.users_info(user=ALICE)) == "fatal_error"
    assert await error_of(client.users_info(user=ALICE)) == "fatal_error"
    assert (await client.users_info(user=ALICE))["ok"] is True
    assert slack.count("users.info") == 3


async def test_faults_come_in_the_order_they_were_arranged(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    slack.rate_limit("auth.test")
    slack.fail("auth.test", "internal_error")
    assert (await failure(client.auth_test())).response.status_code == 429
    assert await error_of(client.auth_test()) == "internal_error"


async def test_the_call_log_records_params_outcome_and_fake_time(
    client: AsyncWebClient, slack: FakeSlack, ticks: Ticks
) -> None:
    ticks.advance(5)
    await error_of(client.conversations_create(name="Bad Name"))
    call = slack.calls[-1]
    assert (call.method, call.params["name"], call.at) == ("conversations.create", "Bad Name", 1005)
    assert (call.status, call.ok, call.error) == (200, False, "invalid_name_specials")


# --- apps.connections.open (Socket Mode) ----------------------------------------------------


async def test_connections_open_gives_the_socket_url_to_the_app_token_only(
    client: AsyncWebClient, slack: FakeSlack
) -> None:
    slack.allow_socket_mode("xapp-1-A0-1-abc", "ws://127.0.0.1:9/link")
    opened = await client.apps_connections_open(app_token="xapp-1-A0-1-abc")
    assert opened["url"] == "ws://127.0.0.1:9/link"
    errors = [
        await error_of(client.apps_connections_open(app_token=token))
        for token in (TOKEN, "xapp-1-A0-1-other")
    ]
    assert errors == ["not_allowed_token_type", "invalid_auth"]
