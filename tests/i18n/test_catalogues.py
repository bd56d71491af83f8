"""The ru and kk catalogues are complete and every translation keeps its placeholders."""

from __future__ import annotations

import gettext
import string
from collections.abc import Iterator

import pytest
from babel.messages.catalog import Catalog, Message

from tests.i18n.conftest import TRANSLATED


def entries(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


def key(message: Message) -> str:
    return message.id[0] if message.pluralizable else message.id


def forms(message: Message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]


def placeholders(text: str) -> set[str]:
    """The {names} in a str.format template ("{n}", "{date}"), as str.format reads them."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_entry_is_translated(lang: str, catalogues: dict[str, Catalog]) -> None:
    catalog = catalogues[lang]
    untranslated = [key(m) for m in entries(catalog) if not all(s.strip() for s in forms(m))]
    fuzzy = [key(m) for m in entries(catalog) if m.fuzzy]
    assert not untranslated, f"{lang}: no translation for:\n" + "\n".join(untranslated)
    assert not fuzzy, f"{lang}: fuzzy (shown in English) entries:\n" + "\n".join(fuzzy)


@pytest.mark.parametrize(("lang", "plurals"), [("ru", 3), ("kk", 2), ("en", 2)])
def test_plural_entries_have_every_form(
    lang: str, plurals: int, catalogues: dict[str, Catalog]
) -> None:
    catalog = catalogues[lang]
    assert catalog.num_plurals == plurals, f"{lang}: Plural-Forms header changed"
    wrong = [
        key(m)
        for m in entries(catalog)
        if m.pluralizable and (len(m.string) != plurals or not all(s.strip() for s in m.string))
    ]
    assert not wrong, f"{lang}: plural entries without {plurals} forms:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_translations_keep_the_placeholders(lang: str, catalogues: dict[str, Catalog]) -> None:
    problems = []
    for message in entries(catalogues[lang]):
        originals = message.id if message.pluralizable else (message.id,)
        expected = set().union(*(placeholders(text) for text in originals))
        for text in forms(message):
            if not text:
                continue  # English may fall back to the msgid
            try:
                found = placeholders(text)
                text.format(**dict.fromkeys(found, "x"))
            except (ValueError, IndexError, KeyError) as error:
                problems.append(f"{key(message)!r}: broken template {text!r} ({error})")
                continue
            if found != expected:
                problems.append(f"{key(message)!r}: {text!r} has {found}, expected {expected}")
    assert not problems, f"{lang}:\n" + "\n".join(problems)


def test_plural_forms_pick_the_right_words(catalogues: dict[str, Catalog]) -> None:
    """Russian: 1 and 21 singular, 2-4 few, 5-20 many, per the catalogue's own rule."""
    choose = gettext.c2py(catalogues["ru"].plural_expr)
    assert [choose(n) for n in (1, 21, 2, 4, 22, 5, 11, 12, 20, 100)] == [
        0, 0, 1, 1, 1, 2, 2, 2, 2, 2,
    ]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_symbols_survive_translation(lang: str, catalogues: dict[str, Catalog]) -> None:
    """Arrows and icons mark the navigation buttons in every language."""
    lost = [
        f"{key(m)!r} -> {forms(m)}"
        for m in entries(catalogues[lang])
        for symbol in ("◀", "↺", "✏️", "🔔", "📤", "✖")
        if symbol in key(m) and not all(symbol in text for text in forms(m))
    ]
    assert not lost, "\n".join(lost)
