"""Normalisation: spellings people use for the same word must meet in one term."""

from __future__ import annotations

import pytest

from dialogs.search.layout import swap_layout
from dialogs.search.text import fold, index_terms, plain_form, query_terms, skeleton


def matches(query: str, text: str, lang: str) -> bool:
    """Whether every term of `text` is among the alternatives of some query word."""
    alternatives = {form for forms in query_terms(query) for form in forms}
    return set(index_terms(text, lang)) <= alternatives


def test_fold_lowers_strips_punctuation_and_folds_yo_and_kazakh_letters() -> None:
    assert fold("Ещё РАЗ, пожалуйста!").split() == ["еще", "раз", "пожалуйста"]
    assert fold("Қазақстанда жұмысқа рұқсат әкімдік ғылым өңір һ") == (
        "казакстанда жумыска руксат акимдик гылым онир х"
    )


@pytest.mark.parametrize(
    ("spellings"),
    [
        ("разрешение", "razreshenie", "razresheniye"),
        ("рұқсат", "руксат", "ruqsat", "ruksat"),
        ("жұмыс", "жумыс", "jūmys", "zhumys"),
        ("шетелдік", "şeteldik", "sheteldik"),
        ("щука", "shchuka", "schuka"),
        ("объём", "obem", "ob'em"),
    ],
)
def test_skeleton_merges_alphabets_and_transliterations(spellings: tuple[str, ...]) -> None:
    skeletons = {skeleton(fold(s)) for s in spellings}
    assert len(skeletons) == 1, skeletons


def test_stop_words_go_in_any_alphabet_but_content_words_stay() -> None:
    assert query_terms("как что где") == []
    assert query_terms("kak chto") == []
    assert query_terms("қалай калай") == []
    assert query_terms("how do I the") == []
    # "IIN" must not vanish although its skeleton looks like "in"
    assert query_terms("IIN") != []
    assert index_terms("без визы", "ru") != index_terms("визы", "ru")


def test_russian_words_meet_their_inflected_and_latin_forms() -> None:
    assert matches("разрешения", "разрешение", "ru")
    assert matches("работу", "работа", "ru")
    assert matches("permits", "permit", "en")


def test_kazakh_is_not_cut_by_the_russian_stemmer() -> None:
    # the Russian stemmer would turn "ресей" into "рес"; Kazakh index text is not stemmed
    assert index_terms("ресей", "kk") == [skeleton("ресей")]
    assert matches("ресей", "Ресей", "kk")
    assert matches("руксат", "рұқсат", "kk")


def test_plain_form_keeps_every_word_for_small_talk() -> None:
    assert plain_form("Как дела?") == "kak dela"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("rdjnf", "квота"), (",tp dbps", "без визы"), ("цщкл зукьше", "work permit")],
)
def test_swap_layout(typed: str, meant: str) -> None:
    assert swap_layout(typed) == meant
    assert swap_layout(meant) == typed


def test_invisible_characters_inside_words_are_dropped() -> None:
    from dialogs.search.text import fold

    assert fold("wo\u200brk per\u200dmit") == "work permit"
    assert fold("раз\u00adрешение\ufeff") == "разрешение"
    assert fold("a\u2060b c") == "ab c"
