"""LOG_FORMAT=json: the server's log is one JSON object a line, for a log shipper."""

from __future__ import annotations

import json
from pathlib import Path

from tests.browser.test_quiet_log import declare
from tests.faults.servers import ServerProcess


async def test_with_log_format_json_every_line_is_a_json_object(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'incidents.db'}", "LOG_FORMAT": "json"}
    env["RECORDS_DIR"] = str(tmp_path / "records")
    server = await ServerProcess(env, tmp_path / "server.log").ready()
    try:
        await declare(server.url, "Drafting tool leaks figures")
    finally:
        server.process.terminate()
        server.process.wait(timeout=60)
    lines = [json.loads(line) for line in server.log.read_text().splitlines() if line]
    assert {"at", "level", "logger", "message"} <= set(lines[0])
    said = [line["message"] for line in lines if line["level"] == "INFO"]
    assert any(m.startswith("ai-incident serving the local web chat") for m in said)
    assert any(m.startswith("AI-2026-0001 declared") and "(web:sam)" in m for m in said)
    assert not [line for line in lines if line["level"] in ("ERROR", "CRITICAL")]
