"""The files a closed incident leaves behind, as contents keyed by relative path.

    files = closed_records(incident, runbook)
    # {"reports/AI-2026-0001.md": b"...", "reports/AI-2026-0001.html": b"...",
    #  "register/AI-2026-0001.csv": b"...", "evals/AI-2026-0001.jsonl": b"..."}

Written once, after close, by the reminder ticker through the `Records` port, so a crash
between the close and the write only delays them. Rewriting them is harmless: they are a
pure function of the closed record.
"""

from __future__ import annotations

from bot.incident import Incident
from bot.papers import learn, register
from bot.papers.picture import timeline_png
from bot.papers.report import report_html, report_markdown
from bot.runbook import Runbook


def closed_records(incident: Incident, runbook: Runbook) -> dict[str, bytes]:
    at, key = incident.closed_at, incident.key
    if at is None:
        return {}
    picture = timeline_png(incident, runbook, at)
    files = {
        f"reports/{key}.md": report_markdown(incident, runbook, at),
        f"reports/{key}.html": report_html(incident, runbook, at, picture),
    }
    if register.is_breach(incident):
        entry = register.entry(incident, runbook, at)
        files[f"register/{key}.csv"] = register.register_csv([entry])
    cases = learn.regression_cases(incident)
    if cases:
        files[f"evals/{key}.jsonl"] = learn.cases_jsonl(cases)
    return {path: text.encode("utf-8") for path, text in files.items()}
