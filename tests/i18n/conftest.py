"""Fixtures for the gettext tests: the project's template and the three parsed catalogues."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
TRANSLATED = ("ru", "kk")  # must be complete; English may fall back to the msgids


def load_po(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.fixture(scope="session")
def template() -> Catalog:
    """locales/messages.pot as committed."""
    return load_po(LOCALES / "messages.pot")


@pytest.fixture(scope="session")
def catalogues() -> dict[str, Catalog]:
    """The ru, kk and en catalogues as committed, keyed by language."""
    return {
        lang: load_po(LOCALES / lang / "LC_MESSAGES" / "messages.po", locale=lang)
        for lang in ("ru", "kk", "en")
    }
