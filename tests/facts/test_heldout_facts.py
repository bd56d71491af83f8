"""Floors for reading facts on the blind held-out sets (#13): a change that reads fewer facts
right or more wrong fails here. The figures themselves are printed by ``make bench``.

The sealed set was opened once, on 2026-12-07, for the figures in the issue's note: 83.5% read
right, 4.3% wrong (targets 90% / 2%: not met). The second sealed set was opened once, on the
same day, for the categories read from jobs: 83.3% right, 4.6% wrong, categories 17 of 17 right
and none wrong. Both were tuned on after that, like the dev sets. The third sealed set was
opened once, later that day, for the wider phrasings: 81.6% right, 2.6% wrong, 1.48 questions
saved as labelled (the reader before that change: 74.2%, 3.5%, 1.34); in the interviews' terms
(``in_terms``: its writer also labelled a hired worker's post, which the worker interview does
not ask) 88.3% right, 3.1% wrong. It was tuned on after that too. The fourth sealed set was
opened once for the wishes and the hires: 84.4% right, 4.1% wrong, 1.34 saved (the
reader at the start of that day: 74.1%, 6.6%, 1.15); tuned on since. The fifth, opened once
for the role weights: 88.5% right, 5.4% wrong, 1.46 saved (the morning's reader: 76.8%, 6.7%,
1.23); tuned on since. The sixth, opened once for the language words, "если" and other
directors: 87.2% right, 6.1% wrong, 1.33 saved (the reader before that change: 86.6%, 6.3%,
1.33); tuned on since. The seventh, opened once for the day's changes (hires, who writes,
countries asked about or a company's): 94.5% right, 4.6% wrong, 1.52 saved (the morning's
reader: 92.9%, 5.1%, 1.51); 14 of its 25 wrong facts were an ordinary post ("other") read for
an employer's hire that its writer left unlabelled. Tuned on since. The eighth, opened once
that evening (people in general, phrases inside a gap): 88.7% right, 3.0% wrong, 1.44 saved
(the morning's reader: 88.3%, 3.4%, 1.41). Floors sit a little under what is measured now."""

from __future__ import annotations

import pytest

from bench.facts_bench import load, tally
from knowledge import KnowledgeBase

FLOORS = {  # set: (least read right, most read wrong, least questions saved)
    "dev": (0.97, 0.02, 1.65),
    "dev2": (0.95, 0.02, 1.65),
    "sealed": (0.96, 0.03, 1.55),
    "sealed2": (0.96, 0.025, 1.5),
    "sealed3": (0.95, 0.015, 1.5),
    "sealed4": (0.95, 0.02, 1.45),
    "sealed5": (0.96, 0.03, 1.5),
    "sealed6": (0.9, 0.045, 1.38),
    "sealed7": (0.94, 0.04, 1.5),
    "sealed8": (0.87, 0.035, 1.4),
}
CATEGORY_FLOORS = {  # set: least share of the jobs with a category read right, most read wrong
    "dev": (1.0, 0), "dev2": (0.95, 0), "sealed": (0.85, 0), "sealed2": (0.95, 0),
    # "мал дәрігері" (a vet) read as a doctor's category 3, which the help does not name
    "sealed3": (0.9, 1),
    # a surgeon, a cardiologist, an anaesthetist: doctors, which JOB_CATEGORY cannot tell
    "sealed4": (0.95, 3),
    "sealed5": (0.9, 0),
    # the husband's job ("муж работает инженером") read as the writer's category 3
    "sealed6": (0.95, 1),
    "sealed7": (0.9, 0),
    "sealed8": (0.9, 0),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_held_out_floors(kb: KnowledgeBase, name: str) -> None:
    right, wrong, saved = FLOORS[name]
    t = tally(kb, load(name))
    assert t.right_share >= right, (t.right, t.stated)
    assert t.wrong_share <= wrong, (t.wrong, t.stated)
    assert sum(t.saved) / len(t.saved) >= saved
    assert t.none_changed == 0  # a message that states nothing: the interview starts as today


@pytest.mark.parametrize("name", sorted(CATEGORY_FLOORS))
def test_categories_read_from_jobs(kb: KnowledgeBase, name: str) -> None:
    """A job the category question's help names gives its category; no other job gives one
    (on the sets tuned on)."""
    least, most_wrong = CATEGORY_FLOORS[name]
    c = tally(kb, load(name)).category
    assert c["expected"] and c["right"] / c["expected"] >= least, c
    assert c["wrong"] <= most_wrong, c
