"""How the server's log is written: lines a person reads, or JSON for a log shipper.

    configure("json")   # LOG_FORMAT=json: one JSON object a line

Either way: INFO is one line per change to an incident (who, what, which incident),
WARNING what needs someone's attention, ERROR only a fault.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

TEXT = "%(asctime)s %(levelname)s %(name)s %(message)s"
FORMATS = ("text", "json")
QUIET = {
    "apscheduler": logging.WARNING,  # a line per sweep is noise
    "alembic": logging.WARNING,  # migrate() says in one line what changed
    "aiohttp.access": logging.WARNING,  # a line per request; changes are logged as such
}


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(log_format: str = "text") -> None:
    """Set up the process's log, unless something already has (a test run, a host program)."""
    if logging.getLogger().handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(TEXT))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    for name, level in QUIET.items():
        logging.getLogger(name).setLevel(level)
