"""The local web chat's declare and close forms, each one service call.

forms = IncidentForms(deps)
location = await forms.declare(form)   # the new incident's room
"""

from __future__ import annotations

from datetime import datetime

from bot import service, triage
from bot.decisions import CloseForm, DeclareForm
from bot.failures import FAILURE_TYPES
from bot.runbook import Runbook
from bot.service import Deps
from handlers.web.chat import LOBBY, room_id
from handlers.web.form import Form, Malformed, actor, url
from handlers.web.uploads import regression_case


class IncidentForms:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.runbook: Runbook = deps.runbook

    async def declare(self, form: Form) -> str:
        declared = DeclareForm(
            title=form.text("title"),
            system=form.text("system"),
            failure_type=form.text("failure_type"),
            noticed=form.text("noticed", ""),
            aware_at=self._aware_at(form.text("aware_at", "")),
            learned_via=form.text("learned_via", ""),
            vendor_notice_at=self._aware_at(form.text("vendor_notice_at", "")),
            vendor_aware_at=self._aware_at(form.text("vendor_aware_at", "")),
        )
        incident = await service.declare(self.deps, actor(self.runbook, form), declared)
        alert = form.text("alert", "")
        if alert.isdigit() and self.deps.alerts is not None:
            by = actor(self.runbook, form)
            await triage.declared(self.deps, self.deps.alerts, int(alert), by, incident.key)
        return url(incident.room.id if incident.room else LOBBY)

    async def declare_alert(self, action: str) -> str:
        """The declare form, filled in from the alert; T0 stays the person's to set."""
        alert_id = action.rpartition(":")[2]
        known = alert_id.isdigit() and self.deps.alerts is not None
        record = await self.deps.alerts.get(int(alert_id)) if known and self.deps.alerts else None
        if record is None:
            raise Malformed(f"There is no alert '{alert_id[:20]}'.")
        filled = triage.prefill(record, self.runbook)
        said = {"title": filled.title, "system": filled.system, "noticed": filled.noticed}
        return url(LOBBY, form="declare", alert=alert_id, **said)

    def _aware_at(self, text: str) -> datetime | None:
        """`datetime-local` has no zone: it is the firm's wall-clock time."""
        if not text.strip():
            return None
        try:
            at = datetime.fromisoformat(text.strip())
        except ValueError:
            raise Malformed(f"'{text[:40]}' is not a date and time.") from None
        return at if at.tzinfo else at.replace(tzinfo=self.runbook.firm.timezone)

    async def close(self, form: Form) -> str:
        failure_type = form.text("failure_type", "")
        if failure_type and failure_type not in FAILURE_TYPES:
            raise Malformed(f"'{failure_type[:40]}' is not a failure type.")
        closing = CloseForm(
            root_cause=form.text("root_cause"),
            failure_type=failure_type,
            criteria=form.texts("criteria"),
            lessons=form.text("lessons", ""),
            remediation=form.text("remediation", ""),
            override_reason=form.text("override_reason", ""),
            regression=regression_case(lambda name: form.text(name, "")),
        )
        incident = await service.close(
            self.deps, form.text("key"), actor(self.runbook, form), closing
        )
        return url(room_id(incident.key))
