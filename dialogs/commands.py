"""The engine's commands as a menu, the bot's profile texts and the apology when an update fails
outside the engine, via gettext: what an adapter shows about the bot rather than in a
conversation (Telegram's command menu and profile; every command is answered by the engine).

Usage::

    from dialogs.commands import apology, command_list
    commands = command_list("kk")            # [(name, description), ...] for setMyCommands
"""

from __future__ import annotations

from dialogs.i18n import translator


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


# Command -> description, in the order Telegram shows them; the engine answers every one.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start or resume")),
    ("menu", N_("Main menu")),
    ("checklist", N_("My checklist")),
    ("reminders", N_("My reminders")),
    ("restart", N_("Start the interview again")),
    ("cancel", N_("Stop the interview")),
    ("language", N_("Language")),
    ("help", N_("Help")),
    ("forget", N_("Delete my data")),
)

DESCRIPTION = N_(
    "I help foreigners and employers find the legal way to work in Kazakhstan: a work permit, "
    "a residence permit, self-employment, the EAEU rules or a work visa. Answer a few questions "
    "and get the documents, steps, timelines and fees, or just type your question. "
    "In Russian, Kazakh and English."
)
SHORT_DESCRIPTION = N_(
    "Which legal way to work in Kazakhstan applies to you: documents, steps, fees."
)


# Shown in the command menu of the admins' own chats only (BOT_ADMIN_IDS).
ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("reload", N_("Reload the knowledge base")),
    ("stats", N_("Statistics")),
    ("unanswered", N_("Unanswered questions")),
)


def admin_command_list(lang: str) -> list[tuple[str, str]]:
    """The user commands plus the admin commands, for an admin's chat."""
    _ = translator(lang).gettext
    return command_list(lang) + [(name, _(description)) for name, description in ADMIN_COMMANDS]


def command_list(lang: str) -> list[tuple[str, str]]:
    _ = translator(lang).gettext
    return [(name, _(description)) for name, description in COMMANDS]


def description(lang: str) -> str:
    return translator(lang).gettext(DESCRIPTION)


def short_description(lang: str) -> str:
    return translator(lang).gettext(SHORT_DESCRIPTION)


def apology(lang: str) -> str:
    _ = translator(lang).gettext
    return _("Sorry, something went wrong on my side. Please try again in a moment; your "
             "answers are saved.")
