"""Hostile input for the property tests: text people might paste, values Slack would never
send, and mutations of real payloads (keys dropped, values of the wrong kind, huge or odd).

    payload = mutated(data, real_payload)   # inside a @given(data=st.data()) test
    assert not leaks(answer.body)
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

# What a stack trace or an exception's name looks like wherever it might leak to a person.
TRACE = re.compile(
    r"Traceback \(most recent|File \"[^\"]*\", line \d+|\b[A-Z]\w*(Error|Exception)\b|exc_info"
)

HOSTILE = (
    "<!channel>",
    "<!everyone> <@U0SAMOKAFOR>",
    "{@priya} {#C0000002} {t:9999-12-31T23:59:59+00:00}",
    "&lt;b&gt;&amp;",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "nul\x00byte",
    "evil\u202etxt.exe",
    "\u200f\u2066\u2069",
    "'; DROP TABLE incidents; --",
    "%s %n %x {0} ${jndi:ldap://x}",
    "AI-2026-0001",
    "AI-2026-9999",
    "ai-2026-0001 note",
    "\r\n\tX-Injected: yes",
    "🔥" * 50,
    "Z̸̡̛a̶l̷g̵o̸",
)


def huge(min_size: int = 3_000, max_size: int = 12_000) -> st.SearchStrategy[str]:
    """Long text made cheaply: one character repeated, possibly after a prefix. Past every
    limit the bot and Slack set (3,000 and 4,000), short of a request body over 1 MB."""
    return st.builds(
        lambda prefix, char, n: prefix + char * n,
        st.sampled_from(("", "note ", "evidence ", "declare ", "aware ")),
        st.characters(exclude_categories=("Cs",)),
        st.integers(min_size, max_size),
    )


def words() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(st.characters(exclude_categories=("Cs",)), max_size=80),
        st.sampled_from(HOSTILE),
        huge(),
    )


JSON: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda kids: (
        st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=6), kids, max_size=3)
    ),
    max_leaves=6,
)
ODD = st.one_of(JSON, words())

Path = tuple[str | int, ...]


def paths(value: Any, here: Path = ()) -> Iterator[Path]:
    """Every place inside a JSON value (not the value itself)."""
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for name, inner in items:
        yield (*here, name)
        yield from paths(inner, (*here, name))


def _changed(value: Any, path: Path, new: Any, delete: bool) -> Any:
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if delete:
        del parent[last]
    else:
        parent[last] = new
    return value


def mutated(data: st.DataObject, value: Any, most: int = 3) -> Any:
    """`value` with up to `most` places dropped or replaced by something odd."""
    value = copy.deepcopy(value)
    for _ in range(data.draw(st.integers(0, most), label="mutations")):
        found = list(paths(value))
        if not found:
            break
        path = pick(data, found, "where")
        delete = data.draw(st.booleans(), label="drop")
        value = _changed(value, path, None if delete else data.draw(ODD, label="odd"), delete)
    return value


def pick[T](data: st.DataObject, choices: list[T], label: str) -> T:
    """One of `choices`, drawn the same way however many there are: the server's state (and
    so the choices) moves on between examples, and hypothesis wants its draws repeatable."""
    return choices[data.draw(st.integers(0, 2**16), label=label) % len(choices)]


def set_at(value: dict[str, Any], path: Path, new: Any) -> dict[str, Any]:
    """Set a place that exists (a targeted mutation of a field the bot reads)."""
    try:
        return _changed(value, path, new, delete=False)
    except (KeyError, IndexError, TypeError):
        return value


def leaks(text: str) -> bool:
    return TRACE.search(text) is not None
