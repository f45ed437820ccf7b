"""A file shared in a room, downloaded with a cap on its size: Slack's and Teams' evidence
files both come through here.

    body = await read_capped(response)     # NotFetched("the file is over 100 MB") past it
"""

from __future__ import annotations

import aiohttp

MAX_BYTES = 100 * 1024 * 1024
CHUNK = 1 << 16
TIMEOUT = aiohttp.ClientTimeout(total=120)


class NotFetched(Exception):
    """The file's bytes could not be had; the message says why."""


async def read_capped(response: aiohttp.ClientResponse, limit: int = MAX_BYTES) -> bytes:
    """The response's body, read in chunks, refused as soon as it passes `limit` bytes."""
    body = bytearray()
    async for chunk in response.content.iter_chunked(CHUNK):
        body += chunk
        if len(body) > limit:
            raise NotFetched(f"the file is over {limit // (1024 * 1024)} MB")
    return bytes(body)
