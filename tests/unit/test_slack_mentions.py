"""Slack's mention syntax stays in the Slack edge: a `<@U…|name>` typed into a command reaches
the core as the runbook person it names."""

from __future__ import annotations

import pytest

from bot.commands import parse_person
from bot.runbook import Runbook
from handlers.slack.commands import as_people


@pytest.mark.parametrize(
    ("said", "who", "rest"),
    [
        ("<@U0PRIYA|priya> going home", "priya", "going home"),
        ("<@U0SAMOKAFOR|sam> back from leave", "sam", "back from leave"),
        ("<@U0SAMOKAFOR> back from leave", "sam", "back from leave"),
    ],
    ids=["slack mention by name", "slack mention", "slack mention without a name"],
)
def test_a_slack_mention_names_the_runbook_person(
    runbook: Runbook, said: str, who: str, rest: str
) -> None:
    person, after = parse_person(as_people(said, runbook), runbook, "alex")
    assert (person.id, after) == (who, rest)


def test_a_mention_of_someone_the_runbook_does_not_name_stays_as_slack_sent_it(
    runbook: Runbook,
) -> None:
    assert as_people("<@U0NOBODY> hi", runbook) == "<@U0NOBODY> hi"
    with pytest.raises(ValueError, match="'<@U0NOBODY>' is not one person in the runbook"):
        parse_person(as_people("<@U0NOBODY> hi", runbook), runbook, "alex")


def test_mentions_anywhere_in_a_command_read_as_the_people_they_name(runbook: Runbook) -> None:
    said = as_people("note <@U0SAMOKAFOR> asked <@U0PRIYA|priya> to check", runbook)
    assert said == "note @Sam Okafor asked @Priya Shah to check"
