"""The committed template holds every string the code marks, and every catalogue follows it.

Re-extracts the strings exactly as `make messages` does (same flags, read from the Makefile)
into a temporary file, so a developer who adds `_("...")` without `make messages` gets a
failing test that names the missing msgids.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface

from tests.i18n.conftest import ROOT, load_po


def makefile_extract_args() -> list[str]:
    """The `pybabel extract` arguments of the Makefile's `messages` rule, continuations joined."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        if "pybabel extract" in line:
            words = shlex.split(line)
            return words[words.index("extract") + 1:]
    raise AssertionError("The Makefile has no `pybabel extract` command any more")


def ids(catalog: Catalog) -> set[str]:
    """Singular msgids (a plural entry is keyed by its singular), without the header."""
    return {m.id[0] if m.pluralizable else m.id for m in catalog if m.id}


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """What `make messages` would extract from the code as it is now."""
    args = makefile_extract_args()
    output = tmp_path_factory.mktemp("pot") / "messages.pot"
    args[args.index("-o") + 1] = str(output)
    # Paths in the Makefile (babel.cfg, bot, dialogs) are relative to the project root.
    args = [a if a.startswith("-") or not (ROOT / a).exists() else str(ROOT / a) for a in args]
    CommandLineInterface().run(["pybabel", "-q", "extract", *args])
    return load_po(Path(output))


def test_extraction_finds_strings(fresh_template: Catalog) -> None:
    assert "Main menu" in ids(fresh_template)


def test_template_has_every_msgid_the_code_uses(
    fresh_template: Catalog, template: Catalog
) -> None:
    missing = sorted(ids(fresh_template) - ids(template))
    assert not missing, (
        "Strings in the code but not in locales/messages.pot; run `make messages` and "
        "translate them in ru and kk:\n" + "\n".join(missing)
    )


def test_plural_entries_match_the_code(fresh_template: Catalog, template: Catalog) -> None:
    """A string that became plural (or stopped being) needs `make messages` too."""
    changed = sorted(
        m.id[0] if m.pluralizable else m.id
        for m in fresh_template
        if m.id and template.get(m.id) is not None and template.get(m.id).id != m.id
    )
    assert not changed, "Run `make messages`; changed plural forms:\n" + "\n".join(changed)


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_catalogue_follows_the_template(
    lang: str, template: Catalog, catalogues: dict[str, Catalog]
) -> None:
    missing = sorted(ids(template) - ids(catalogues[lang]))
    assert not missing, f"Run `make messages`; not in {lang}/messages.po:\n" + "\n".join(missing)
