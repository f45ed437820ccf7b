"""`ai-incident doctor`'s findings: what stops the bot working as configured is a problem,
what will surprise someone on the day is a warning."""

from __future__ import annotations

from dataclasses import replace

from bot.doctor import OK, PROBLEM, WARNING, findings
from bot.runbook import Runbook
from bot.settings import Settings

APP_ID = "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
GROUP = "8c1b1f52-95f1-4a59-9d6b-3f4a3c2f7d10"


def said(settings: Settings, runbook: Runbook) -> list[tuple[str, str]]:
    return [(f.level, f"{f.topic}: {f.said}") for f in findings(settings, runbook)]


def test_the_local_web_chat_out_of_the_box_is_ready(runbook: Runbook) -> None:
    found = said(Settings(), runbook)
    assert all(level == OK for level, _ in found)
    assert found[0][1].startswith("runbook: Harbour & Vale Advisory LLP: 5 people")


def test_teams_with_no_incidents_channel_or_a_bad_app_id_is_a_problem(runbook: Runbook) -> None:
    teams = Settings(
        teams_app_id="my-bot", teams_app_password="pw", teams_tenant_id="t-1", board_token="b"
    )
    found = said(teams, runbook)
    problems = [text for level, text in found if level == PROBLEM]
    assert problems == [
        "Teams: TEAMS_APP_ID is not the bot's GUID: requests will not authenticate",
        "Teams rooms: the runbook names no incidents channel (rooms.teams.channel_id)",
    ]


def test_dedicated_channels_without_the_tenant_is_a_problem(runbook: Runbook) -> None:
    rooms = replace(
        runbook.rooms,
        teams_channel_id="19:incidents@thread.tacv2",
        teams_group_id=GROUP,
        teams_dedicated_channels=True,
    )
    book = replace(runbook, rooms=rooms)
    teams = Settings(teams_app_id=APP_ID, teams_app_password="pw", board_token="b")
    assert (PROBLEM, "Teams rooms: dedicated_channels needs TEAMS_TENANT_ID; incidents will "
            "open as threads") in said(teams, book)  # fmt: skip
    with_tenant = said(replace(teams, teams_tenant_id="tenant-hv"), book)
    assert not [t for level, t in with_tenant if level == PROBLEM]


def test_with_a_platform_and_no_board_token_the_board_is_off_and_a_problem(
    runbook: Runbook,
) -> None:
    slack = Settings(slack_bot_token="xoxb-1", slack_signing_secret="s", host="0.0.0.0")
    found = said(slack, runbook)
    assert (PROBLEM, "board: BOARD_TOKEN is not set: with Slack or Teams the board is off "
            "until it is") in found  # fmt: skip
    assert (WARNING, "Slack people: found by email at first use (no slack id): priya, alex, "
            "jordan, lee") in found  # fmt: skip
    assert not [
        t for level, t in said(replace(slack, board_token="b"), runbook) if level == PROBLEM
    ]


def test_a_single_tenant_bot_without_its_tenant_is_a_problem(runbook: Runbook) -> None:
    teams = Settings(teams_app_id=APP_ID, teams_app_password="pw")
    assert (PROBLEM, "Teams tenant: SingleTenant needs TEAMS_TENANT_ID (the Azure Bot's "
            "Configuration page)") in said(teams, runbook)  # fmt: skip
    with_tenant = said(replace(teams, teams_tenant_id="tenant-hv"), runbook)
    assert (OK, "Teams tenant: SingleTenant, answering tenant tenant-hv alone") in with_tenant


def test_a_multi_tenant_bot_names_the_tenants_it_answers(runbook: Runbook) -> None:
    teams = Settings(teams_app_id=APP_ID, teams_app_password="pw", teams_app_type="MultiTenant")
    assert (WARNING, "Teams tenant: MultiTenant and TEAMS_ALLOWED_TENANTS is not set: any "
            "tenant can use the bot") in said(teams, runbook)  # fmt: skip
    listed = replace(teams, teams_allowed_tenants=("t-1", "t-2"))
    assert (OK, "Teams tenant: MultiTenant, answering tenants t-1, t-2") in said(listed, runbook)


def test_emulator_mode_is_shown_and_beyond_loopback_a_problem(runbook: Runbook) -> None:
    emulator = Settings(teams_emulator=True)
    found = said(emulator, runbook)
    assert (WARNING, "Teams: emulator mode (TEAMS_EMULATOR=1): Teams authentication is OFF, "
            "loopback only") in found  # fmt: skip
    assert not [t for level, t in found if level == PROBLEM and "TEAMS_APP_ID" in t]
    beyond = said(replace(emulator, host="0.0.0.0"), runbook)
    assert (PROBLEM, "HOST: emulator mode serves loopback only; HOST is 0.0.0.0, so serve "
            "refuses") in beyond  # fmt: skip
