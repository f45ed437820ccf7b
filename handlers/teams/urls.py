"""Which service URLs may receive the bot's token: Microsoft's hosts only.

    urls = ServiceUrls()                                # production
    urls = ServiceUrls(extra=("http://127.0.0.1:4312",))  # a test's fake connector
    urls.allowed("https://smba.trafficmanager.net/emea/")   # -> True
    urls.allowed("https://smba.trafficmanager.net.evil.example/")  # -> False

An activity names the service URL its replies go to; a forged one would otherwise make the
bot send its bearer token to any host. Loopback is never allowed unless an exact origin is
listed (the tests' fake connector), or in emulator mode, where loopback is all there is:

    urls = ServiceUrls.loopback()   # the Bot Framework Emulator, on whatever port it picked

Hosts match exactly: the Bot Framework's other channels (Web Chat, Direct Line) live under
botframework.com, and an activity naming one is not from Teams.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

# The Bot Connector's hosts for Teams: public, GCC, GCC High, DoD.
MICROSOFT_HOSTS = (
    "smba.trafficmanager.net",
    "smba.infra.gcc.teams.microsoft.com",
    "smba.infra.gov.teams.microsoft.us",
    "smba.infra.dod.teams.microsoft.us",
)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


# Microsoft Graph's hosts (global and the national clouds), for the dedicated-channel option.
GRAPH_HOSTS = (
    "graph.microsoft.com",
    "graph.microsoft.us",
    "dod-graph.microsoft.us",
    "microsoftgraph.chinacloudapi.cn",
)


def origin(url: str) -> str:
    """`scheme://host[:port]` in lower case; '' for what is not an absolute http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        return ""
    host = f"[{host}]" if ":" in host else host  # IPv6, as written in a URL
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


class ServiceUrls:
    def __init__(
        self,
        hosts: Iterable[str] = MICROSOFT_HOSTS,
        extra: Iterable[str] = (),
        *,
        any_loopback: bool = False,
    ) -> None:
        self.hosts = tuple(h.lower() for h in hosts)
        self.extra = frozenset(origin(e) for e in extra if origin(e))
        self.any_loopback = any_loopback

    @classmethod
    def loopback(cls) -> ServiceUrls:
        """Emulator mode: any port on this machine, and nothing else."""
        return cls(hosts=(), any_loopback=True)

    def allowed(self, url: str) -> bool:
        found = origin(url)
        if not found:
            return False
        if found in self.extra:
            return True
        host = urlsplit(found).hostname or ""
        if self.any_loopback:
            return host in LOOPBACK_HOSTS
        scheme, port = urlsplit(found).scheme, urlsplit(found).port
        return scheme == "https" and port in (None, 443) and host in self.hosts

    def base(self, url: str) -> str:
        """The URL with exactly one trailing slash, for joining API paths onto."""
        return url.strip().rstrip("/") + "/"
