"""The adapter's own strings fit Telegram's limits in every language; logs never hold secrets."""

from __future__ import annotations

import logging
import re
import sys

import pytest

from bot.config import Settings
from bot.telegram.logsafe import RedactingFormatter, configure_logging, secrets_of
from dialogs import commands

TOKEN = "123456:AAHsecretPART_xyz-0123456789"


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_commands_and_descriptions_fit_telegram(lang: str) -> None:
    menu = commands.command_list(lang)
    assert [name for name, _ in menu][:2] == ["start", "menu"]
    assert {"forget", "checklist", "help", "language"} <= {name for name, _ in menu}
    for name, description in menu:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", name)
        assert 1 <= len(description) <= 256
    assert 1 <= len(commands.description(lang)) <= 512
    assert 1 <= len(commands.short_description(lang)) <= 120
    assert commands.apology(lang).strip()


def test_formatter_masks_the_token_and_the_webhook_secret() -> None:
    settings = Settings(token=TOKEN, webhook_secret="hook-secret_1")
    formatter = RedactingFormatter(secrets_of(settings))
    try:
        raise RuntimeError(f"GET https://api.telegram.org/bot{TOKEN}/getMe failed")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "url %s and %s", (
            f"/bot{TOKEN}/sendMessage", "secret hook-secret_1"), exc_info=sys.exc_info())
    line = formatter.format(record)
    assert "AAHsecretPART" not in line and "hook-secret_1" not in line
    assert "123456:***" in line and "Traceback" in line


def test_configure_logging_sets_levels(monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging(Settings(token=TOKEN, log_level="DEBUG"))
        assert root.level == logging.DEBUG
        assert logging.getLogger("httpx").level == logging.WARNING
        assert isinstance(root.handlers[0].formatter, RedactingFormatter)
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)


def test_a_named_source_is_a_link_and_its_url_is_escaped() -> None:
    from bot.telegram.formatting import render_html
    from dialogs.reply import Block

    (html_text,) = render_html([Block("item", "Rules <2025>", 'https://adilet.zan.kz/x?a=1&b="2"')])
    assert html_text == ('• <a href="https://adilet.zan.kz/x?a=1&amp;b=&quot;2&quot;">'
                         'Rules &lt;2025&gt;</a>')
    (plain,) = render_html([Block("item", "javascript", "javascript:alert(1)")])
    assert "<a" not in plain
