"""The database URL and log format settings: accepted as documented, refused in one line."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.logs import JsonLines
from bot.settings import SettingsError, load_settings


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///var/ai-incident.db",
        "sqlite://",
        "sqlite:///:memory:",
        "postgresql://bot@db.internal/incidents",
        "postgres://bot@db.internal/incidents",
        "postgresql+psycopg://bot:pw@db.internal:5432/incidents",
    ],
)
def test_supported_database_urls_are_taken_as_given(url: str) -> None:
    assert load_settings({"DATABASE_URL": url}).database_url == url


def test_a_sqlite_file_in_an_existing_folder_is_taken(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    assert load_settings({"DATABASE_URL": url}).database_url == url


def test_a_password_in_a_refused_url_is_never_repeated() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings({"DATABASE_URL": "mssql+pyodbc://sa:Hunter2@db/incidents"})
    assert "Hunter2" not in str(refused.value) and "DATABASE_URL" in str(refused.value)


def test_log_format_is_text_unless_json_and_refuses_anything_else() -> None:
    assert load_settings({}).log_format == "text"
    assert load_settings({"LOG_FORMAT": "JSON"}).log_format == "json"
    with pytest.raises(SettingsError, match="LOG_FORMAT must be text or json"):
        load_settings({"LOG_FORMAT": "xml"})


def test_a_json_log_line_holds_the_level_logger_and_message() -> None:
    record = logging.LogRecord("bot.service", logging.INFO, "", 0, "%s declared", ("K",), None)
    line = json.loads(JsonLines().format(record))
    assert line["level"] == "INFO" and line["logger"] == "bot.service"
    assert line["message"] == "K declared" and line["at"].endswith("+00:00")
