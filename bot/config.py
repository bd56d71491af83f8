"""Settings of the bot, read from environment variables.

Every variable is declared once in ``VARIABLES`` (name, meaning, default); ``Settings.from_env``
parses them and ``describe()`` renders the same list as a Markdown table for the README, so the
documentation cannot drift from the code.

A missing or malformed value raises ``ConfigError``; its ``str()`` is one line that names the
variable and says what is wrong (the command line prints it and exits with code 2). The bot token
is a secret: it never appears in an error message, ``repr()`` or a log line (see ``mask_token``).

Usage::

    from bot.config import ConfigError, Settings

    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None

    python -m bot.config    # prints the table of variables
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DB_PATH = Path("data") / "bot.sqlite3"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")

# Telegram tokens look like "123456789:AAH...": a numeric bot id, a colon, then a secret made of
# URL-safe characters. We check the shape only; whether the token is valid is Telegram's call.
_TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,200}$")
# Telegram's rule for the X-Telegram-Bot-Api-Secret-Token header (setWebhook secret_token).
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{16,256}$")  # Telegram takes 1-256; short is guessable
_USERNAME_RE = re.compile(r"^@?[A-Za-z][A-Za-z0-9_]{3,31}$")


class ConfigError(ValueError):
    """A setting is missing or malformed; ``str()`` is a single line naming the variable."""

    def __init__(self, variable: str, problem: str) -> None:
        self.variable = variable
        self.problem = problem
        super().__init__(f"{variable}: {problem}")


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name, what it means and its default (as shown to admins)."""

    name: str
    meaning: str
    default: str


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "TELEGRAM_BOT_TOKEN",
        "Bot token from @BotFather, shaped `<digits>:<letters, digits, _ or ->`. Never logged.",
        "required",
    ),
    Variable(
        "TELEGRAM_BASE_URL",
        "Bot API endpoint prefix (the token is appended). Set it for a local Bot API server "
        "or the test server.",
        DEFAULT_BASE_URL,
    ),
    Variable(
        "BOT_DB_PATH",
        "SQLite database file; its folder is created on start.",
        f"./{DEFAULT_DB_PATH.as_posix()}",
    ),
    Variable(
        "BOT_ADMIN_IDS",
        "Comma-separated Telegram user ids allowed to use the admin commands.",
        "empty (no admins)",
    ),
    Variable(
        "BOT_CONSULTANT_CHAT_ID",
        "Chat id (user or group, integer) that receives hand-off requests for a consultant.",
        "unset (hand-off disabled)",
    ),
    Variable(
        "BOT_KNOWLEDGE_DIR",
        "Folder with the YAML knowledge base, to use an edited copy.",
        "unset (the packaged knowledge/base)",
    ),
    Variable("BOT_LOG_LEVEL", "One of DEBUG, INFO, WARNING, ERROR.", "INFO"),
    Variable(
        "BOT_USERNAME",
        "The bot's @username, used to build share links before getMe has answered.",
        "unset (taken from getMe)",
    ),
    Variable(
        "BOT_SHARE_TTL_DAYS", "How many days a shared-result link stays valid (1-3650).", "30"
    ),
    Variable(
        "BOT_WEBHOOK_URL",
        "Public HTTPS URL Telegram posts updates to; required with `--webhook`.",
        "unset",
    ),
    Variable("BOT_WEBHOOK_LISTEN", "Address the webhook server binds to.", "0.0.0.0"),
    Variable("BOT_WEBHOOK_PORT", "Port the webhook server listens on (1-65535).", "8443"),
    Variable(
        "BOT_WEBHOOK_SECRET",
        "Secret token Telegram sends with each webhook call (16-256 of `A-Z a-z 0-9 _ -`); "
        "required with `--webhook`.",
        "unset",
    ),
    Variable(
        "BOT_DB_SYNCHRONOUS",
        "SQLite durability: FULL (a confirmed step survives even a power loss) or NORMAL "
        "(survives a crash or kill -9 of the bot, not a power loss; about a third more "
        "updates/s in the bench).",
        "FULL",
    ),
    Variable(
        "BOT_REMINDER_HOUR",
        "Local hour (0-23, Asia/Almaty) at which deadline reminders are sent.",
        "10",
    ),
    Variable(
        "BOT_RETENTION_DAYS",
        "Days without any message after which a user's data is deleted by a daily job, as by "
        "/forget (their statistics events are kept without the user id); 0 keeps data until "
        "/forget (0-3650).",
        "365",
    ),
    Variable(
        "BOT_ENV_FILE",
        "File of `NAME=value` lines read at start for any variable not set in the environment "
        "(a variable set in the environment wins). A missing default file is fine; a missing "
        "file named here is an error.",
        "`.env` in the working directory",
    ),
)

DEFAULT_ENV_FILE = ".env"


def load_env_file(environ: MutableMapping[str, str] | None = None) -> Path | None:
    """Fill ``environ`` (default ``os.environ``) from BOT_ENV_FILE or ./.env, never overriding
    a variable that is already set; returns the file read, if any."""
    environ = os.environ if environ is None else environ
    named = environ.get("BOT_ENV_FILE")
    path = Path(named or DEFAULT_ENV_FILE)
    if not path.is_file():
        if named and path != Path(os.devnull):
            raise ConfigError("BOT_ENV_FILE", f"{path} is not a file")
        return None
    try:
        values = dotenv_values(path)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError("BOT_ENV_FILE", f"cannot read {path}: {error}") from None
    for name, value in values.items():
        if value is not None:
            environ.setdefault(name, value)
    return path


def mask_token(token: str) -> str:
    """Return the token with its secret part hidden, e.g. ``123456:***``; safe to log."""
    if not token:
        return "<unset>"
    bot_id, sep, _secret = token.partition(":")
    return f"{bot_id}:***" if sep and bot_id.isdigit() else "***"


def describe() -> str:
    """A Markdown table of every variable with its meaning and default (for the README)."""
    lines = ["| Variable | Meaning | Default |", "|---|---|---|"]
    for var in VARIABLES:
        # Literal values in code style; explanations ("unset", "required", ...) as plain words.
        plain = " " in var.default or var.default in ("required", "unset")
        default = var.default if plain else f"`{var.default}`"
        lines.append(f"| `{var.name}` | {var.meaning} | {default} |")
    return "\n".join(lines)


SYNCHRONOUS_MODES = ("FULL", "NORMAL")


@dataclass(frozen=True)
class Settings:
    """Validated settings. Build with ``Settings.from_env()``; the token is left out of repr."""

    token: str = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    db_path: Path = DEFAULT_DB_PATH
    admin_ids: frozenset[int] = frozenset()
    consultant_chat_id: int | None = None
    knowledge_dir: Path | None = None
    log_level: str = "INFO"
    username: str | None = None
    share_ttl_days: int = 30
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = field(default=None, repr=False)
    reminder_hour: int = 10
    db_synchronous: str = "FULL"
    retention_days: int = 365  # 0: no automatic deletion

    @property
    def masked_token(self) -> str:
        """The token in a form safe for logs."""
        return mask_token(self.token)

    def is_admin(self, user_id: int) -> bool:
        """Whether ``user_id`` is listed in BOT_ADMIN_IDS."""
        return user_id in self.admin_ids

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        require_token: bool = True,
        webhook: bool = False,
    ) -> Settings:
        """Read and check every variable from ``env`` (default ``os.environ``).

        ``require_token=False`` lets tools that never talk to Telegram (statistics, validation)
        run without a token; ``webhook=True`` additionally requires BOT_WEBHOOK_URL and
        BOT_WEBHOOK_SECRET. Raises ``ConfigError`` on the first problem found.
        """
        reader = _Reader(os.environ if env is None else env)
        token = reader.text("TELEGRAM_BOT_TOKEN")
        if token is None:
            if require_token:
                raise ConfigError("TELEGRAM_BOT_TOKEN", "is required but not set")
            token = ""
        elif not _TOKEN_RE.match(token):
            # The value itself is secret: describe the expected shape, never echo it.
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN",
                "is malformed (expected <digits>:<letters, digits, _ or ->; value hidden)",
            )
        webhook_url = reader.url("BOT_WEBHOOK_URL", None, schemes=("https",))  # Telegram's rule
        webhook_secret = reader.text("BOT_WEBHOOK_SECRET")
        if webhook_secret is not None and not _SECRET_RE.match(webhook_secret):
            raise ConfigError(
                "BOT_WEBHOOK_SECRET",
                "must be 16-256 characters of A-Z, a-z, 0-9, _ and - (value hidden); "
                "make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'",
            )
        if webhook:
            if webhook_url is None:
                raise ConfigError("BOT_WEBHOOK_URL", "is required with --webhook but not set")
            if webhook_secret is None:
                raise ConfigError("BOT_WEBHOOK_SECRET", "is required with --webhook but not set")
        username = reader.text("BOT_USERNAME")
        if username is not None:
            if not _USERNAME_RE.match(username):
                raise ConfigError(
                    "BOT_USERNAME", f"is not a Telegram username (5-32 of A-Z 0-9 _): {username!r}"
                )
            username = username.lstrip("@")
        level = (reader.text("BOT_LOG_LEVEL") or "INFO").upper()
        if level not in LOG_LEVELS:
            raise ConfigError("BOT_LOG_LEVEL", f"must be one of {', '.join(LOG_LEVELS)}")
        knowledge_dir = reader.text("BOT_KNOWLEDGE_DIR")
        synchronous = (reader.text("BOT_DB_SYNCHRONOUS") or "FULL").upper()
        if synchronous not in SYNCHRONOUS_MODES:
            raise ConfigError("BOT_DB_SYNCHRONOUS", "must be FULL or NORMAL")
        return cls(
            db_synchronous=synchronous,
            token=token,
            base_url=reader.url("TELEGRAM_BASE_URL", DEFAULT_BASE_URL) or DEFAULT_BASE_URL,
            db_path=Path(reader.text("BOT_DB_PATH") or DEFAULT_DB_PATH),
            admin_ids=reader.int_set("BOT_ADMIN_IDS"),
            consultant_chat_id=reader.integer("BOT_CONSULTANT_CHAT_ID", None),
            knowledge_dir=Path(knowledge_dir) if knowledge_dir else None,
            log_level=level,
            username=username,
            share_ttl_days=reader.integer("BOT_SHARE_TTL_DAYS", 30, low=1, high=3650),
            webhook_url=webhook_url,
            webhook_listen=reader.text("BOT_WEBHOOK_LISTEN") or "0.0.0.0",
            webhook_port=reader.integer("BOT_WEBHOOK_PORT", 8443, low=1, high=65535),
            webhook_secret=webhook_secret,
            reminder_hour=reader.integer("BOT_REMINDER_HOUR", 10, low=0, high=23),
            retention_days=reader.integer("BOT_RETENTION_DAYS", 365, low=0, high=3650),
        )


class _Reader:
    """Typed access to the environment; an empty or blank value counts as unset."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env

    def text(self, name: str) -> str | None:
        value = self._env.get(name)
        if value is None or not value.strip():
            return None
        return value.strip()

    def integer(
        self, name: str, default: int | None, *, low: int | None = None, high: int | None = None
    ) -> int | None:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(name, f"must be an integer, got {raw!r}") from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise ConfigError(name, f"must be between {low} and {high}, got {value}")
        return value

    def int_set(self, name: str) -> frozenset[int]:
        raw = self.text(name)
        if raw is None:
            return frozenset()
        ids: set[int] = set()
        for part in raw.split(","):
            item = part.strip()
            if not item:
                continue  # tolerate "1, 2," and similar
            try:
                ids.add(int(item))
            except ValueError:
                raise ConfigError(
                    name, f"must be comma-separated integers, {item!r} is not one"
                ) from None
        return frozenset(ids)

    def url(self, name: str, default: str | None,
            schemes: tuple[str, ...] = ("http", "https")) -> str | None:
        raw = self.text(name)
        if raw is None:
            return default
        parts = urlsplit(raw)
        if parts.scheme not in schemes or not parts.netloc:
            wanted = " or ".join(f"{scheme}://" for scheme in schemes)
            raise ConfigError(name, f"must be an {wanted} URL, got {raw!r}")
        return raw


if __name__ == "__main__":  # pragma: no cover - documentation helper
    print(describe())
