"""The runbook: the shipped example parses, and every broken runbook is refused with the
YAML path and line of each problem, all at once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.durations import format_duration, parse_duration
from bot.runbook import ClockPolicy, Escalation, Rooms, RunbookError
from bot.runbook_parse import load_runbook, parse_runbook

SHIPPED_PATH = Path(__file__).parents[2] / "runbook.yaml"
SHIPPED = SHIPPED_PATH.read_text(encoding="utf-8")
KNOWN_PEOPLE = "sam, priya, alex, jordan, lee"


def problems(text: str) -> list[str]:
    with pytest.raises(RunbookError) as caught:
        parse_runbook(text, source="runbook.yaml")
    return caught.value.errors


def edited(old: str, new: str) -> str:
    assert SHIPPED.count(old) == 1, f"the shipped runbook no longer contains {old!r} once"
    return SHIPPED.replace(old, new)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return text[:start].count("\n") + 1


def minimal() -> dict[str, Any]:
    def person(pid: str, name: str) -> dict[str, str]:
        return {"id": pid, "name": name, "title": "Partner", "email": f"{pid}@tiny.example"}

    return {
        "version": 1,
        "firm": {"name": "Tiny & Co", "timezone": "Europe/London"},
        "people": [person("sam", "Sam Okafor"), person("priya", "Priya Shah")],
        "roles": {"incident_lead": ["sam"], "dpo": ["priya"], "managing_partner": ["priya"]},
        "systems": [
            {
                "id": "drafting",
                "name": "Drafting assistant",
                "vendor": "ExampleAI Ltd",
                "kill_switch": {"who": ["sam"], "how": "Admin console → disable"},
                "logs": "Vendor console → audit log",
                "containment": ["Disable AI drafts"],
            }
        ],
        "reportable": "Anything wrong that left the firm.",
        "reenable_criteria": ["Root cause found"],
    }


def dumped(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


# --- the shipped example ---------------------------------------------------------------


def test_shipped_runbook_parses_with_no_errors() -> None:
    runbook = load_runbook(SHIPPED_PATH)

    assert runbook.firm.name == "Harbour & Vale Advisory LLP"
    assert runbook.firm.profile.body == "icaew" and runbook.firm.profile.processor_for_clients
    assert len(runbook.systems) >= 2
    assert all(p.name and p.title and p.email for p in runbook.people)
    assert (runbook.rooms.teams_team_id, runbook.rooms.teams_channel_id) == ("", "")


def test_shipped_runbook_has_the_acme_contract_clock_on_q7() -> None:
    runbook = parse_runbook(SHIPPED, source="runbook.yaml")

    (acme,) = runbook.clocks.extra
    assert (acme.id, acme.question, acme.answers) == (
        "client_contract_acme",
        "Q7",
        ("yes", "unsure"),
    )
    assert acme.within == timedelta(hours=24)
    assert acme.owner == ("sam",)


def test_clock_policies_carry_their_target_and_owner_chain() -> None:
    runbook = parse_runbook(SHIPPED, source="runbook.yaml")

    assert runbook.clocks.policies["pi_insurer"] == ClockPolicy(timedelta(hours=48), ("priya",))
    assert runbook.clocks.reminders_72h == tuple(timedelta(hours=h) for h in (24, 48, 66, 71))


def test_a_minimal_runbook_takes_the_defaults() -> None:
    runbook = parse_runbook(dumped(minimal()), source="runbook.yaml")

    assert runbook.escalation == Escalation()
    assert runbook.rooms == Rooms()
    assert runbook.permissions == {}
    assert runbook.clocks.policies == {}
    assert runbook.systems[0].contract.vendor_notifies_within is None


def test_a_single_answer_may_be_written_as_plain_text() -> None:
    runbook = parse_runbook(edited("answer: [yes, unsure]", "answer: yes"), source="runbook.yaml")

    assert runbook.clocks.extra[0].answers == ("yes",)


def test_teams_dedicated_channels_name_the_team_group() -> None:
    group = "8c1b1f52-95f1-4a59-9d6b-3f4a3c2f7d10"
    teams = f'teams: {{channel_id: "19:incidents@thread.tacv2", group_id: "{group}", '
    new = teams + "dedicated_channels: true}"
    runbook = parse_runbook(edited('teams: {team_id: "", channel_id: ""}', new), source="x")

    assert runbook.rooms.teams_dedicated_channels and runbook.rooms.teams_group_id == group
    assert not load_runbook(SHIPPED_PATH).rooms.teams_dedicated_channels  # threads by default


def test_an_empty_archive_after_means_rooms_are_never_archived() -> None:
    runbook = parse_runbook(edited("archive_after: 30d", "archive_after: ~"), source="x")

    assert runbook.rooms.archive_after is None


# --- broken runbooks: each names its YAML path and line ----------------------------------

ONE_LINE_BREAKAGES = [
    pytest.param(
        "incident_lead: [sam, priya]",
        "incident_lead: [sam, bob]",
        "roles.incident_lead[1]",
        f"unknown person 'bob' (known: {KNOWN_PEOPLE})",
        id="unknown-person-in-a-role-chain",
    ),
    pytest.param(
        "ack_timeout: 15m ",
        "ack_timeout: 15 minutes ",
        "escalation.ack_timeout",
        "'15 minutes' is not a duration; write a number and a unit with no spaces",
        id="duration-written-in-words",
    ),
    pytest.param(
        "who: [lee, sam, priya]",
        "who: []",
        "systems[0].kill_switch.who",
        "must list at least one person",
        id="kill-switch-with-nobody",
    ),
    pytest.param(
        "who: [lee, sam]",
        "who: [lee, robin]",
        "systems[1].kill_switch.who[1]",
        "unknown person 'robin'",
        id="unknown-person-on-a-kill-switch",
    ),
    pytest.param(
        "question: Q7",
        "question: Q99",
        "clocks.extra[0].when.question",
        "unknown question 'Q99' (known: Q1, Q2",
        id="extra-clock-on-an-unknown-question",
    ),
    pytest.param(
        "answer: [yes, unsure]",
        "answer: [yes, perhaps]",
        "clocks.extra[0].when.answer[1]",
        "unknown answer 'perhaps' (known: yes, no, unsure",
        id="extra-clock-on-an-unknown-answer",
    ),
    pytest.param(
        "      owner: [sam]",
        "      owner: [sammy]",
        "clocks.extra[0].owner[0]",
        "unknown person 'sammy'",
        id="unknown-extra-clock-owner",
    ),
    pytest.param(
        "pi_insurer: {within: 48h, owner: [priya]}",
        "pi_insurer: {within: 48h, owner: [broker]}",
        "clocks.pi_insurer.owner[0]",
        "unknown person 'broker'",
        id="unknown-clock-policy-owner",
    ),
    pytest.param(
        "pi_insurer: {",
        "pi_insurance: {",
        "clocks.pi_insurance",
        "unknown key 'pi_insurance' (allowed: reminders_72h, extra, ico_art33",
        id="unknown-clock-id",
    ),
    pytest.param(
        "timezone: Europe/London",
        "timezone: Europe/Londinium",
        "firm.timezone",
        "unknown time zone 'Europe/Londinium'",
        id="bad-timezone",
    ),
    pytest.param(
        "  close: [incident_lead, managing_partner]",
        "  close: [incident_lead, senior_partner]",
        "permissions.close[1]",
        "unknown role 'senior_partner'",
        id="permission-naming-an-unknown-role",
    ),
    pytest.param(
        "version: 1",
        "version: 2",
        "version",
        "unsupported version '2' (this bot reads version 1)",
        id="unsupported-version",
    ),
    pytest.param(
        "sra_regulated: false ",
        "sra_regulated: 'no' ",
        "firm.profile.sra_regulated",
        "expected true or false",
        id="profile-flag-that-is-not-a-boolean",
    ),
    pytest.param(
        "    eu_high_risk_ai: false",
        "    eu_high_risk: false",
        "firm.profile.eu_high_risk",
        "unknown key 'eu_high_risk' (allowed: fca_authorised",
        id="unknown-profile-key",
    ),
    pytest.param(
        "  icaew: {within: 72h, owner: [jordan]}",
        "  ico_art33: {within: 96h, owner: [alex]}",
        "clocks.ico_art33.within",
        "is set by law (UK GDPR Art 33); a runbook may name its owner, not its time",
        id="statutory-ico-duration-overridden",
    ),
    pytest.param(
        "  icaew: {within: 72h, owner: [jordan]}",
        "  eu_gdpr: {within: 5d}",
        "clocks.eu_gdpr.within",
        "is set by law (EU GDPR Art 33)",
        id="statutory-eu-gdpr-duration-overridden",
    ),
    pytest.param(
        "  icaew: {within: 72h, owner: [jordan]}",
        "  ai_act_art73: {within: 30d}",
        "clocks.ai_act_art73.within",
        "is set by law (EU AI Act Art 73)",
        id="statutory-ai-act-duration-overridden",
    ),
    pytest.param(
        "    professional_body: icaew",
        "    professional_body: cima",
        "firm.profile.professional_body",
        "unknown professional body 'cima' (known: icaew, acca, none)",
        id="unknown-professional-body",
    ),
    pytest.param(
        "    fca_firm: standard",
        "    fca_firm: large",
        "firm.profile.fca_firm",
        "unknown fca firm 'large' (known: standard, enhanced)",
        id="unknown-fca-tier",
    ),
    pytest.param(
        "    professional_body: icaew",
        "    professional_body: acca\n    icaew_member: true",
        "firm.profile.professional_body",
        "contradicts icaew_member: true",
        id="icaew-member-and-acca",
    ),
    pytest.param(
        "prefix: aiinc",
        "prefix: AI Incidents",
        "rooms.slack.prefix",
        "'AI Incidents' is not a valid room prefix",
        id="room-prefix-with-spaces-and-capitals",
    ),
    pytest.param(
        'teams: {team_id: "", channel_id: ""}',
        'teams: {team_id: "", channel_id: "", dedicated_channels: true}',
        "rooms.teams.dedicated_channels",
        "needs rooms.teams.group_id: the GUID after groupId= in the team's link",
        id="dedicated-teams-channels-without-the-team-group",
    ),
    pytest.param(
        'teams: {team_id: "", channel_id: ""}',
        'teams: {group_id: "Harbour & Vale", dedicated_channels: true}',
        "rooms.teams.group_id",
        "'Harbour & Vale' is not a group id",
        id="teams-group-id-that-is-not-a-guid",
    ),
    pytest.param(
        "reminders_72h: [24h, 48h, 66h, 71h]",
        "reminders_72h: [24h, 80h]",
        "clocks.reminders_72h[1]",
        "must fall before the 72h deadline",
        id="reminder-after-the-ico-deadline",
    ),
    pytest.param(
        "managing_partner: [priya]",
        "managing_partner: []",
        "roles.managing_partner",
        "must list at least one person",
        id="required-role-left-empty",
    ),
]


@pytest.mark.parametrize(("old", "new", "path", "message"), ONE_LINE_BREAKAGES)
def test_each_broken_line_is_reported_with_its_path_and_line(
    old: str, new: str, path: str, message: str
) -> None:
    text = edited(old, new)

    expected = f"runbook.yaml:{line_of(text, new)}: {path}: {message}"
    assert any(error.startswith(expected) for error in problems(text)), problems(text)


def test_unknown_person_in_role_names_the_path_and_line() -> None:
    text = edited("incident_lead: [sam, priya]", "incident_lead: [sam, bob]")

    assert problems(text) == [
        f"runbook.yaml:{line_of(text, 'incident_lead: [sam, bob]')}: roles.incident_lead[1]: "
        f"unknown person 'bob' (known: {KNOWN_PEOPLE})"
    ]


def test_duplicate_person_id_names_the_later_entry() -> None:
    data = minimal()
    data["people"].append({"id": "sam", "name": "Sam Again", "title": "X", "email": "s@x.example"})
    text = dumped(data)

    first, second = line_of(text, "id: sam"), line_of(text, "id: sam", occurrence=2)
    assert problems(text) == [
        f"runbook.yaml:{second}: people[2].id: duplicate id 'sam' (first used at line {first})"
    ]


def test_duplicate_system_and_extra_clock_ids_are_refused() -> None:
    data = minimal()
    data["systems"].append(dict(data["systems"][0]))
    clock = {"id": "acme", "title": "Tell Acme", "when": {"question": "Q7", "answer": "yes"}}
    clock |= {"within": "24h", "owner": ["sam"]}
    data["clocks"] = {"extra": [clock, dict(clock)]}

    found = problems(dumped(data))
    assert any("systems[1].id: duplicate id 'drafting'" in error for error in found)
    assert any("clocks.extra[1].id: duplicate id 'acme'" in error for error in found)


def test_a_missing_required_key_is_named_at_its_parent_line() -> None:
    data = minimal()
    del data["people"][1]["email"]
    text = dumped(data)

    line = line_of(text, "- id: priya")
    assert problems(text) == [f"runbook.yaml:{line}: people[1].email: missing (required)"]


def test_kill_switch_without_who_is_refused() -> None:
    data = minimal()
    del data["systems"][0]["kill_switch"]["who"]
    text = dumped(data)

    assert problems(text) == [
        f"runbook.yaml:{line_of(text, 'how:')}: systems[0].kill_switch.who: missing (required)"
    ]


def test_a_required_role_that_is_missing_is_named() -> None:
    data = minimal()
    del data["roles"]["dpo"]
    text = dumped(data)

    (error,) = problems(text)
    assert error.startswith(f"runbook.yaml:{line_of(text, 'incident_lead:')}: roles.dpo: missing")


def test_a_runbook_with_no_systems_is_refused() -> None:
    data = minimal() | {"systems": []}

    assert problems(dumped(data)) == [
        f"runbook.yaml:{line_of(dumped(data), 'systems:')}: systems: must list at least one system"
    ]


def test_a_system_with_no_containment_steps_is_refused() -> None:
    data = minimal()
    data["systems"][0]["containment"] = []

    (error,) = problems(dumped(data))
    assert "systems[0].containment: must list at least one containment step" in error


def test_empty_reenable_criteria_are_refused() -> None:
    text = dumped(minimal() | {"reenable_criteria": []})

    assert problems(text) == [
        f"runbook.yaml:{line_of(text, 'reenable_criteria')}: reenable_criteria: "
        "must list at least one criterion"
    ]


def test_an_unknown_top_level_key_lists_the_allowed_keys() -> None:
    text = dumped(minimal() | {"sytems": []})

    (error,) = problems(text)
    assert error.startswith(f"runbook.yaml:{line_of(text, 'sytems')}: sytems: unknown key")
    assert "(allowed: version, firm, people, roles, systems, reportable" in error


def test_wrong_types_say_what_was_expected() -> None:
    data = minimal() | {"people": {"sam": "Sam"}, "reportable": ["a", "b"]}

    found = problems(dumped(data))
    assert any("people: expected a list, got a mapping" in error for error in found)
    assert any("reportable: expected text, got a list" in error for error in found)


def test_yaml_syntax_error_reports_its_line() -> None:
    text = edited("  dpo: [alex, priya]", "  dpo: [alex, priya")

    (error,) = problems(text)
    assert error.startswith("runbook.yaml:")
    assert int(error.split(":")[1]) >= line_of(text, "dpo: [alex, priya")
    assert "(syntax)" in error


def test_an_empty_file_is_refused() -> None:
    assert problems("") == [
        "runbook.yaml:1: (document): the file is empty; expected a runbook mapping"
    ]


def test_several_problems_are_all_reported_at_once_in_line_order() -> None:
    text = SHIPPED
    for old, new in [
        ("version: 1", "version: 3"),
        ("timezone: Europe/London", "timezone: Mars/Olympus"),
        ("incident_lead: [sam, priya]", "incident_lead: [sam, bob]"),
        ("ack_timeout: 15m ", "ack_timeout: soon "),
        ("question: Q7", "question: Q0"),
    ]:
        text = text.replace(old, new)

    found = problems(text)
    paths = [error.split(": ")[1] for error in found]
    assert paths == [
        "version",
        "firm.timezone",
        "roles.incident_lead[1]",
        "escalation.ack_timeout",
        "clocks.extra[0].when.question",
    ]
    assert [int(error.split(":")[1]) for error in found] == sorted(
        int(error.split(":")[1]) for error in found
    )


def test_the_error_names_the_source_it_was_given(tmp_path: Path) -> None:
    path = tmp_path / "firm-runbook.yaml"
    path.write_text(edited("version: 1", "version: 9"), encoding="utf-8")

    with pytest.raises(RunbookError) as caught:
        load_runbook(path)

    assert caught.value.source == str(path)
    assert caught.value.errors[0].startswith(f"{path}:")


# --- durations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", timedelta(minutes=15)),
        ("4h", timedelta(hours=4)),
        ("2d", timedelta(days=2)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("30s", timedelta(seconds=30)),
        ("2w", timedelta(weeks=2)),
        ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
    ],
)
def test_parse_duration_reads_the_compact_form(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected
    assert format_duration(expected) == text


def test_parse_duration_accepts_every_unit_largest_first() -> None:
    expected = timedelta(weeks=1, days=2, hours=3, minutes=4, seconds=5)

    assert parse_duration(" 1w2d3h4m5s ") == expected


@pytest.mark.parametrize("text", ["15 minutes", "", "m", "1.5h", "30m1h", "-5m", "15M", "4 h"])
def test_parse_duration_refuses_anything_else_and_names_the_accepted_form(text: str) -> None:
    with pytest.raises(ValueError, match=r"e\.g\. 15m, 4h, 2d, 1h30m"):
        parse_duration(text)


@pytest.mark.parametrize(
    "duration",
    [
        timedelta(0),
        timedelta(seconds=1),
        timedelta(hours=72),
        timedelta(days=30),
        timedelta(days=14),
    ]
    + [timedelta(seconds=s) for s in (59, 61, 3599, 3601, 86_399, 90_061, 694_861)],
)
def test_parse_duration_round_trips_format_duration(duration: timedelta) -> None:
    assert parse_duration(format_duration(duration)) == duration


def test_format_duration_prefers_days_unless_weeks_are_exact() -> None:
    assert format_duration(timedelta(days=30)) == "30d"
    assert format_duration(timedelta(days=14)) == "2w"
    assert format_duration(timedelta(hours=48)) == "2d"


def test_format_duration_refuses_a_negative_duration() -> None:
    with pytest.raises(ValueError, match="negative"):
        format_duration(timedelta(minutes=-1))


# --- permissions ----------------------------------------------------------------------------


def test_may_follows_the_roles_each_action_is_granted_to() -> None:
    runbook = parse_runbook(SHIPPED, source="runbook.yaml")

    assert runbook.may("alex", "mark_notified")
    assert runbook.may("priya", "override_gate")
    assert not runbook.may("sam", "override_gate")
    assert not runbook.may("lee", "close")
    assert not runbook.may(None, "close")
    assert not runbook.may("sam", "launch_rockets")


def test_who_may_lists_people_in_role_then_chain_order_without_repeats() -> None:
    runbook = parse_runbook(SHIPPED, source="runbook.yaml")

    assert [p.id for p in runbook.who_may("mark_notified")] == ["alex", "priya"]
    assert [p.id for p in runbook.who_may("close")] == ["sam", "priya"]
    assert [p.id for p in runbook.chain("incident_lead")] == ["sam", "priya"]


def test_actions_the_runbook_omits_fall_back_to_the_default_roles() -> None:
    runbook = parse_runbook(dumped(minimal()), source="runbook.yaml")

    assert runbook.may("priya", "waive_obligation")
    assert runbook.may("sam", "acknowledge")
    assert not runbook.may("sam", "waive_obligation")


def test_a_permission_naming_no_role_is_an_error_naming_its_path() -> None:
    text = edited("  contain: [kill_switch, lead]", "  contain: [kill_switch, bosses]")
    (error,) = problems(text)
    line = line_of(text, "contain: [kill_switch, bosses]")
    assert error.startswith(f"runbook.yaml:{line}: permissions.contain[1]: unknown role 'bosses'")
    assert "everyone, kill_switch, lead, room" in error


def test_the_runbook_can_widen_who_decides_and_narrow_who_reads() -> None:
    text = edited("  decide_data_protection: [dpo]", "  decide_data_protection: [dpo, it_lead]")
    text = text.replace("  read: [everyone, room]", "  read: [incident_lead, dpo]")
    runbook = parse_runbook(text, source="runbook.yaml")
    assert runbook.may("lee", "decide_data_protection")
    assert runbook.may("alex", "read") and not runbook.may("jordan", "read")
    assert runbook.may("jordan", "change")  # everyone the runbook names, by default
