from __future__ import annotations

import pytest

from bot.incident import Incident
from bot.runbook import Runbook
from tests.unit.closed_seed import run_closed_seed


@pytest.fixture(scope="module")
def closed(runbook: Runbook) -> Incident:
    """The seed case carried through to close, once per module (it is never changed)."""
    return run_closed_seed(runbook)[0]
