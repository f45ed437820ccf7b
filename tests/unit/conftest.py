from __future__ import annotations

import pytest

from bot.incident import Incident
from bot.runbook import Runbook
from tests.unit.closed_seed import FACTS, run_closed_seed


@pytest.fixture(scope="module")
def closed(runbook: Runbook) -> Incident:
    """The seed case carried through to close, once per module (it is never changed)."""
    return run_closed_seed(runbook)[0]


@pytest.fixture(scope="module")
def closed_with_facts(runbook: Runbook) -> Incident:
    """The same, with the parties and the data recorded as facts before the close."""
    return run_closed_seed(runbook, FACTS)[0]
