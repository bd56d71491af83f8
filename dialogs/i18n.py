"""Interface strings (buttons, menus, errors) in ru, kk and en through gettext catalogues.

The catalogues are `locales/<lang>/LC_MESSAGES/messages.po`, managed with Babel from the Makefile
(`make messages` extracts and updates them). In a checkout the `.po` files are compiled in memory
when first used, so a compiled catalogue can never be stale. A wheel has no `.po` files; it
carries them compiled at build time (`setup.py`) as
`dialogs/locales/<lang>/LC_MESSAGES/messages.mo`.
A supported language without either is a broken installation and raises, never English instead.

Usage::

    from dialogs.i18n import translator
    _ = translator("kk").gettext
    _("Back")
    translator("ru").ngettext("{n} day", "{n} days", 5).format(n=5)

Domain content (routes, answers, documents) is not here: it lives in the YAML knowledge base.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"  # a checkout's .po files
PACKAGED_DIR = Path(__file__).resolve().parent / "locales"  # a wheel's compiled .mo files
DOMAIN = "messages"
LANGUAGES = ("ru", "kk", "en")
DEFAULT_LANGUAGE = "ru"


def normalise_language(code: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """Map a Telegram language code such as ``"kk-KZ"`` or ``"en_US"`` to one we support."""
    if not code:
        return default
    short = code.replace("_", "-").split("-")[0].lower()
    return short if short in LANGUAGES else default


class CatalogueMissingError(RuntimeError):
    """A supported language has no catalogue: the installation is incomplete."""


@functools.cache
def translator(lang: str) -> NullTranslations:
    """Return the gettext translations for ``lang`` (English is the msgids themselves)."""
    lang = normalise_language(lang)
    mo_path = PACKAGED_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    po_path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():  # an installed wheel: its catalogues were compiled at build time
        if mo_path.exists():
            with mo_path.open("rb") as handle:
                return Translations(fp=handle, domain=DOMAIN)
        if lang == "en":
            return NullTranslations()
        raise CatalogueMissingError(
            f"no interface catalogue for {lang!r}: neither {po_path} nor {mo_path} exists "
            "(reinstall the package, or run from a full checkout)")
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    # Fuzzy entries are drafts: gettext falls back to the English msgid for them.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def reload_catalogues() -> None:
    """Forget the cached catalogues (after `make messages` in a running process, or in tests)."""
    translator.cache_clear()


def language_name(lang: str) -> str:
    """The language's own name, capitalised: Русский, Қазақша, English."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]
