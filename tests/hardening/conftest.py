"""Fixtures for the hardening tests (the Slack rig) and hypothesis profiles.

`make test` runs the "hardening" profile: a few dozen examples per property, enough to
find the common breakages fast. `make soak` sets HYPOTHESIS_PROFILE=soak for thousands.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

from tests.e2e.slack_rig import rig, slack

__all__ = ["rig", "slack"]  # fixtures

# One running server per test serves every example: a fresh one per example would make the
# suite slow, and state carried between examples is itself a hostile input.
SHARED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
# `make test` reports a failing example as found: shrinking hostile payloads through a live
# server can take minutes. The soak run has the time to shrink.
settings.register_profile(
    "hardening",
    max_examples=40,
    deadline=None,
    suppress_health_check=SHARED,
    database=None,
    phases=(Phase.explicit, Phase.generate),
)
settings.register_profile(
    "soak", max_examples=2000, deadline=None, suppress_health_check=SHARED, database=None
)
# Decorate each property with FUZZ (explicit, so other suites' profiles are left alone).
FUZZ = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE") or "hardening")
