"""The runbook's rooms: the Slack channel's prefix, privacy and archiving, the Teams team
and channel (or a channel per incident), and the alerts' triage room."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.runbook import GUID, Rooms
from bot.runbook_actions import triage_room
from bot.runbook_values import Fields, Value, is_null

_PREFIX = re.compile(r"[a-z0-9_-]{1,20}")
_GROUP_HINT = "the GUID after groupId= in the team's link (Teams: … → Get link to team)"


def rooms(f: Fields) -> Rooms:
    default = Rooms()
    slack = f["slack"].fields((), ("prefix", "private", "archive_after"))
    teams = f["teams"].fields((), ("team_id", "channel_id", "group_id", "dedicated_channels"))
    dedicated = teams["dedicated_channels"].boolean(False)
    group = teams["group_id"].text(empty_ok=True)
    if group and not GUID.fullmatch(group):
        teams["group_id"].error(f"'{group}' is not a group id; {_GROUP_HINT}")
    elif dedicated and not group:
        teams["dedicated_channels"].error(f"needs rooms.teams.group_id: {_GROUP_HINT}")
    return Rooms(
        slack_prefix=_prefix(slack["prefix"]) or default.slack_prefix,
        slack_private=slack["private"].boolean(default.slack_private),
        archive_after=_archive_after(slack["archive_after"], default.archive_after),
        teams_team_id=teams["team_id"].text(empty_ok=True),
        teams_channel_id=teams["channel_id"].text(empty_ok=True),
        teams_group_id=group,
        teams_dedicated_channels=dedicated,
        triage=triage_room(f["triage"]),
    )


def _prefix(value: Value) -> str:
    prefix = value.text()
    if prefix and not _PREFIX.fullmatch(prefix):
        rule = "use 1-20 lower-case letters, digits, '-' or '_'"
        value.error(f"'{prefix}' is not a valid room prefix; {rule}")
    return prefix


def _archive_after(value: Value, default: timedelta | None) -> timedelta | None:
    # An explicit empty value (archive_after: ~) means never archive the room.
    if value.node is None:
        return default
    return None if is_null(value.node) else value.duration()
