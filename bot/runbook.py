"""The firm's one-page runbook, parsed once into frozen models.

runbook = load_runbook(Path("runbook.yaml"))   # (bot.runbook_parse) raises RunbookError
runbook.chain("incident_lead")                 # -> (Person(sam), Person(priya))
runbook.may("alex", "mark_notified")           # -> True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.runbook_actions import Action

# A Microsoft id (an app, a tenant, a team's group): the whole text, as Entra writes it.
GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")

# Who a permission can name besides a role: anyone the runbook names, the incident's system's
# kill-switch chain, the incident's current lead, and members of its room (reads only).
EVERYONE, KILL_SWITCH, LEAD, ROOM = "everyone", "kill_switch", "lead", "room"
GRANTEES = (EVERYONE, KILL_SWITCH, LEAD, ROOM)

# Actions a runbook can grant to roles, and the roles that hold them when the runbook is silent.
DEFAULT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "change": (EVERYONE,),
    "read": (EVERYONE, ROOM),
    "contain": (KILL_SWITCH, LEAD),
    "decide_data_protection": ("dpo",),
    "decide_regulator": ("compliance", "managing_partner"),
    "acknowledge": ("incident_lead",),
    "mark_notified": ("dpo", "managing_partner"),
    "waive_obligation": ("dpo", "managing_partner"),
    "override_gate": ("managing_partner",),
    "close": ("incident_lead", "managing_partner"),
    "correct_awareness": ("incident_lead", "dpo", "managing_partner"),
}

# Roles the bot relies on; a runbook must define each with at least one person.
REQUIRED_ROLES = ("incident_lead", "dpo", "managing_partner")


class RunbookError(Exception):
    """Every problem found in a runbook, each naming its YAML path and line."""

    def __init__(self, source: str, errors: list[str]) -> None:
        self.source = source
        self.errors = errors
        super().__init__(f"{source}: {len(errors)} problem(s)\n" + "\n".join(errors))


PROFESSIONAL_BODIES = ("icaew", "acca", "none")
FCA_TIERS = ("standard", "enhanced")
AI_ACT_ROLES = ("deployer", "provider")


@dataclass(frozen=True)
class Profile:
    """The firm's answers, given once in the runbook: which regimes and questions apply."""

    fca_authorised: bool = False
    sra_regulated: bool = False
    icaew_member: bool = False  # older runbooks: the same as professional_body: icaew
    eu_data_subjects: bool = False
    eu_high_risk_ai: bool = False
    processor_for_clients: bool = False
    cyber_policy_covers_privacy: bool = False
    eu_main_establishment: bool = False  # one lead EU authority instead of one per state
    pecr: bool = False  # a public electronic communications service
    nis: bool = False  # an operator of essential services or a relevant digital service
    fca_firm: str = "standard"  # PS26/2 tier, from 18 Mar 2027
    professional_body: str = "none"  # icaew, acca or none
    ai_act_role: str = "deployer"  # for an EU high-risk (Annex III) system

    @property
    def body(self) -> str:
        """The professional body whose rules apply ('none' when there is none)."""
        return "icaew" if self.icaew_member else self.professional_body

    @property
    def has_professional_body(self) -> bool:
        return self.body != "none"


@dataclass(frozen=True)
class Firm:
    name: str
    timezone: ZoneInfo
    profile: Profile
    ico_registration: str = ""  # the data protection fee registration number (ICO report)
    address: str = ""


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    title: str
    email: str
    slack: str | None = None
    teams: str | None = None


@dataclass(frozen=True)
class KillSwitch:
    who: tuple[str, ...]
    how: str


@dataclass(frozen=True)
class Contract:
    vendor_notifies_within: timedelta | None = None
    notes: str = ""
    ref: str = ""  # the contract's reference, quoted when asking the vendor for anything
    processor: bool = False  # the vendor processes personal data for the firm


@dataclass(frozen=True)
class System:
    id: str
    name: str
    vendor: str
    kill_switch: KillSwitch
    logs: str
    containment: tuple[str, ...]
    contract: Contract = field(default_factory=Contract)
    actions: tuple[Action | None, ...] = ()  # per containment step (bot.runbook_actions)

    def action(self, step: int) -> Action | None:
        return self.actions[step] if 0 <= step < len(self.actions) else None


@dataclass(frozen=True)
class Escalation:
    ack_timeout: timedelta = timedelta(minutes=15)
    status_nudge: timedelta = timedelta(hours=4)
    unsure_resolve_by: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class ClockPolicy:
    """A runbook override for one of DOMAIN.md's clocks (policy target, owner chain)."""

    within: timedelta | None = None
    owner: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtraClock:
    """A firm-specific obligation, e.g. a client contract's notice clause."""

    id: str
    title: str
    question: str
    answers: tuple[str, ...]
    within: timedelta
    owner: tuple[str, ...]


@dataclass(frozen=True)
class Clocks:
    policies: dict[str, ClockPolicy] = field(default_factory=dict)
    reminders_72h: tuple[timedelta, ...] = (
        timedelta(hours=24),
        timedelta(hours=48),
        timedelta(hours=66),
        timedelta(hours=71),
    )
    extra: tuple[ExtraClock, ...] = ()


@dataclass(frozen=True)
class Rooms:
    slack_prefix: str = "aiinc"
    slack_private: bool = True
    archive_after: timedelta | None = timedelta(days=30)
    teams_team_id: str = ""
    teams_channel_id: str = ""
    teams_group_id: str = ""  # the team's Microsoft 365 group (a GUID), for Graph
    teams_dedicated_channels: bool = False  # a new channel per incident instead of a thread
    triage: str = ""  # where alerts post suspected incidents (bot.runbook_actions)


@dataclass(frozen=True)
class Runbook:
    version: int
    firm: Firm
    people: tuple[Person, ...]
    roles: dict[str, tuple[str, ...]]
    permissions: dict[str, tuple[str, ...]]
    escalation: Escalation
    systems: tuple[System, ...]
    reportable: str
    clocks: Clocks
    reenable_criteria: tuple[str, ...]
    rooms: Rooms

    def person(self, person_id: str) -> Person:
        return next(p for p in self.people if p.id == person_id)

    def find_person(self, person_id: str | None) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)

    def chain(self, role: str) -> tuple[Person, ...]:
        return tuple(self.person(pid) for pid in self.roles.get(role, ()))

    def system(self, system_id: str) -> System | None:
        return next((s for s in self.systems if s.id == system_id), None)

    def roles_of(self, person_id: str) -> tuple[str, ...]:
        return tuple(role for role, chain in self.roles.items() if person_id in chain)

    def granted(self, action: str) -> tuple[str, ...]:
        """The roles (and GRANTEES) holding `action`: the runbook's, else the default."""
        return self.permissions.get(action, DEFAULT_PERMISSIONS.get(action, ()))

    def may(self, person_id: str | None, action: str) -> bool:
        allowed = self.granted(action)
        if person_id is None or self.find_person(person_id) is None:
            return False
        return EVERYONE in allowed or any(person_id in self.roles.get(r, ()) for r in allowed)

    def who_may(self, action: str) -> tuple[Person, ...]:
        allowed = self.granted(action)
        if EVERYONE in allowed:
            return self.people
        ids = dict.fromkeys(pid for role in allowed for pid in self.roles.get(role, ()))
        return tuple(self.person(pid) for pid in ids)
