"""The vendor in the chain, as the card, the containment checklist and the close summary
show it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.incident import Incident
from bot.notices import Notice
from bot.runbook import Runbook
from bot.timeline import Actor
from bot.views import view

T0 = datetime(2026, 3, 26, 15, 30, tzinfo=UTC)
SAM = Actor("test:sam", "Sam Okafor", "sam")


def _incident(**learned: str) -> Incident:
    return Incident(
        "AI-2026-0001",
        title="Vendor reports a leak",
        system="drafting-assistant",
        aware_at=T0,
        breach_aware_at=T0,
        learned=learned,
        declared_at=T0,
        closed_at=T0 + timedelta(days=3),
    )


def test_the_card_shows_which_notifications_are_the_firms_own(runbook: Runbook) -> None:
    shown = view(Notice(_incident(via="client"), "card"), runbook, T0)
    said = "\n".join(shown.lines)
    assert "Ours to notify (contract EAI-2291)" in said
    assert "ExampleAI Ltd never notifies the ICO for us" in said
    assert "Learned of it from: A client told us" in said


def test_a_processor_vendor_is_asked_first_for_a_retention_hold_and_its_logs(
    runbook: Runbook,
) -> None:
    shown = view(Notice(_incident(), "containment"), runbook, T0)
    assert any(
        line.startswith("First evidence step (E2): ask ExampleAI Ltd under contract EAI-2291")
        and "retention hold and its logs" in line
        for line in shown.lines
    )


def test_the_close_summary_reviews_whether_the_vendor_told_us_in_time(runbook: Runbook) -> None:
    late = _incident(
        via="vendor_notice",
        notice_at=T0.isoformat(),
        vendor_aware_at=(T0 - timedelta(hours=60)).isoformat(),
    )
    said = "\n".join(view(Notice(late, "summary"), runbook, T0).lines)
    assert "Vendor review: the vendor told us 60h after it became aware: outside its " in said
    assert "contract's 48h" in said
    prompt = _incident(
        via="vendor_notice",
        notice_at=T0.isoformat(),
        vendor_aware_at=(T0 - timedelta(hours=10)).isoformat(),
    )
    assert "within its contract's 48h" in "\n".join(
        view(Notice(prompt, "summary"), runbook, T0).lines
    )


def test_the_card_of_a_vendor_notice_says_whether_the_vendor_told_us_in_time(
    runbook: Runbook,
) -> None:
    told = _incident(
        via="vendor_notice",
        notice_at=T0.isoformat(),
        vendor_aware_at=(T0 - timedelta(hours=72)).isoformat(),
    )
    said = "\n".join(view(Notice(told, "card"), runbook, T0).lines)
    assert "Learned of it from: The vendor's notice" in said
    assert "72h after it became aware: outside its contract's 48h" in said
