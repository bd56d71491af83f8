"""Interface strings (buttons, menus, errors) in ru, kk and en through gettext catalogues.

The catalogues are `locales/<lang>/LC_MESSAGES/messages.po`, managed with Babel from the Makefile
(`make messages` extracts and updates them). The `.po` files are compiled in memory when first
used, so a compiled catalogue can never be stale; `make compile` writes `.mo` files only for
tools that want them.

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

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
LANGUAGES = ("ru", "kk", "en")
DEFAULT_LANGUAGE = "ru"


def normalise_language(code: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """Map a Telegram language code such as ``"kk-KZ"`` or ``"en_US"`` to one we support."""
    if not code:
        return default
    short = code.replace("_", "-").split("-")[0].lower()
    return short if short in LANGUAGES else default


@functools.cache
def translator(lang: str) -> NullTranslations:
    """Return the gettext translations for ``lang``, falling back to the English msgids."""
    po_path = LOCALES_DIR / normalise_language(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=normalise_language(lang))
    buffer = io.BytesIO()
    # Fuzzy entries are drafts: gettext falls back to the English msgid for them.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def reload_catalogues() -> None:
    """Forget the cached catalogues (after `make messages` in a running process, or in tests)."""
    translator.cache_clear()
