"""Who may change or read an incident: every check in one place, from the runbook.

    permit(runbook, incident, actor, "contain", "mark containment steps")  # or Forbidden
    decider(runbook, "Q1")          # -> "decide_data_protection": the DPO chain decides
    signers(runbook, "Sign-off by the managing partner")  # -> ("priya",)
    readable(runbook, incident, actor, in_room=False)     # -> False for an outsider

The runbook's `permissions:` names roles, or `everyone` (anyone the runbook names),
`kill_switch` (the incident's system's kill-switch chain), `lead` (the incident's lead) and
`room` (members of the incident's room, for `read`). See docs/SECURITY.md for the defaults.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.decisions import Forbidden
from bot.incident import Incident
from bot.runbook import EVERYONE, KILL_SWITCH, LEAD, ROOM, Runbook
from bot.timeline import BOT, Actor

# The questions whose answer a runbook person may only propose, and who decides them.
DATA_PROTECTION = ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6")
REGULATOR = ("Q10", "Q11", "Q12", "Q13")
SIGN_OFF = re.compile(r"\bsign[- ]?off by (?:the )?(?P<who>.+?)\.?$", re.IGNORECASE)


def holders(runbook: Runbook, incident: Incident | None, action: str) -> tuple[str, ...]:
    """The ids of the people holding `action` on `incident`, in runbook order."""
    ids: list[str] = []
    for grantee in runbook.granted(action):
        if grantee == EVERYONE:
            ids += [p.id for p in runbook.people]
        elif grantee == KILL_SWITCH and incident is not None:
            system = runbook.system(incident.system)
            ids += list(system.kill_switch.who) if system else []
        elif grantee == LEAD and incident is not None and incident.owner:
            ids.append(incident.owner)
        else:
            ids += list(runbook.roles.get(grantee, ()))
    return tuple(dict.fromkeys(ids))


def allowed(runbook: Runbook, incident: Incident | None, actor: Actor, action: str) -> bool:
    return actor == BOT or (
        actor.person_id is not None and actor.person_id in holders(runbook, incident, action)
    )


def names(runbook: Runbook, ids: tuple[str, ...]) -> str:
    if len(ids) == len(runbook.people) and ids:
        return "people named in the runbook"
    people = [runbook.find_person(pid) for pid in ids]
    said = [f"{p.name} ({p.title})" for p in people if p is not None]
    return " or ".join(said) if said else "nobody (the runbook grants it to no one)"


def permit(
    runbook: Runbook, incident: Incident | None, actor: Actor, action: str, verb: str
) -> None:
    """Forbidden, saying who may, unless `actor` holds `action` on `incident`."""
    if not allowed(runbook, incident, actor, action):
        raise Forbidden(f"Only {names(runbook, holders(runbook, incident, action))} may {verb}.")


def decider(question: str) -> str:
    """The action that decides `question`; anyone who may change the incident may propose."""
    if question in DATA_PROTECTION:
        return "decide_data_protection"
    return "decide_regulator" if question in REGULATOR else "change"


def signers(runbook: Runbook, criterion: str) -> tuple[str, ...] | None:
    """The people who alone may confirm a "Sign-off by …" criterion (a role's chain or a
    named person); None for a criterion that names nobody."""
    found = SIGN_OFF.search(criterion.strip())
    if found is None:
        return None
    who = found.group("who").strip().lower()
    for role, chain in runbook.roles.items():
        if who == role.replace("_", " ") or who == role:
            return chain
    matches = [p.id for p in runbook.people if who in (p.id, p.name.lower(), p.title.lower())]
    return tuple(matches) or None


def readable(runbook: Runbook, incident: Incident | None, actor: Actor, in_room: bool) -> bool:
    """Whether `actor` may see `incident`'s detail: asked in its room, or a holder of read."""
    if in_room and ROOM in runbook.granted("read"):
        return True
    return allowed(runbook, incident, actor, "read")


def permit_read(
    runbook: Runbook, incident: Incident | None, actor: Actor, in_room: bool = False
) -> None:
    """Forbidden (never recorded, and disclosing nothing of the incident) unless readable."""
    if not readable(runbook, incident, actor, in_room):
        where = " or members of its room" if ROOM in runbook.granted("read") else ""
        who = names(runbook, holders(runbook, incident, "read"))
        raise Forbidden(f"Only {who}{where} may see an incident's detail.")


def permit_sign_offs(runbook: Runbook, actor: Actor, criteria: Sequence[str]) -> None:
    """Forbidden unless `actor` is named by every "Sign-off by …" criterion confirmed."""
    for criterion in criteria:
        named = signers(runbook, criterion)
        if named is not None and actor.person_id not in named:
            raise Forbidden(f"Only {names(runbook, named)} may confirm '{criterion}'.")
