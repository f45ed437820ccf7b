"""One clock's rule, and the shapes most clocks share (a 72-hour statutory report, a prompt
report to a professional body).

    law72("pecr_reg5a", "Report the PECR breach to the ICO", "ICO", "Q2", "PECR reg 5A")

The clocks themselves are bot.clock_rules, grouped by regime in bot.clocks_*.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

H = timedelta(hours=1)
D = timedelta(days=1)


@dataclass(frozen=True)
class ClockRule:
    id: str
    title: str
    recipient: str
    question: str  # the answer that starts it
    within: timedelta | None  # None: due at close (the internal breach register)
    basis: str  # "law" or "policy"
    wording: str  # what the law actually says
    owner_roles: tuple[str, ...]
    style: str = "default"  # "72h", "immediate", "default" or "close"
    draft: str = ""  # the bot.papers.drafts kind its owner can start from; "" for none
    statutory: bool = False  # a duration set by law: the runbook may not change it
    runs_from: str = "incident"  # "incident" or "breach": which awareness time is its T0
    source: str = ""  # the legal source, for the one-pager and the README
    name: str = ""  # a short plain name, where the title is too long for a list or picture

    @property
    def label(self) -> str:
        """The clock's plain name in lists and the timeline picture."""
        return self.name or self.title


def law72(
    clock_id: str, title: str, recipient: str, question: str, source: str, draft: str = ""
) -> ClockRule:
    return ClockRule(
        clock_id,
        title,
        recipient,
        question,
        72 * H,
        "law",
        f"within 72 hours of awareness ({source})",
        ("dpo",),
        "72h",
        draft=draft,
        statutory=True,
        runs_from="breach",
        source=source,
    )


def promptly(
    clock_id: str, title: str, recipient: str, question: str, source: str, owners: tuple[str, ...]
) -> ClockRule:
    return ClockRule(
        clock_id,
        title,
        recipient,
        question,
        72 * H,
        "policy",
        f"promptly ({source})",
        owners,
        "72h",
        source=source,
    )
