"""The Slack Web API methods the fake serves, with Slack's checks and error codes.

Each handler takes the request's parameters and returns the response fields besides
`ok`, or raises SlackError(error) for an `{"ok": false, "error": ...}` answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.fakes.slack_state import (
    APP_ID,
    TEAM_DOMAIN,
    TRIGGER_TTL,
    Channel,
    File,
    Message,
    SlackState,
    Upload,
    User,
    View,
)

MAX_NAME = 80
MAX_TOPIC = 250
MAX_TEXT = 40_000
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TITLE = 24
MAX_METADATA = 3000
MAX_SECTION_TEXT = 3000
NAME_PUNCTUATION = set("-_")


class SlackError(Exception):
    """An `ok: false` answer; `extra` adds fields such as response_metadata."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def invalid(error: str, message: str) -> SlackError:
    return SlackError(error, response_metadata={"messages": [f"[ERROR] {message}"]})


class Params:
    """A request's parameters, from a form, a JSON body or the query string."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    def has(self, name: str) -> bool:
        return self.raw.get(name) is not None

    def get(self, name: str) -> str:
        value = self.raw.get(name)
        return "" if value is None else str(value)

    def required(self, name: str) -> str:
        if value := self.get(name):
            return value
        raise invalid("invalid_arguments", f"missing required field: {name}")

    def flag(self, name: str) -> bool:
        return self.raw.get(name) in (True, 1, "1", "true", "True")

    def json(self, name: str, error: str) -> Any:
        value = self.raw.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value) if value else None
        except ValueError:
            raise invalid(error, f"{name} is not valid JSON") from None


Handler = Callable[[Params], dict[str, Any]]


# --- checks shared by several methods --------------------------------------------------


def check_name(name: str) -> None:
    if not name:
        raise SlackError("invalid_name_required")
    if len(name) > MAX_NAME:
        raise SlackError("invalid_name_maxlength")
    if any(not (ch.isalnum() and ch == ch.lower()) and ch not in "-_" for ch in name):
        raise SlackError("invalid_name_specials")
    if set(name) <= NAME_PUNCTUATION:
        raise SlackError("invalid_name_punctuation")


def check_blocks(blocks: Any, limit: int, error: str, where: str) -> None:
    if not isinstance(blocks, list):
        raise invalid(error, f"must be an array [json-pointer:{where}]")
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or not block.get("type"):
            raise invalid(error, f"missing required field: type [json-pointer:{where}/{i}]")
        check_section_text(block, error, f"{where}/{i}")
    if len(blocks) > limit:
        raise invalid(error, f"no more than {limit} items allowed [json-pointer:{where}]")


def check_section_text(block: dict[str, Any], error: str, where: str) -> None:
    """A section's text over 3,000 characters is refused, as Slack refuses it."""
    text = block.get("text")
    said = text.get("text") if block["type"] == "section" and isinstance(text, dict) else None
    if isinstance(said, str) and len(said) > MAX_SECTION_TEXT:
        limit = MAX_SECTION_TEXT + 1
        raise invalid(
            error, f"must be less than {limit} characters [json-pointer:{where}/text/text]"
        )


def message_blocks(p: Params) -> list[dict[str, Any]] | None:
    blocks = p.json("blocks", "invalid_blocks_format")
    if blocks is None:
        return None
    check_blocks(blocks, MAX_MESSAGE_BLOCKS, "invalid_blocks", "/blocks")
    return blocks or None


def message_content(p: Params) -> tuple[str, list[dict[str, Any]] | None]:
    text, blocks = p.get("text"), message_blocks(p)
    if not text and not blocks:
        raise SlackError("no_text")
    if len(text) > MAX_TEXT:
        raise SlackError("msg_too_long")
    return text, blocks


def check_view(view: Any) -> dict[str, Any]:
    if not isinstance(view, dict):
        raise invalid("invalid_arguments", "view must be a JSON object [json-pointer:/view]")
    if view.get("type") != "modal":
        raise invalid("invalid_arguments", "must be a modal [json-pointer:/view/type]")
    check_view_title(view.get("title"))
    if "blocks" not in view:
        raise invalid("invalid_arguments", "missing required field: blocks [json-pointer:/view]")
    check_blocks(view["blocks"], MAX_VIEW_BLOCKS, "invalid_arguments", "/view/blocks")
    check_view_extras(view)
    return view


def check_view_title(title: Any) -> None:
    if not isinstance(title, dict) or not title.get("text"):
        raise invalid("invalid_arguments", "missing required field: title [json-pointer:/view]")
    if len(str(title["text"])) > MAX_TITLE:
        message = f"must be less than {MAX_TITLE + 1} characters [json-pointer:/view/title/text]"
        raise invalid("invalid_arguments", message)


def check_view_extras(view: dict[str, Any]) -> None:
    has_input = any(b.get("type") == "input" for b in view["blocks"])
    if has_input and not view.get("submit"):
        message = "must provide a submit property when using input blocks [json-pointer:/view]"
        raise invalid("invalid_arguments", message)
    if len(str(view.get("private_metadata", ""))) > MAX_METADATA:
        message = f"must be less than {MAX_METADATA + 1} characters"
        raise invalid("invalid_arguments", f"{message} [json-pointer:/view/private_metadata]")


# --- response shapes ---------------------------------------------------------------------


def channel_json(ch: Channel, viewer: str) -> dict[str, Any]:
    return {
        "id": ch.id,
        "name": ch.name,
        "name_normalized": ch.name,
        "is_channel": not ch.is_im,
        "is_group": False,
        "is_im": ch.is_im,
        "is_mpim": False,
        "is_private": ch.is_private,
        "is_archived": ch.is_archived,
        "is_general": False,
        "is_member": viewer in ch.members,
        "created": ch.created,
        "creator": ch.created_by,
        "topic": {"value": ch.topic, "creator": ch.topic_set_by, "last_set": ch.topic_set_at},
        "purpose": {"value": "", "creator": "", "last_set": 0},
        "previous_names": [],
    }


def user_json(u: User, team_id: str) -> dict[str, Any]:
    profile = {"real_name": u.name, "display_name": u.name, "team": team_id}
    if not u.is_bot:
        profile["email"] = u.email
    return {
        "id": u.id,
        "team_id": team_id,
        "name": u.email.split("@")[0] or u.name,
        "real_name": u.name,
        "deleted": u.deleted,
        "is_bot": u.is_bot,
        "is_app_user": False,
        "profile": profile,
    }


def message_json(m: Message, bot_id: str, team_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "message", "user": m.user, "text": m.text, "ts": m.ts}
    out |= {"bot_id": bot_id, "app_id": APP_ID, "team": team_id}
    if m.blocks:
        out["blocks"] = m.blocks
    if m.thread_ts:
        out["thread_ts"] = m.thread_ts
    return out


def view_json(v: View, state: SlackState) -> dict[str, Any]:
    defaults = {"private_metadata": "", "callback_id": "", "external_id": "", "submit": None}
    fixed: dict[str, Any] = {
        "id": v.id,
        "team_id": state.team_id,
        "state": {"values": {}},
        "hash": v.hash,
        "root_view_id": v.root_view_id,
        "previous_view_id": v.previous_view_id,
        "app_id": APP_ID,
        "bot_id": state.bot_id,
    }
    return defaults | v.view | fixed


def file_json(f: File, state: SlackState) -> dict[str, Any]:
    return {
        "id": f.id,
        "created": f.created,
        "timestamp": f.created,
        "name": f.name,
        "title": f.title or f.name,
        "mimetype": f.mimetype,
        "filetype": f.name.rsplit(".", 1)[-1] if "." in f.name else "binary",
        "user": f.user,
        "size": len(f.content),
        "mode": "hosted",
        "is_external": False,
        "is_public": False,
        "url_private": state.file_url(f, download=False),
        "url_private_download": state.file_url(f, download=True),
        "permalink": f"https://{TEAM_DOMAIN}.slack.com/files/{f.user}/{f.id}/{f.name}",
        "channels": list(f.channels),
        "groups": [],
        "ims": [],
    }


# --- the methods ---------------------------------------------------------------------------


class SlackMethods:
    """Slack Web API methods over one SlackState, acting as the bot user."""

    def __init__(self, state: SlackState) -> None:
        self.s = state
        self.bot = state.bot_user_id

    def table(self) -> dict[str, Handler]:
        return {
            "auth.test": self.auth_test,
            "conversations.create": self.conversations_create,
            "conversations.invite": self.conversations_invite,
            "conversations.setTopic": self.conversations_set_topic,
            "conversations.archive": self.conversations_archive,
            "conversations.info": self.conversations_info,
            "conversations.join": self.conversations_join,
            "conversations.members": self.conversations_members,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "chat.postMessage": self.chat_post_message,
            "chat.update": self.chat_update,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.getPermalink": self.chat_get_permalink,
            "pins.add": self.pins_add,
            "users.lookupByEmail": self.users_lookup_by_email,
            "users.info": self.users_info,
            "views.open": self.views_open,
            "views.update": self.views_update,
            "views.push": self.views_push,
            "files.info": self.files_info,
            "files.getUploadURLExternal": self.files_get_upload_url_external,
            "files.completeUploadExternal": self.files_complete_upload_external,
        }

    # --- lookups that answer Slack's errors ---

    def channel(self, p: Params, *, by_name: bool = False) -> Channel:
        ref = p.get("channel")
        found = self.s.channels.get(ref)
        if found is None and by_name:
            found = self.s.channel_named(ref.removeprefix("#")) or self.direct_message(ref)
        if found is None:
            raise SlackError("channel_not_found")
        return found

    def direct_message(self, user_id: str) -> Channel | None:
        """Posting to a user id lands in the bot's DM with that user, as on Slack."""
        user = self.s.users.get(user_id)
        if user is None or user.deleted or user_id == self.bot:
            return None
        return self.s.dm_with(user_id)

    def visible_channel(self, p: Params) -> Channel:
        """A channel the bot can read: a private one only when it is a member."""
        ch = self.channel(p)
        if ch.is_private and self.bot not in ch.members:
            raise SlackError("channel_not_found")
        return ch

    def open_channel(self, ch: Channel, *, member: bool = True) -> Channel:
        if ch.is_archived:
            raise SlackError("is_archived")
        if (member or ch.is_private) and self.bot not in ch.members:
            raise SlackError("not_in_channel")
        return ch

    def message(self, ch: Channel, ts: str) -> Message:
        found = self.s.message(ch.id, ts)
        if found is None:
            raise SlackError("message_not_found")
        return found

    def exchange_trigger(self, p: Params) -> str:
        trigger_id = p.get("trigger_id") or p.get("interactivity_pointer")
        trigger = self.s.triggers.get(trigger_id)
        if not trigger_id:
            raise invalid("invalid_arguments", "missing required field: trigger_id")
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if trigger.expired or self.s.clock() - trigger.issued_at > TRIGGER_TTL:
            raise SlackError("expired_trigger_id")
        trigger.used = True
        return trigger.id

    # --- auth ---

    def auth_test(self, p: Params) -> dict[str, Any]:
        return {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "Fake Team",
            "user": "ai-incident",
            "team_id": self.s.team_id,
            "user_id": self.bot,
            "bot_id": self.s.bot_id,
            "is_enterprise_install": False,
        }

    # --- conversations ---

    def conversations_create(self, p: Params) -> dict[str, Any]:
        name = p.get("name")
        check_name(name)
        if self.s.channel_named(name) is not None:
            raise SlackError("name_taken")
        ch = self.s.add_channel(
            name, is_private=p.flag("is_private"), members={self.bot}, created_by=self.bot
        )
        return {"channel": channel_json(ch, self.bot)}

    def conversations_invite(self, p: Params) -> dict[str, Any]:
        ch = self.open_channel(self.channel(p))
        raw = p.raw.get("users")
        given = raw if isinstance(raw, list) else p.get("users").split(",")
        users = [str(u).strip() for u in given if str(u).strip()]
        if not users:
            raise SlackError("no_user")
        errors = [e for e in (self.invite_error(u) for u in users) if e]
        good = [u for u in users if u not in {e["user"] for e in errors}]
        if errors and not (p.flag("force") and good):
            listed = {"errors": errors} if p.flag("force") else {}
            raise SlackError(errors[0]["error"], **listed)
        if all(u in ch.members for u in good):
            raise SlackError("already_in_channel")
        ch.members.update(good)
        return {"channel": channel_json(ch, self.bot)} | ({"errors": errors} if errors else {})

    def invite_error(self, user_id: str) -> dict[str, Any] | None:
        user = self.s.users.get(user_id)
        if user_id == self.bot:
            error = "cant_invite_self"
        elif user is None:
            error = "user_not_found"
        elif user.deleted:
            error = "cant_invite"
        else:
            return None
        return {"user": user_id, "ok": False, "error": error}

    def conversations_set_topic(self, p: Params) -> dict[str, Any]:
        ch = self.open_channel(self.channel(p))
        topic = p.get("topic")
        if len(topic) > MAX_TOPIC:
            raise SlackError("too_long")
        ch.topic, ch.topic_set_by, ch.topic_set_at = topic, self.bot, int(self.s.now())
        return {"channel": channel_json(ch, self.bot), "topic": topic}

    def conversations_archive(self, p: Params) -> dict[str, Any]:
        ch = self.visible_channel(p)
        if ch.is_im:
            raise SlackError("method_not_supported_for_channel_type")
        if ch.is_archived:
            raise SlackError("already_archived")
        if self.bot not in ch.members:  # a bot archives only channels it is in
            raise SlackError("not_in_channel")
        ch.is_archived = True
        return {}

    def conversations_info(self, p: Params) -> dict[str, Any]:
        ch = self.visible_channel(p)
        out = channel_json(ch, self.bot)
        if p.flag("include_num_members"):
            out["num_members"] = len(ch.members)
        return {"channel": out}

    def conversations_join(self, p: Params) -> dict[str, Any]:
        ch = self.visible_channel(p)
        if ch.is_private:
            raise SlackError("method_not_supported_for_channel_type")
        if ch.is_archived:
            raise SlackError("is_archived")
        if self.bot in ch.members:
            warning = {"warning": "already_in_channel"}
            metadata = {"response_metadata": {"warnings": ["already_in_channel"]}}
            return {"channel": channel_json(ch, self.bot)} | warning | metadata
        ch.members.add(self.bot)
        return {"channel": channel_json(ch, self.bot)}

    def conversations_members(self, p: Params) -> dict[str, Any]:
        ch = self.visible_channel(p)
        return {"members": sorted(ch.members), "response_metadata": {"next_cursor": ""}}

    # --- chat ---

    def chat_post_message(self, p: Params) -> dict[str, Any]:
        ch = self.open_channel(self.channel(p, by_name=True), member=False)
        text, blocks = message_content(p)
        thread_ts = p.get("thread_ts") or None
        m = Message(self.s.next_ts(), ch.id, text, blocks, self.bot, thread_ts=thread_ts)
        m.metadata = slack_history.metadata_of(p)
        m.broadcast = bool(thread_ts) and p.flag("reply_broadcast")
        self.s.messages[ch.id].append(m)
        return {"channel": ch.id, "ts": m.ts, "message": self.message_json(m)}

    def conversations_history(self, p: Params) -> dict[str, Any]:
        ch = self.visible_channel(p)
        if self.bot not in ch.members:
            raise SlackError("not_in_channel")
        messages = self.s.messages.get(ch.id, [])
        shown, cursor = slack_history.history_page(p, messages, self.message_json)
        return {
            "messages": shown,
            "has_more": bool(cursor),
            "pin_count": len(ch.pins),
            "response_metadata": {"next_cursor": cursor},
        }

    def conversations_replies(self, p: Params) -> dict[str, Any]:
        ch = self.visible_channel(p)
        if self.bot not in ch.members:
            raise SlackError("not_in_channel")
        messages = self.s.messages.get(ch.id, [])
        shown, cursor = slack_history.replies_page(p, messages, self.message_json)
        return {
            "messages": shown,
            "has_more": bool(cursor),
            "response_metadata": {"next_cursor": cursor},
        }

    def chat_update(self, p: Params) -> dict[str, Any]:
        ch = self.channel(p)
        m = self.message(ch, p.get("ts"))
        if m.user != self.bot:
            raise SlackError("cant_update_message")
        if ch.is_archived:
            raise SlackError("is_inactive")
        self.apply_update(m, p)
        return {"channel": ch.id, "ts": m.ts, "text": m.text, "message": self.message_json(m)}

    def apply_update(self, m: Message, p: Params) -> None:
        if not p.has("text") and not p.has("blocks"):
            raise SlackError("no_text")
        text, blocks = p.get("text"), message_blocks(p)
        if len(text) > MAX_TEXT:
            raise SlackError("msg_too_long")
        if p.has("text"):
            m.text = text
        if p.has("blocks"):
            m.blocks = blocks  # an empty list removes the blocks, as on Slack
        m.updated += 1

    def chat_post_ephemeral(self, p: Params) -> dict[str, Any]:
        ch = self.open_channel(self.channel(p, by_name=True), member=False)
        user = p.get("user")
        if user not in ch.members:
            raise SlackError("user_not_in_channel")
        text, blocks = message_content(p)
        thread_ts = p.get("thread_ts") or None
        m = Message(self.s.next_ts(), ch.id, text, blocks, user, thread_ts=thread_ts)
        self.s.ephemerals.append(m)
        return {"message_ts": m.ts}

    def chat_get_permalink(self, p: Params) -> dict[str, Any]:
        ch = self.channel(p)
        m = self.message(ch, p.get("message_ts"))
        link = f"https://{TEAM_DOMAIN}.slack.com/archives/{ch.id}/p{m.ts.replace('.', '')}"
        if m.thread_ts and m.thread_ts != m.ts:
            link += f"?thread_ts={m.thread_ts}&cid={ch.id}"
        return {"channel": ch.id, "permalink": link}

    def message_json(self, m: Message) -> dict[str, Any]:
        out = message_json(m, self.s.bot_id, self.s.team_id)
        if m.user != self.bot:  # a person's message carries no bot_id or app_id
            out.pop("bot_id", None)
            out.pop("app_id", None)
        return out

    # --- pins ---

    def pins_add(self, p: Params) -> dict[str, Any]:
        ch = self.open_channel(self.channel(p))
        ts = p.get("timestamp")
        if not ts:
            raise SlackError("no_item_specified")
        self.message(ch, ts)
        if ts in ch.pins:
            raise SlackError("already_pinned")
        ch.pins.append(ts)
        return {}

    # --- users ---

    def users_lookup_by_email(self, p: Params) -> dict[str, Any]:
        user = self.s.user_by_email(p.get("email"))
        if user is None or not p.get("email"):
            raise SlackError("users_not_found")
        return {"user": user_json(user, self.s.team_id)}

    def users_info(self, p: Params) -> dict[str, Any]:
        user = self.s.users.get(p.get("user"))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": user_json(user, self.s.team_id)}

    # --- views ---

    def views_open(self, p: Params) -> dict[str, Any]:
        view = check_view(p.json("view", "invalid_arguments"))
        trigger_id = self.exchange_trigger(p)
        v = self.new_view(view, trigger_id, previous=None)
        return {"view": view_json(v, self.s)}

    def views_push(self, p: Params) -> dict[str, Any]:
        view = check_view(p.json("view", "invalid_arguments"))
        trigger_id = self.exchange_trigger(p)
        user = self.s.triggers[trigger_id].user
        previous = next((v for v in reversed(self.s.views.values()) if v.user == user), None)
        v = self.new_view(view, trigger_id, previous=previous)
        return {"view": view_json(v, self.s)}

    def new_view(self, view: dict[str, Any], trigger_id: str, previous: View | None) -> View:
        user = self.s.triggers[trigger_id].user
        v = View(self.s.next_id("V"), view, trigger_id, user, hash=self.s.new_hash())
        v.root_view_id = previous.root_view_id if previous else v.id
        v.previous_view_id = previous.id if previous else None
        self.s.views[v.id] = v
        return v

    def views_update(self, p: Params) -> dict[str, Any]:
        v = self.find_view(p)
        view = check_view(p.json("view", "invalid_arguments"))
        if p.get("hash") and p.get("hash") != v.hash:
            raise SlackError("hash_conflict")
        v.view, v.hash = view, self.s.new_hash()
        v.updated += 1
        return {"view": view_json(v, self.s)}

    def find_view(self, p: Params) -> View:
        view_id, external_id = p.get("view_id"), p.get("external_id")
        if not view_id and not external_id:
            raise invalid("invalid_arguments", "either view_id or external_id is required")
        found = self.s.views.get(view_id)
        if found is None and external_id:
            found = self.s.view_by_external_id(external_id)
        if found is None:
            raise SlackError("not_found")
        return found

    # --- files ---

    def files_info(self, p: Params) -> dict[str, Any]:
        f = self.s.files.get(p.get("file"))
        if f is None:
            raise SlackError("file_not_found")
        return {"file": file_json(f, self.s), "comments": [], "response_metadata": {}}

    def files_get_upload_url_external(self, p: Params) -> dict[str, Any]:
        """An upload URL for `length` bytes named `filename`; the bytes go there next."""
        name, length = p.required("filename"), p.required("length")
        if not length.isdigit() or int(length) < 1:
            raise invalid("invalid_arguments", "length must be a positive integer")
        if self.s.uploads_disabled:
            raise SlackError("file_uploads_disabled")
        upload = Upload(self.s.next_id("F", 10), name, int(length))
        self.s.uploads[upload.id] = upload
        return {"upload_url": self.s.upload_url(upload), "file_id": upload.id}

    def files_complete_upload_external(self, p: Params) -> dict[str, Any]:
        """The uploaded files, shared into `channel_id` when given (private otherwise)."""
        listed = p.json("files", "invalid_arguments")
        if not listed or not isinstance(listed, list):
            raise invalid("invalid_arguments", "missing required field: files")
        channel = self.sharing_channel(p)
        titled = [self.uploaded(entry) for entry in listed]
        shared = [self.share(upload, title, channel) for upload, title in titled]
        return {"files": [{"id": f.id, "title": f.title} for f in shared]}

    def sharing_channel(self, p: Params) -> Channel | None:
        if not p.get("channel_id"):
            return None
        return self.open_channel(self.channel(Params({"channel": p.get("channel_id")})))

    def uploaded(self, entry: Any) -> tuple[Upload, str]:
        if not isinstance(entry, dict) or not entry.get("id"):
            raise invalid("invalid_arguments", "each file needs an id")
        upload = self.s.uploads.get(str(entry["id"]))
        if upload is None or upload.content is None:
            raise SlackError("file_not_found")
        return upload, str(entry.get("title") or upload.name)

    def share(self, upload: Upload, title: str, channel: Channel | None) -> File:
        del self.s.uploads[upload.id]
        channels = [channel.id] if channel else []
        f = File(upload.id, upload.name, upload.content or b"", self.bot, channels)
        f.created, f.title = int(self.s.now()), title
        self.s.files[f.id] = f
        return f


from tests.fakes import slack_history  # noqa: E402  (it uses Params, defined above)
