"""Who may reach the web pages (the board, the local web chat, /metrics) and how they are
served: the Host and Origin a browser sends must name this server, a request that came
through a proxy is never taken for a local one, and every page carries security headers.

    gate = Gate.of(host="0.0.0.0", names="incidents.example.com", proxies="127.0.0.1")
    app.middlewares.append(guard_hosts(gate))
    gate.local(request)   # -> False behind a reverse proxy, whatever its peer address

DNS rebinding is why the Host is checked: a page on another site whose name is made to
resolve to 127.0.0.1 reaches a loopback server with its own name in Host and Origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
# Headers a proxy or tunnel adds; their presence means the peer address is the proxy's.
FORWARDING = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-IP")
# Reached by Slack, Teams and alert sources under the public name; each request is signed
# or token-checked by its own route.
PLATFORM_PATHS = ("/slack/events", "/api/messages", "/alerts", "/healthz")
SESSION_DAYS = 7
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # "no-referrer" makes browsers post with Origin: null
}


def _names(text: str) -> frozenset[str]:
    return frozenset(n.strip().lower() for n in text.split(",") if n.strip())


def hostname(value: str) -> str:
    """The name in a Host header or an origin's netloc, without port or IPv6 brackets."""
    return (urlsplit(f"//{value}").hostname or "").lower()


def _loopback_address(address: str | None) -> bool:
    try:
        return address is not None and ip_address(address).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Gate:
    hosts: frozenset[str] = LOOPBACK_NAMES  # the names a browser may call this server by
    proxies: frozenset[str] = frozenset()  # peers whose X-Forwarded-Proto is believed

    @classmethod
    def of(cls, host: str = "", names: str = "", proxies: str = "") -> Gate:
        listening = {host.lower()} if host and host not in ("0.0.0.0", "::") else set()
        return cls(LOOPBACK_NAMES | listening | _names(names), _names(proxies))

    def host_ok(self, request: web.BaseRequest) -> bool:
        return hostname(request.headers.get("Host", "")) in self.hosts

    def origin_ok(self, request: web.BaseRequest) -> bool:
        origin = request.headers.get("Origin")
        return origin is None or hostname(urlsplit(origin).netloc) in self.hosts

    def local(self, request: web.BaseRequest) -> bool:
        """Asked from this machine itself: a loopback peer and no proxy's headers."""
        forwarded = any(name in request.headers for name in FORWARDING)
        return not forwarded and _loopback_address(request.remote)

    def https(self, request: web.BaseRequest) -> bool:
        """Served over HTTPS: directly, or by a trusted proxy that says so."""
        said = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        return request.secure or (request.remote in self.proxies and said == "https")


def guard_hosts(gate: Gate) -> Any:
    """Refuse a page asked for under another name, or a post from another site; give every
    answer the security headers."""

    @web.middleware
    async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
        if not request.path.startswith(PLATFORM_PATHS):
            if not gate.host_ok(request):
                raise web.HTTPMisdirectedRequest(text="This server does not answer to that name.")
            if not gate.origin_ok(request):
                raise web.HTTPForbidden(text="Requests from other sites are refused.")
        response: web.StreamResponse = await handler(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return guard
