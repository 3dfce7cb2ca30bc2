"""Commands: the one table (`COMMANDS`) and the way every shell runs them.

    dispatch(core, caller, "/deals@bot Acme", "html") -> Reply | None
    run_command(core, caller, "deals", "Acme", "text") -> Reply
    run_callback(core, caller, "pg:deals:2:Acme", "html") -> Reply   (a button press)
    upload_gate(...) / ingest_upload(...)                              (an admin's file)
"""

from briefings.commands.dispatch import (
    callback_changes_chat,
    dispatch,
    ingest_upload,
    run_callback,
    run_command,
    split_command,
    upload_gate,
)
from briefings.commands.ingesting import EXTRACTING, FETCHING, UrlIngest
from briefings.commands.reply import Button, Reply, Request
from briefings.commands.table import COMMANDS, Command, find_command

__all__ = [
    "COMMANDS",
    "EXTRACTING",
    "FETCHING",
    "Button",
    "Command",
    "Reply",
    "Request",
    "UrlIngest",
    "callback_changes_chat",
    "dispatch",
    "find_command",
    "ingest_upload",
    "run_callback",
    "run_command",
    "split_command",
    "upload_gate",
]
