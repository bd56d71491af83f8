"""The figures the deadline calculators use, taken from knowledge-base facts.

No calculator holds a day count of its own: each receives a :class:`DeadlineRules`, normally
built from the loaded knowledge base, so an admin who changes a fact changes every calculation.

Usage::

    from knowledge import load_knowledge
    rules = DeadlineRules.from_knowledge(load_knowledge())
    rules.arrival_notice_days          # 3 (working days), fact ``arrival_notice_days``
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Protocol


class _Fact(Protocol):
    value: Any


class _Knowledge(Protocol):
    facts: Mapping[str, _Fact]


@dataclass(frozen=True)
class DeadlineRules:
    """Day counts and dates behind the calculators; each field is the fact of the same id."""

    arrival_notice_days: int  # working days after entry to notify the police of arrival
    fee_payment_days: int  # working days after the decision notice to pay the permit fee
    renewal_start_earliest_days: int  # apply for renewal no earlier than this before expiry
    renewal_start_latest_days: int  # ... and no later than this many days before expiry
    renewal_advice_months_min: int  # the firm advises starting to prepare 2-3 months ahead
    renewal_advice_months_max: int
    quota_deadline_month: int  # quota applications for next year are due before this date
    quota_deadline_day: int
    eaeu_stay_days: int  # EAEU citizens without a TRP: at most this many days ...
    eaeu_window_days: int  # ... in any period of this many days

    @classmethod
    def fact_ids(cls) -> tuple[str, ...]:
        """Return the knowledge-base fact ids the rules are read from."""
        return tuple(item.name for item in fields(cls))

    @classmethod
    def from_values(cls, value_of: Callable[[str], Any]) -> DeadlineRules:
        """Build the rules from a function that returns a fact's value by id."""
        values = {fact_id: int(value_of(fact_id)) for fact_id in cls.fact_ids()}
        rules = cls(**values)
        rules.check()
        return rules

    @classmethod
    def from_knowledge(cls, kb: _Knowledge) -> DeadlineRules:
        """Build the rules from a loaded knowledge base (``kb.facts[fact_id].value``)."""
        missing = [fact_id for fact_id in cls.fact_ids() if fact_id not in kb.facts]
        if missing:
            raise KeyError(f"knowledge base lacks facts: {', '.join(missing)}")
        return cls.from_values(lambda fact_id: kb.facts[fact_id].value)

    def check(self) -> None:
        """Raise ValueError when the figures cannot describe a real rule."""
        problems = [name for name in self.fact_ids() if getattr(self, name) < 1]
        if problems:
            raise ValueError(f"facts must be positive: {', '.join(problems)}")
        if self.renewal_start_latest_days > self.renewal_start_earliest_days:
            raise ValueError("renewal_start_latest_days exceeds renewal_start_earliest_days")
        if self.renewal_advice_months_min > self.renewal_advice_months_max:
            raise ValueError("renewal_advice_months_min exceeds renewal_advice_months_max")
        if self.eaeu_stay_days > self.eaeu_window_days:
            raise ValueError("eaeu_stay_days exceeds eaeu_window_days")
        if not 1 <= self.quota_deadline_month <= 12 or self.quota_deadline_day > 31:
            raise ValueError("quota_deadline_month/day do not form a date")
