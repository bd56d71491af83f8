"""The dialog engine: turns user input into replies (text + buttons), with no Telegram imports.

Telegram (`bot.telegram`), the console chat and the JSON-lines chat are thin adapters over
:class:`dialogs.engine.ChatEngine`.
"""
