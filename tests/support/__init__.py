"""Test helpers: the fake Bot API server, the Telegram HTML checker, builders."""
