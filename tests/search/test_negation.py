"""Negated need ("не нужно", "керек емес", "doesn't need") is a term of its own, in any alphabet."""

from __future__ import annotations

import pytest

from dialogs.search.negation import NEGATION, exempting, negated
from dialogs.search.text import fold, index_terms, query_terms


def positions(text: str, lang: str | None = None) -> set[int]:
    return negated(fold(text).split(), lang)


@pytest.mark.parametrize(
    "text",
    [
        "кому не нужно разрешение",
        "кому разрешение не требуется",
        "komu ne nuzhno razreshenie",
        "кому можно не соблюдать соотношение",
        "кімге рұқсат керек емес",
        "кимге руксат керек емес",
        "руксат алудын кажети жок",
        "who does not need a permit",
        "who doesn't need a permit",
        "refugees dont need a work permit",
        "no work permit needed",
        "which companies don't have to keep the ratio",
    ],
)
def test_a_negated_need_becomes_the_negation_term(text: str) -> None:
    assert (NEGATION,) in query_terms(text)


@pytest.mark.parametrize(
    "text",
    [
        "кому нужно разрешение",
        "можно ли получить визу не выезжая",  # "не" about leaving, not about a need
        "квота деген не",  # Kazakh "не" is "what"
        "жауап дұрыс емес",  # "емес" after no word of need
        "do i need a work permit or not",
        "fine for not notifying the arrival",
    ],
)
def test_other_negations_and_kazakh_ne_are_not_the_negation_term(text: str) -> None:
    assert (NEGATION,) not in query_terms(text)


def test_the_negated_word_of_need_goes_with_the_negation() -> None:
    # "требуется" / "қажеті" say nothing more once the negation is a term
    assert positions("кому не требуется разрешение", "ru") == {1, 2}
    assert positions("кимдерге руксат кажети жок", "kk") == {2, 3}
    assert sorted(index_terms("кому разрешение не требуется", "ru")) == sorted(
        index_terms("кому не нужно разрешение", "ru")
    )


def test_index_rules_follow_the_language_of_the_text() -> None:
    assert NEGATION in index_terms("кимге руксат керек емес", "kk")
    assert NEGATION not in index_terms("кимге руксат керек емес", "en")


def test_exemption_words_carry_the_negation_besides_their_own_term() -> None:
    assert exempting(fold("кто освобождён от разрешения").split(), "ru")
    assert exempting(fold("who is exempt").split(), None)
    assert exempting(fold("кім рұқсаттан босатылған").split(), "kk")
    terms = index_terms("who is exempt from the permit", "en")
    assert NEGATION in terms and len(terms) == 3  # exempt, permit, negation
    assert not exempting(fold("what documents are needed").split(), None)
