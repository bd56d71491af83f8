"""The light Kazakh stemmer, and what it buys on held-out queries with suffix chains."""

from __future__ import annotations

import pytest

from dialogs.search import FaqSearch
from dialogs.search.devset import evaluate_held_out, load_faq, load_situations, load_smalltalk
from dialogs.search.kazakh import stem
from dialogs.search.text import fold


@pytest.mark.parametrize(("inflected", "plain"), [
    ("рұқсаттарымызды", "рұқсат"),
    ("рұқсаттың", "рұқсат"),
    ("ресейденмін", "ресей"),
    ("квоталарымызды", "квота"),
    ("азаматына", "азамат"),
    ("азаматы", "азамат"),
    ("құжаттарымды", "құжат"),
    ("айыппұлдары", "айыппұл"),
    ("ұзартуға", "ұзарту"),
    ("тапсырамыз", "тапсыру"),
    ("бағасы", "баға"),
    ("визасы", "виза"),
    ("жұмысшыларымызға", "жұмысшы"),
    ("руксаттарымызды", "руксат"),  # typed without Kazakh letters
])
def test_inflected_forms_meet_their_base_form(inflected: str, plain: str) -> None:
    assert stem(fold(inflected)) == stem(fold(plain))


@pytest.mark.parametrize(("word", "other"), [
    ("рұқсатсыз", "рұқсат"),  # "without a permit" is not "a permit"
    ("жұмысшы", "жұмыс"),  # the worker is not the work
    ("жұмыс", "жұмыр"),
])
def test_words_that_differ_in_meaning_stay_apart(word: str, other: str) -> None:
    assert stem(fold(word)) != stem(fold(other))


def test_short_words_are_left_alone() -> None:
    for word in ("ала", "бар", "кел", "қай", "баға"):
        assert len(stem(fold(word))) >= min(4, len(fold(word)))


def test_held_out_kazakh_queries_with_suffix_chains() -> None:
    # Written without looking at the search (see the file's header); never tuned on. Right entry
    # first / among the suggestions: 12 / 15 of 48 at first, 17 / 22 with the stemmer, 36 / 40
    # with more Kazakh ways to ask each FAQ question, 43 / 47 with the ranker (ranker.py), which
    # answers more of them directly and three wrongly, each a close neighbour (ratio rules vs
    # their exceptions, apostille in general vs for family documents, visa-free stay vs a work
    # visa). A floor a little under today's figures.
    report = evaluate_held_out(FaqSearch.build(load_faq(), load_smalltalk(),
                                               situations=load_situations()))
    assert report.total == 48
    assert report.top1 >= 40, report
    assert report.top3 >= 44, report
    assert report.wrong_answers <= 3
