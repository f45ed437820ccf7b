"""Replies a button gives its presser alone (a draft notice), held for the page after the post.

Every post to the local chat ends in a redirect, and a draft is too long to ride in the URL
(the server reads 8 KB of request line, and URLs land in access logs), so the redirect
carries an unguessable token instead; the page shows the text only to the same speaker.

    replies = Replies()
    token = replies.keep("sam", "# DRAFT — …")
    replies.shown(token, "sam")    # -> "# DRAFT — …"
    replies.shown(token, "lee")    # -> ""
"""

from __future__ import annotations

import secrets
from collections import OrderedDict

HELD = 32  # the newest replies kept; an older one is gone, and pressing again redrafts it


class Replies:
    def __init__(self, most: int = HELD) -> None:
        self.most = most
        self.held: OrderedDict[str, tuple[str, str]] = OrderedDict()  # token -> (person, text)

    def keep(self, person: str, text: str) -> str:
        token = secrets.token_urlsafe(16)
        self.held[token] = (person, text)
        while len(self.held) > self.most:
            self.held.popitem(last=False)
        return token

    def shown(self, token: str, person: str) -> str:
        """The text for `person`, or "" for anyone else or a token not (or no longer) held."""
        person_held, text = self.held.get(token, ("", ""))
        return text if person_held and person_held == person else ""
