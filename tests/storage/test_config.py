"""bot.config.Settings: defaults, parsing, and one-line errors that never reveal the token.

(Kept beside the storage tests because this helper owns only tests/storage and tests/fakeapi.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_BASE_URL, VARIABLES, ConfigError, Settings, describe, mask_token

TOKEN = "123456789:AAH-secret_Value"


def test_defaults_with_only_a_token() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings.token == TOKEN
    assert settings.base_url == DEFAULT_BASE_URL
    assert settings.db_path == Path("data/bot.sqlite3")
    assert settings.admin_ids == frozenset()
    assert settings.consultant_chat_id is None
    assert settings.knowledge_dir is None
    assert settings.log_level == "INFO"
    assert (settings.share_ttl_days, settings.reminder_hour) == (30, 10)
    assert (settings.webhook_listen, settings.webhook_port) == ("0.0.0.0", 8443)


def test_every_variable_parsed() -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot",
        "BOT_DB_PATH": "/var/lib/kzwork/state.db",
        "BOT_ADMIN_IDS": " 11, 22,,33 ",
        "BOT_CONSULTANT_CHAT_ID": "-100123",
        "BOT_KNOWLEDGE_DIR": "/srv/kb",
        "BOT_LOG_LEVEL": "debug",
        "BOT_USERNAME": "@kzwork_bot",
        "BOT_SHARE_TTL_DAYS": "7",
        "BOT_WEBHOOK_URL": "https://bot.example.kz/hook",
        "BOT_WEBHOOK_LISTEN": "127.0.0.1",
        "BOT_WEBHOOK_PORT": "9000",
        "BOT_WEBHOOK_SECRET": "s3cret_-X-0123456789",
        "BOT_REMINDER_HOUR": "0",
    }
    s = Settings.from_env(env, webhook=True)
    assert s.base_url == "http://127.0.0.1:8081/bot"
    assert s.db_path == Path("/var/lib/kzwork/state.db")
    assert s.admin_ids == frozenset({11, 22, 33}) and s.is_admin(22) and not s.is_admin(44)
    assert s.consultant_chat_id == -100123
    assert s.knowledge_dir == Path("/srv/kb")
    assert s.log_level == "DEBUG"
    assert s.username == "kzwork_bot"
    assert (s.share_ttl_days, s.webhook_port, s.reminder_hour) == (7, 9000, 0)
    assert (s.webhook_url, s.webhook_listen, s.webhook_secret) == (
        "https://bot.example.kz/hook",
        "127.0.0.1",
        "s3cret_-X-0123456789",
    )


@pytest.mark.parametrize(
    ("env", "variable", "fragment"),
    [
        ({}, "TELEGRAM_BOT_TOKEN", "required"),
        ({"TELEGRAM_BOT_TOKEN": "   "}, "TELEGRAM_BOT_TOKEN", "required"),
        ({"TELEGRAM_BOT_TOKEN": "abc:def"}, "TELEGRAM_BOT_TOKEN", "malformed"),
        ({"TELEGRAM_BASE_URL": "ftp://x"}, "TELEGRAM_BASE_URL", "http"),
        ({"BOT_ADMIN_IDS": "1,two"}, "BOT_ADMIN_IDS", "'two'"),
        ({"BOT_CONSULTANT_CHAT_ID": "@chat"}, "BOT_CONSULTANT_CHAT_ID", "integer"),
        ({"BOT_LOG_LEVEL": "LOUD"}, "BOT_LOG_LEVEL", "one of"),
        ({"BOT_USERNAME": "a b"}, "BOT_USERNAME", "username"),
        ({"BOT_SHARE_TTL_DAYS": "0"}, "BOT_SHARE_TTL_DAYS", "between 1 and 3650"),
        ({"BOT_WEBHOOK_PORT": "70000"}, "BOT_WEBHOOK_PORT", "between"),
        ({"BOT_WEBHOOK_SECRET": "has space and is long"}, "BOT_WEBHOOK_SECRET", "16-256"),
        ({"BOT_WEBHOOK_SECRET": "x" * 257}, "BOT_WEBHOOK_SECRET", "16-256"),
        ({"BOT_WEBHOOK_SECRET": "s3cret"}, "BOT_WEBHOOK_SECRET", "16-256"),
        ({"BOT_WEBHOOK_URL": "http://bot.example.kz/hook"}, "BOT_WEBHOOK_URL", "https://"),
        ({"BOT_REMINDER_HOUR": "24"}, "BOT_REMINDER_HOUR", "between 0 and 23"),
        ({"BOT_RETENTION_DAYS": "-1"}, "BOT_RETENTION_DAYS", "between 0 and 3650"),
        ({"BOT_RETENTION_DAYS": "a year"}, "BOT_RETENTION_DAYS", "integer"),
    ],
)
def test_malformed_settings_give_one_line(
    env: dict[str, str], variable: str, fragment: str
) -> None:
    full = {"TELEGRAM_BOT_TOKEN": TOKEN, **env} if variable != "TELEGRAM_BOT_TOKEN" else env
    with pytest.raises(ConfigError) as info:
        Settings.from_env(full)
    message = str(info.value)
    assert info.value.variable == variable
    assert message.startswith(f"{variable}: ") and fragment in message
    assert "\n" not in message


def test_webhook_mode_requires_url_and_secret() -> None:
    with pytest.raises(ConfigError, match="BOT_WEBHOOK_URL: is required with --webhook"):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN}, webhook=True)
    with pytest.raises(ConfigError, match="BOT_WEBHOOK_SECRET: is required with --webhook"):
        Settings.from_env(
            {"TELEGRAM_BOT_TOKEN": TOKEN, "BOT_WEBHOOK_URL": "https://x.kz/h"}, webhook=True
        )


def test_token_optional_for_offline_tools() -> None:
    settings = Settings.from_env({}, require_token=False)
    assert settings.token == "" and settings.masked_token == "<unset>"


def test_token_never_shown() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN,
                                  "BOT_WEBHOOK_SECRET": "topsecret-0123456789"})
    assert "secret_Value" not in repr(settings) and "topsecret" not in repr(settings)
    assert settings.masked_token == "123456789:***" == mask_token(TOKEN)
    bad = "123:has space secret_Value"
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"TELEGRAM_BOT_TOKEN": bad})
    assert "secret_Value" not in str(info.value)


def test_settings_are_frozen() -> None:
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    with pytest.raises(AttributeError):
        settings.log_level = "DEBUG"  # type: ignore[misc]


def test_describe_lists_every_variable() -> None:
    table = describe()
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [v.name for v in VARIABLES]
    assert len(VARIABLES) == 17
    assert "| required |" in table
    assert f"`{DEFAULT_BASE_URL}`" in table


def test_db_synchronous_setting() -> None:
    from bot.config import ConfigError, Settings

    base = {"TELEGRAM_BOT_TOKEN": "123456:ABCdef_ghi-jkl"}
    assert Settings.from_env(base).db_synchronous == "FULL"
    assert Settings.from_env({**base, "BOT_DB_SYNCHRONOUS": "normal"}).db_synchronous == "NORMAL"
    try:
        Settings.from_env({**base, "BOT_DB_SYNCHRONOUS": "OFF"})
    except ConfigError as error:
        assert "BOT_DB_SYNCHRONOUS" in str(error)
    else:
        raise AssertionError("OFF must be refused: it can corrupt the database")


async def test_database_applies_the_synchronous_mode(tmp_path) -> None:
    from bot.storage import Database

    for mode, expected in (("FULL", 2), ("NORMAL", 1)):
        db = await Database.open(tmp_path / f"{mode}.sqlite3", synchronous=mode)
        try:
            async with db.read() as r:
                assert await r.users._sql.scalar("PRAGMA synchronous") == expected
        finally:
            await db.close()


def test_retention_setting() -> None:
    base = {"TELEGRAM_BOT_TOKEN": TOKEN}
    assert Settings.from_env(base).retention_days == 365
    assert Settings.from_env({**base, "BOT_RETENTION_DAYS": "0"}).retention_days == 0
    assert Settings.from_env({**base, "BOT_RETENTION_DAYS": "90"}).retention_days == 90
