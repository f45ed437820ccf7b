"""Evidence that is evidence: a shared file's own bytes kept under RECORDS_DIR, named by
their SHA-256 (a link is recorded as a link, never fetched: bot.decisions.is_link).

    path = await keep_file(records, "AI-2026-0001", content)   # "evidence/AI-2026-0001/<sha>"
"""

from __future__ import annotations

import hashlib
import logging

from bot.ports import ChatError, Records

log = logging.getLogger(__name__)


def stored_path(key: str, content: bytes) -> str:
    """Content-addressed, so the same file shared twice is kept once and a name never
    becomes a path."""
    return f"evidence/{key}/{hashlib.sha256(content).hexdigest()}"


async def keep_file(records: Records | None, key: str, content: bytes | None) -> str:
    """Keep the bytes; the relative path, or "" when there is nowhere to keep them or the
    write failed (the hash is recorded either way)."""
    if records is None or content is None:
        return ""
    path = stored_path(key, content)
    try:
        await records.keep({path: content})
    except ChatError as error:
        log.warning("could not keep an evidence file of %s: %s", key, error)
        return ""
    return path
