"""The clocks of DOMAIN.md as data: who is told, by when, on what basis, from which moment.

    CLOCKS["ico_art33"].within      # -> 72 hours (UK GDPR Art 33; no runbook may change it)
    CLOCKS["ico_art33"].runs_from   # -> "breach": awareness of a personal-data breach
    CLOCKS["pi_insurer"].runs_from  # -> "incident": awareness of the incident itself

Which clocks an incident's answers start is bot.triggers; how this firm runs each (its
policy targets and owners) is bot.obligations.
"""

from __future__ import annotations

from bot.clock_rule import ClockRule
from bot.clocks_data_protection import GDPR, NETWORKS
from bot.clocks_insurers_ai_act import AI_ACT, INSURERS
from bot.clocks_regulators import REGULATORS

# In this order everywhere the clocks are listed (the one-pager, the README's table).
_RULES = (*GDPR, *REGULATORS, *NETWORKS, *INSURERS, *AI_ACT)

CLOCKS: dict[str, ClockRule] = {r.id: r for r in _RULES}
# Durations set by law (the runbook may name owners, never the time allowed).
STATUTORY = tuple(r.id for r in _RULES if r.statutory)
