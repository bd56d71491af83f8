"""Shared fixtures for the deadline tests: the knowledge-base figures and a pinned today."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.deadlines import DeadlineRules


@pytest.fixture
def rules() -> DeadlineRules:
    """The figures of the knowledge-base facts as of 2026-11-25."""
    return DeadlineRules(
        arrival_notice_days=3,
        fee_payment_days=10,
        renewal_start_earliest_days=60,
        renewal_start_latest_days=30,
        renewal_advice_months_min=2,
        renewal_advice_months_max=3,
        quota_deadline_month=8,
        quota_deadline_day=1,
        eaeu_stay_days=90,
        eaeu_window_days=180,
    )


@pytest.fixture
def today() -> date:
    return date(2026, 11, 25)
