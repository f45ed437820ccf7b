"""Modal submissions, each routed into the one core call it stands for.

    await Submissions(edge).submit(DECLARE, ack, body, view)

A submission waits for the core up to ANSWER_WITHIN_S, so a refusal shows on the form's
field (response_action "errors"); after that the form closes and a late refusal is told in
chat instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot import decisions, service, tokens, triage
from bot.actions import UnknownAction, press
from bot.decisions import Refused
from bot.ports import ChatError
from bot.requests import Request
from bot.views import View
from handlers.kept import Replay
from handlers.slack import forms
from handlers.slack.clicks import KNOWN
from handlers.slack.edge import Edge
from handlers.slack.keys import view_key
from handlers.slack.payload import Malformed, mapping_at, optional_text, text_at

Words = Mapping[str, tuple[str, ...]]
ANSWER_WITHIN_S = 2.0  # Slack waits 3 s for a submission's answer


@dataclass(frozen=True)
class Submitted:
    """A modal's submission as the job behind it needs it."""

    user: str
    name: str
    meta: dict[str, str]
    closed: asyncio.Event  # set once the modal has closed: a refusal then goes to chat
    # set once what the person waits for is on the record: the modal closes, the rest follows
    recorded: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def channel(self) -> str:
        return self.meta.get("channel", "")


def kept_submission(body: Mapping[str, Any], view: Mapping[str, Any]) -> dict[str, Any]:
    """What a submission's job needs, as kept in the inbox: who, and the view's answers."""
    parts = ("id", "hash", "state", "private_metadata")
    return {
        "user": text_at(body, "user", "id"),
        "name": optional_text(body, "user", "name"),
        "view": {part: view[part] for part in parts if part in view},
    }


def submitted(kept: Mapping[str, Any], closed: bool = False) -> Submitted:
    view = mapping_at(kept, "view")
    s = Submitted(
        text_at(kept, "user"), optional_text(kept, "name"), forms.meta(view), asyncio.Event()
    )
    if closed:  # worked again after a crash: no form is waiting for the answer
        s.closed.set()
    return s


def _confirming(view: Mapping[str, Any]) -> bool:
    """A kill switch's confirmation: it has no input a refusal could be shown beside."""
    return forms.meta(view).get("action", "").startswith("killswitch:")


SubmissionJob = Callable[[Edge, Submitted], Awaitable[None]]  # over the edge that answers it
DECLARE, CLOSE, ASK = "view:declare", "view:close", "view:ask"


class Submissions:
    def __init__(self, edge: Edge, within_s: float = ANSWER_WITHIN_S) -> None:
        self.edge, self.within_s = edge, within_s

    def _forms(self) -> dict[str, tuple[Callable[[Mapping[str, Any]], SubmissionJob], Words]]:
        return {
            DECLARE: (self._declaring, forms.DECLARE_ERRORS),
            CLOSE: (self._closing, forms.CLOSE_ERRORS),
            ASK: (self._answering, {"text": ()}),
        }

    async def submit(
        self, kind: str, ack: AsyncAck, body: Mapping[str, Any], view: Mapping[str, Any]
    ) -> None:
        """Keep the submission, run its job; a refusal in time goes on the form (and the
        submission is forgotten: corrected, it may come again), after that into chat."""
        kept = kept_submission(body, view)
        reader, words = self._forms()[kind]
        job = reader(kept)  # a payload Slack would not send is Malformed here, before the ack
        checked = self._checked(kind, kept)
        if checked is not None:  # bad input: said on the form, nothing kept
            block = forms.error_block(checked.message, words)
            await ack(response_action="errors", errors={block: checked.message})
            return
        key = view_key(view)
        row = await self.edge.kept.keep(kind, key, kept)
        if row is None:  # a repeated delivery: already under way or done
            await ack()
            return
        s = submitted(kept)
        if kind == DECLARE:  # checked and kept: the form closes first, the incident follows
            s.closed.set()  # a refusal from here on is told in chat
            await ack()
            # runs once the ack is out
            self.edge.kept.start(row, lambda request: self._told(request, job, s))
            return
        task = self.edge.kept.start(row, lambda request: self._told(request, job, s))
        refused = await self.edge.work.refusal(task, self.within_s, s.recorded)
        if refused is not None and _confirming(view):  # no field to show it on: tell in chat
            await ack()
            await self.edge.tell(s.channel, s.user, View(refused.message))
            return
        if refused is not None:
            await self.edge.kept.forget(key)
            block = forms.error_block(refused.message, words)
            await ack(response_action="errors", errors={block: refused.message})
            return
        s.closed.set()
        await ack()

    def _checked(self, kind: str, kept: Mapping[str, Any]) -> Refused | None:
        """The declare form's refusal for bad input, decided before anything is kept (the
        core's own check, which writes nothing); None when it is fine or not a declare."""
        if kind != DECLARE:
            return None
        form = forms.read_declare(mapping_at(kept, "view"))
        try:
            decisions.declare(self.edge.deps.runbook, form, self.edge.deps.clock.now())
        except Refused as error:
            return error
        return None

    def replay(self, kind: str) -> Replay:
        """How a kept submission is worked again after a crash: refusals go to chat."""

        def again(request: Request | None, kept: Mapping[str, Any]) -> Coroutine[Any, Any, None]:
            return self._told(request, self._forms()[kind][0](kept), submitted(kept, closed=True))

        return again

    async def _told(self, request: Request | None, job: SubmissionJob, s: Submitted) -> None:
        try:
            await job(self.edge.answering(request), s)
        except Refused as error:
            if s.closed.is_set():
                await self.edge.tell(s.channel, s.user, View(error.message))
            raise

    def _declaring(self, kept: Mapping[str, Any]) -> SubmissionJob:
        form = forms.read_declare(mapping_at(kept, "view"))

        async def job(edge: Edge, s: Submitted) -> None:
            actor = await edge.actor(s.user, s.name)
            incident = await service.record_declaration(edge.deps, actor, form)
            s.recorded.set()  # the form closes now; the room fills in behind it
            try:
                incident = await service.open_room(edge.deps, incident)
            except ChatError as error:
                said = (
                    f"The incident is recorded, but Slack failed: {error}. The bot tries "
                    "again every few minutes to open its channel and page the lead; "
                    "`/ai-incident list` shows its key."
                )
                await edge.tell(s.channel, s.user, View(said))
                return
            alert = forms.meta(mapping_at(kept, "view")).get("alert", "")
            if alert.isdigit() and edge.deps.alerts is not None:
                alerts = edge.deps.alerts
                await triage.declared(edge.deps, alerts, int(alert), actor, incident.key)
            room = tokens.room(incident.room.id) if incident.room else "(no channel yet)"
            await edge.tell(s.channel, s.user, View(f"Declared {incident.key}: {room}"))

        return job

    def _closing(self, kept: Mapping[str, Any]) -> SubmissionJob:
        view = mapping_at(kept, "view")
        form, key = forms.read_close(view, self.edge.deps.runbook), forms.meta(view).get("key")
        if not key:
            raise Malformed("The close form does not say which incident.")

        async def job(edge: Edge, s: Submitted) -> None:
            actor = await edge.actor(s.user, s.name)
            await service.close(edge.deps, key, actor, form)

        return job

    def _answering(self, kept: Mapping[str, Any]) -> SubmissionJob:
        view = mapping_at(kept, "view")
        text, meta = forms.typed(view, "text"), forms.meta(view)
        key, action = meta.get("key", ""), meta.get("action", "")
        if not key or action.split(":")[0] not in KNOWN:
            raise Malformed("The form does not say which button it answers.")

        async def job(edge: Edge, s: Submitted) -> None:
            actor = await edge.actor(s.user, s.name)
            try:
                await press(edge.deps, key, actor, action, text)
            except UnknownAction as error:
                raise Refused(str(error)) from None

        return job
