"""Button clicks and modal submissions, as Bolt's listeners call them.

    click = read_click(body)                   # Malformed for a foreign action id → 400
    await Interactions(edge).click(click)      # after the ack: press, or ask first
    app.view(modals.DECLARE)(Interactions(edge).declare)

Clicks are `handlers.slack.clicks`; submissions (answered on the form within
ANSWER_WITHIN_S, else in chat) are `handlers.slack.submissions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from handlers.kept import Replay
from handlers.slack.clicks import Click, Clicks, opens_declare, read_click
from handlers.slack.edge import Edge
from handlers.slack.submissions import ANSWER_WITHIN_S, ASK, CLOSE, DECLARE, Submissions

__all__ = ["ASK", "CLOSE", "DECLARE", "Click", "Interactions", "opens_declare", "read_click"]


class Interactions:
    def __init__(self, edge: Edge, within_s: float = ANSWER_WITHIN_S) -> None:
        self.clicks, self.submissions = Clicks(edge), Submissions(edge, within_s)

    async def click(self, c: Click) -> None:
        await self.clicks.click(c)

    def replay(self, kind: str) -> Replay:
        """How a kept submission is worked again after a crash: refusals go to chat."""
        return self.submissions.replay(kind)

    async def declare(
        self, ack: AsyncAck, body: Mapping[str, Any], view: Mapping[str, Any]
    ) -> None:
        await self.submissions.submit(DECLARE, ack, body, view)

    async def close(self, ack: AsyncAck, body: Mapping[str, Any], view: Mapping[str, Any]) -> None:
        await self.submissions.submit(CLOSE, ack, body, view)

    async def ask(self, ack: AsyncAck, body: Mapping[str, Any], view: Mapping[str, Any]) -> None:
        await self.submissions.submit(ASK, ack, body, view)
