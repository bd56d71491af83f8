"""The catalogues load at run time through dialogs.i18n, and fit Telegram's limits."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog

from dialogs.i18n import reload_catalogues, translator
from tests.i18n.conftest import TRANSLATED

# Labels the engine puts on buttons; Telegram cuts long ones on a phone screen.
BUTTON_MSGIDS = (
    "◀ Back", "Your answers", "↺ Start again", "Main menu", "Continue the interview",
    "Ask a question", "Documents", "Talk to a consultant", "Language", "Help",
    "Browse topics", "◀ Topics",
)
BUTTON_MAX = 30


@pytest.fixture(autouse=True)
def fresh_catalogues() -> None:
    reload_catalogues()


def test_kazakh_main_menu_is_translated() -> None:
    assert translator("kk").gettext("Main menu") == "Басты мәзір"


def test_runtime_matches_the_po_files(catalogues: dict[str, Catalog]) -> None:
    for lang in TRANSLATED:
        for msgid in BUTTON_MSGIDS:
            assert translator(lang).gettext(msgid) == catalogues[lang][msgid].string, (lang, msgid)


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "Остался 1 день."), (3, "Осталось 3 дня."), (5, "Осталось 5 дней."),
     (11, "Осталось 11 дней."), (21, "Остался 21 день.")],
)
def test_russian_plurals_at_run_time(n: int, expected: str) -> None:
    assert translator("ru").ngettext("{n} day left.", "{n} days left.", n).format(n=n) == expected


def test_english_plurals_at_run_time() -> None:
    tr = translator("en")
    assert tr.ngettext("{n} day left.", "{n} days left.", 1).format(n=1) == "1 day left."
    assert tr.ngettext("{n} day left.", "{n} days left.", 2).format(n=2) == "2 days left."


@pytest.mark.parametrize("lang", TRANSLATED)
def test_button_labels_are_short(lang: str, catalogues: dict[str, Catalog]) -> None:
    catalog = catalogues[lang]
    missing = [msgid for msgid in BUTTON_MSGIDS if catalog.get(msgid) is None]
    assert not missing, f"Button strings gone from the catalogue (update BUTTON_MSGIDS): {missing}"
    long = {m: catalog[m].string for m in BUTTON_MSGIDS if len(catalog[m].string) > BUTTON_MAX}
    assert not long, f"{lang}: button labels over {BUTTON_MAX} characters: {long}"


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_telegram_profile_texts_fit(lang: str) -> None:
    """Bot API limits: description 512, short description 120, command description 256."""
    from dialogs import commands as texts

    assert len(texts.description(lang)) <= 512
    assert len(texts.short_description(lang)) <= 120
    assert all(1 <= len(text) <= 256 for _, text in texts.command_list(lang))
    if lang != "en":
        assert texts.short_description(lang) != texts.short_description("en")


def test_an_installed_wheel_reads_the_compiled_catalogues(tmp_path, monkeypatch) -> None:
    """Without the checkout's .po files, the .mo files setup.py compiles into the wheel serve;
    without either, Russian or Kazakh is an installation error, never English in disguise."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from dialogs import i18n

    root = Path(__file__).resolve().parents[2]
    build_lib = tmp_path / "build"
    subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(build_lib)],
                   cwd=root, check=True, capture_output=True)
    compiled = build_lib / "dialogs" / "locales"
    assert (compiled / "kk" / "LC_MESSAGES" / "messages.mo").is_file()
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path / "no-checkout")
    monkeypatch.setattr(i18n, "PACKAGED_DIR", compiled)
    reload_catalogues()
    assert translator("kk").gettext("Main menu") == "Басты мәзір"
    shutil.rmtree(compiled / "ru")
    reload_catalogues()
    with pytest.raises(i18n.CatalogueMissingError, match="'ru'"):
        translator("ru")
    assert translator("en").gettext("Main menu") == "Main menu"
