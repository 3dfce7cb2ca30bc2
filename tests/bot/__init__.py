"""End-to-end tests of the Telegram bot through python-telegram-bot and the fake Bot API server."""
