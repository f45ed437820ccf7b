"""A burst of one incident's due reminders: each goes out once, from one load, recorded and
its rows finished in one commit; one that fails waits for its retry without holding the
others back."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot import service
from bot.incident import Incident
from bot.runbook import Runbook
from bot.service import Deps
from bot.tick import tick
from storage.memory import MemoryStore
from tests.conftest import SEED_T0, person
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import classified_seed


class CountingStore(MemoryStore):
    """The in-memory store, counting loads and commits per incident, and finishes apart
    from a commit."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: Counter[str] = Counter()
        self.saves: Counter[str] = Counter()
        self.finishes = 0

    async def finish_reminders(self, *args: object, **kwargs: object) -> None:
        self.finishes += 1
        await super().finish_reminders(*args, **kwargs)  # type: ignore[arg-type]

    async def load(self, key: str, whole: bool = True) -> Incident | None:
        self.loads[key] += 1
        return await super().load(key, whole=whole)

    async def save(self, incident: Incident, *args: object, **kwargs: object) -> None:
        self.saves[incident.key] += 1
        await super().save(incident, *args, **kwargs)  # type: ignore[arg-type]


async def test_a_burst_on_one_incident_is_one_load_and_one_transaction(
    runbook: Runbook, chat: FakeChat, clock: FakeClock
) -> None:
    store = CountingStore()
    deps = Deps(runbook, store, chat, clock)
    incident = await classified_seed(deps)
    for who, role in (("sam", "incident_lead"), ("alex", "dpo")):  # no pages left to send
        await service.acknowledge(deps, incident.key, person(deps.runbook, who), role)
    clock.set(SEED_T0 + timedelta(hours=50))  # several clocks' reminders due at once
    store.loads.clear()
    store.saves.clear()
    sent = await tick(deps)
    commits = (store.loads[incident.key], store.saves[incident.key])
    loaded = await store.load(incident.key)
    assert loaded is not None
    reminded = [e.data["key"] for e in loaded.events if e.type == "reminded"]
    assert sent >= 10 and len(reminded) == len(set(reminded)) == sent  # each once
    assert commits == (1, 1) and store.finishes == 0  # the rows finished in that commit
    rows = [r for r in await store.reminders(incident.key) if r.status == "sent"]
    assert len(rows) == sent and all(r.attempts == 1 for r in rows)


async def test_one_failed_send_in_a_burst_waits_while_the_rest_are_recorded(
    deps: Deps, chat: FakeChat, clock: FakeClock
) -> None:
    incident = await classified_seed(deps)
    clock.set(SEED_T0 + timedelta(hours=50))
    chat.fail_once_on = "Reminder: Report the breach to the ICO"
    first = await tick(deps)
    failed = [r for r in await deps.store.reminders(incident.key) if r.status == "scheduled"]
    assert first >= 2 and any(r.attempts == 1 and r.last_error for r in failed)
    clock.advance(timedelta(seconds=5))
    second = await tick(deps)
    loaded = await deps.store.load(incident.key)
    assert loaded is not None
    keys = [e.data["key"] for e in loaded.events if e.type == "reminded"]
    assert second >= 1 and len(keys) == len(set(keys)) == first + second
