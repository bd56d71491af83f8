"""The adapters around the dialog engine: Telegram, the console chat and the command line."""
