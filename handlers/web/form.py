"""A posted form of the local web chat, who is speaking, and where the browser goes next.

form = Form(await request.post(), request.cookies.get(SPEAKER, ""))
title = form.text("title")         # Malformed when the page could not have sent it
return see_other(url(form.room, flash="…"))
"""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

from aiohttp import web
from multidict import MultiDictProxy

from bot.runbook import Person, Runbook
from bot.timeline import Actor
from handlers.web.chat import LOBBY

# Fields sent back to a form a refusal reopens, so nobody types them twice.
ECHO = (
    "form",
    "title",
    "system",
    "noticed",
    "aware_at",
    "failure_type",
    "root_cause",
    "alert",
    "learned_via",
    "vendor_notice_at",
    "vendor_aware_at",
)
ECHO_CLOSE = (
    "lessons",
    "remediation",
    "override_reason",
    "regression_input",
    "regression_output",
    "must_contain",
    "must_not_contain",
)
MAX_URL = 4000
MAX_SAID = 200  # characters of a message or room kept when a URL is cut (×9 once encoded)
SPEAKER = "as"  # the form field and cookie naming who is speaking

Fields = MultiDictProxy[str | bytes | bytearray | web.FileField]


class Malformed(Exception):
    """A form the page could not have sent; answered 400, never a stack trace."""


class Form:
    """Posted fields read as text; a field that is missing (and has no default) is Malformed."""

    def __init__(self, fields: Fields, cookie: str) -> None:
        self.fields, self.cookie = fields, cookie

    def text(self, name: str, default: str | None = None) -> str:
        value = self.fields.get(name, default)
        if not isinstance(value, str):
            raise Malformed(f"The form has no text field '{name}'.")
        return value

    def texts(self, name: str) -> list[str]:
        values = self.fields.getall(name, [])
        texts = [v for v in values if isinstance(v, str)]
        if len(texts) != len(values):
            raise Malformed(f"The form's '{name}' fields must be text.")
        return texts

    @property
    def room(self) -> str:
        value = self.fields.get("room", LOBBY)
        return value if isinstance(value, str) else LOBBY

    def echo(self) -> dict[str, str]:
        names = (*ECHO, *ECHO_CLOSE)
        return {n: v for n in names if isinstance(v := self.fields.get(n), str)}


def url(room: str, **params: str) -> str:
    """Where a post sends the browser next. A URL over MAX_URL could not be requested (the
    server reads 8 KB of request line): then the typed fields are not echoed, the rest cut."""
    kept = {k: v for k, v in params.items() if v}
    found = "/?" + urlencode({"room": room, **kept})
    if len(found) <= MAX_URL:
        return found
    said = {k: v[:MAX_SAID] for k, v in kept.items() if k in ("flash", "info")}
    return "/?" + urlencode({"room": room[:MAX_SAID], **said})


def see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def same_origin(request: web.Request) -> bool:
    """Browsers send Origin on cross-site form posts; refuse those to the local chat."""
    origin = request.headers.get("Origin")
    return origin is None or urlparse(origin).netloc == request.host


def speaker(runbook: Runbook, chosen: str | None) -> Person:
    """Who is speaking: the person chosen, else the first incident lead."""
    return runbook.find_person(chosen) or runbook.chain("incident_lead")[0]


def actor(runbook: Runbook, form: Form) -> Actor:
    """The person the form speaks as (its field, else the cookie); Malformed if unknown."""
    chosen = form.text(SPEAKER, "")
    if chosen and runbook.find_person(chosen) is None:
        raise Malformed(f"'{chosen[:40]}' is not a person in the runbook.")
    person = speaker(runbook, chosen or form.cookie)
    return Actor(id=f"web:{person.id}", name=person.name, person_id=person.id)
