"""The calculators around Kazakhstan's holidays, with the figures of the knowledge base."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from dialogs.deadlines import (
    DeadlineInputError,
    DeadlineRules,
    Stay,
    arrival_deadline,
    eaeu_stay,
    fee_deadline,
    quota_deadline,
    renewal_window,
    to_json_dict,
)

FACTS_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "base" / "facts"


def test_arrival_on_friday_before_nauryz(rules: DeadlineRules, today: date) -> None:
    result = arrival_deadline(date(2026, 3, 20), rules, today)
    # 21-25 March are Nauryz days off, 28-29 a weekend: 26, 27 and 30 March are counted.
    assert result.due == date(2026, 3, 30)
    assert [off.day.day for off in result.skipped] == [21, 22, 23, 24, 25, 28, 29]
    assert {off.kind for off in result.skipped[:5]} == {"holiday"}
    assert result.rule == ("arrival_notice_days",)


@pytest.mark.parametrize(
    ("entry", "due"),
    [
        (date(2026, 12, 14), date(2026, 12, 18)),  # Mon: 15, (16 off), 17, 18
        (date(2026, 12, 15), date(2026, 12, 21)),  # Tue: (16 off), 17, 18, (19-20), 21
    ],
)
def test_arrival_before_independence_day(
    rules: DeadlineRules, today: date, entry: date, due: date
) -> None:
    result = arrival_deadline(entry, rules, today)
    assert result.due == due
    assert date(2026, 12, 16) in {off.day for off in result.skipped}


def test_arrival_day_itself_is_not_counted(rules: DeadlineRules, today: date) -> None:
    assert arrival_deadline(date(2026, 4, 6), rules, today).due == date(2026, 4, 9)


def test_day_count_comes_from_the_rules(rules: DeadlineRules, today: date) -> None:
    five = dataclasses.replace(rules, arrival_notice_days=5)
    assert arrival_deadline(date(2026, 4, 6), five, today).due == date(2026, 4, 13)


def test_fee_counts_ten_working_days_across_16_december(rules: DeadlineRules) -> None:
    result = fee_deadline(date(2026, 12, 10), rules, today=date(2026, 12, 20))
    assert result.due == date(2026, 12, 25)
    assert result.working_days == 10 and result.rule == ("fee_payment_days",)
    assert (result.days_left, result.status) == (5, "upcoming")


def test_deadline_status(rules: DeadlineRules) -> None:
    entry = date(2026, 4, 6)
    assert arrival_deadline(entry, rules, today=date(2026, 4, 9)).status == "today"
    late = arrival_deadline(entry, rules, today=date(2026, 4, 11))
    assert (late.status, late.days_left) == ("overdue", -2)


def test_renewal_window(rules: DeadlineRules, today: date) -> None:
    result = renewal_window(date(2027, 3, 14), rules, today)
    assert (result.earliest, result.latest) == (date(2027, 1, 13), date(2027, 2, 12))
    assert (result.advice_from, result.advice_to) == (date(2026, 12, 14), date(2027, 1, 14))
    assert result.latest_working == result.latest  # a Friday
    assert result.status == "not_yet" and result.days_to_earliest == 49


def test_renewal_last_day_on_a_sunday_moves_back(rules: DeadlineRules, today: date) -> None:
    result = renewal_window(date(2026, 12, 1), rules, today)
    assert result.latest == date(2026, 11, 1)
    assert result.latest_working == date(2026, 10, 30)
    assert result.status == "late"


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 12, 1), "not_yet"),
        (date(2026, 12, 20), "prepare"),
        (date(2027, 1, 13), "open"),
        (date(2027, 2, 12), "open"),
        (date(2027, 2, 13), "late"),
        (date(2027, 3, 14), "expired"),
    ],
)
def test_renewal_status(rules: DeadlineRules, today: date, status: str) -> None:
    assert renewal_window(date(2027, 3, 14), rules, today).status == status


def test_quota_for_a_given_year(rules: DeadlineRules, today: date) -> None:
    result = quota_deadline(rules, today, hire_year=2028)
    assert result.deadline == date(2027, 8, 1)
    assert result.last_day == date(2027, 7, 30)  # 31 July 2027 is a Saturday
    assert result.status == "upcoming"


def test_quota_default_year_is_the_next_one_still_open(rules: DeadlineRules) -> None:
    assert quota_deadline(rules, today=date(2026, 11, 25)).hire_year == 2028
    assert quota_deadline(rules, today=date(2026, 5, 4)).hire_year == 2027


def test_eaeu_days_used_and_left(rules: DeadlineRules) -> None:
    stays = [Stay(date(2026, 6, 1), date(2026, 6, 30)), Stay(date(2026, 10, 1), date(2026, 10, 10))]
    result = eaeu_stay(stays, rules, on=date(2026, 11, 25))
    assert result.window_start == date(2026, 5, 30)
    assert (result.days_used, result.days_left, result.over_by) == (40, 50, 0)
    # Staying from 25 November: the June days leave the window by 27 December, so the limit
    # binds on the 10 October days: 10 + 80 days from 25 November ends on 12 February.
    assert result.stay_until == date(2027, 2, 12)


def test_eaeu_days_before_the_window_do_not_count(rules: DeadlineRules) -> None:
    result = eaeu_stay([Stay(date(2026, 5, 1), date(2026, 5, 31))], rules, on=date(2026, 11, 25))
    assert result.days_used == 2  # 30 and 31 May


def test_eaeu_open_stay_runs_to_the_reference_date(rules: DeadlineRules) -> None:
    result = eaeu_stay([Stay(date(2026, 8, 1))], rules, on=date(2026, 11, 25))
    assert result.days_used == 117 and result.over_by == 27 and result.stay_until is None


def test_eaeu_border_run_counts_the_same_day_once(rules: DeadlineRules) -> None:
    stays = [
        Stay(date(2026, 10, 1), date(2026, 10, 10)),
        Stay(date(2026, 10, 10), date(2026, 10, 12)),
    ]
    assert eaeu_stay(stays, rules, on=date(2026, 11, 25)).days_used == 12


@pytest.mark.parametrize(
    ("stays", "code"),
    [
        ([Stay(date(2026, 3, 1), date(2026, 2, 1))], "exit_before_entry"),
        ([Stay(date(2026, 3, 1), date(2026, 3, 10)), Stay(date(2026, 3, 5))], "stays_overlap"),
        ([Stay(date(2026, 3, 1)), Stay(date(2026, 4, 1), date(2026, 4, 2))], "stays_overlap"),
        ([Stay(date(2026, 12, 1))], "stay_in_future"),
    ],
)
def test_eaeu_rejects_impossible_stays(rules: DeadlineRules, stays: list[Stay], code: str) -> None:
    with pytest.raises(DeadlineInputError) as caught:
        eaeu_stay(stays, rules, on=date(2026, 11, 25))
    assert caught.value.code == code


def test_json_view_has_iso_dates(rules: DeadlineRules, today: date) -> None:
    data = json.loads(json.dumps(to_json_dict(arrival_deadline(date(2026, 3, 20), rules, today))))
    assert data["due"] == "2026-03-30" and data["start"] == "2026-03-20"
    assert data["skipped"][0] == {
        "day": "2026-03-21",
        "kind": "holiday",
        "names": {"kk": "Наурыз мейрамы", "en": "Nowruz Holiday"},
        "observed": False,
        "estimated": False,
        "moved_from": None,
    }
    assert data["status"] == "overdue" and data["type"] == "WorkingDaysDeadline"


def test_rules_from_knowledge(rules: DeadlineRules) -> None:
    values = dataclasses.asdict(rules)
    kb = SimpleNamespace(facts={key: SimpleNamespace(value=v) for key, v in values.items()})
    assert DeadlineRules.from_knowledge(kb) == rules
    del kb.facts["fee_payment_days"]
    with pytest.raises(KeyError, match="fee_payment_days"):
        DeadlineRules.from_knowledge(kb)


def test_rules_reject_figures_that_cannot_be_right(rules: DeadlineRules) -> None:
    values = dataclasses.asdict(rules) | {"renewal_start_latest_days": 90}
    with pytest.raises(ValueError, match="renewal_start_latest_days"):
        DeadlineRules.from_values(values.__getitem__)


def test_knowledge_base_facts_hold_every_rule() -> None:
    facts: dict = {}
    for path in sorted(FACTS_DIR.glob("*.yaml")):
        facts.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("facts") or {})
    missing = [fact_id for fact_id in DeadlineRules.fact_ids() if fact_id not in facts]
    assert not missing, f"facts missing from knowledge/base/facts: {missing}"
    rules = DeadlineRules.from_values(lambda fact_id: facts[fact_id]["value"])
    assert rules.arrival_notice_days == facts["arrival_notice_days"]["value"]
