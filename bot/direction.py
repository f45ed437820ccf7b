"""Text people typed, set apart for direction inside the bot's own sentences.

    f"{incident.key}: {isolated(incident.title)}"

A title typed in Arabic or Hebrew, or holding a right-to-left override (U+202E), would
otherwise reorder the text around it — the incident key included. Unicode's first-strong
isolate (U+2068 … U+2069) lets the text take its own direction and stop at its end; every
chat client draws it, and it is invisible. Text with nothing right-to-left and no direction
control in it cannot move its neighbours, so it is left exactly as typed (searches and
copies of it stay byte-for-byte).
"""

from __future__ import annotations

import unicodedata

FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"
# Bidi classes that can reorder the text around them: right-to-left letters, Arabic
# numbers, and the embedding, override and isolate controls.
MOVES_NEIGHBOURS = frozenset(
    ("R", "AL", "AN", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI")
)


OPENS_ISOLATE = frozenset(("\u2066", "\u2067", "\u2068"))  # LRI, RLI, FSI


def isolated(text: str) -> str:
    if not any(unicodedata.bidirectional(c) in MOVES_NEIGHBOURS for c in text):
        return text
    return f"{FIRST_STRONG_ISOLATE}{_balanced(text)}{POP_ISOLATE}"


def _balanced(text: str) -> str:
    """Without a pop (U+2069) that closes nothing typed: it would end the isolate early."""
    kept, depth = [], 0
    for c in text:
        if c in OPENS_ISOLATE:
            depth += 1
        elif c == POP_ISOLATE:
            if not depth:
                continue
            depth -= 1
        kept.append(c)
    return "".join(kept)
