"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests through the real HTTP stack.

python-telegram-bot reaches it through `base_url`/`base_file_url`. It serves `/bot<token>/<method>`
and `/file/bot<token>/<path>`, parses form, multipart and JSON bodies, records every call, serves
queued updates to `getUpdates` (long polls with a short bounded wait), and can be told to answer
403, 429 (with `retry_after`), 500 or to stall for chosen calls: the next N calls (a burst), every
call to one chat (a user who blocked the bot), or a seeded random fraction of calls (429 on 10% of
sends). A stall then answers 200 (Telegram delivered it but the client had given up: a real
duplicate risk) or an error (it never arrived). Every wait has a deadline.

    with FakeBotApi() as api:
        api.push(api.command(chat_id=1, user_id=1, text="/start"))
        call = api.wait_for("sendMessage", lambda c: c.chat_id == 1)
"""

from __future__ import annotations

import email.parser
import email.policy
import html
import itertools
import json
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.support.telegram_html import telegram_html_errors

TOKEN = "123456:TEST-token-never-real"
BOT_ID = 123456
BOT_USERNAME = "briefbot_test_bot"
MAX_LONG_POLL = 0.5   # seconds a getUpdates call may wait for an update


@dataclass
class Call:
    """One request the bot made: method, decoded fields, uploaded files."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None and str(value).lstrip("-").isdigit() else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def visible(self) -> str:
        """The text as a reader sees it: tags dropped, entities decoded."""
        return html.unescape(re.sub(r"<[^<>]*>", "", self.text))

    @property
    def keyboard(self) -> list[list[dict[str, Any]]]:
        markup = self.params.get("reply_markup") or {}
        return list(markup.get("inline_keyboard", [])) if isinstance(markup, dict) else []

    def button(self, text: str) -> dict[str, Any]:
        for row in self.keyboard:
            for button in row:
                if button.get("text") == text:
                    return button
        raise KeyError(f"no button {text!r} in {self.keyboard}")


@dataclass
class Fault:
    """Answer `status` (or stall) for calls of `method` matching `chat_id`, `times` times (-1: always)."""

    method: str
    status: int
    times: int = 1
    chat_id: int | None = None
    retry_after: float | None = None
    description: str = ""
    stall: float = 0.0
    fraction: float = 1.0   # of matching calls that get the fault (seeded: the same calls every run)
    migrate_to: int | None = None   # answer "group chat was upgraded to a supergroup" with this new id


_DESCRIPTIONS = {
    400: "Bad Request: message can't be edited",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
}


class FakeBotApi:
    """The fake server; use as a context manager (always stopped) or call `start`/`stop`."""

    def __init__(self, token: str = TOKEN, username: str = BOT_USERNAME, *, seed: int = 0) -> None:
        self.token = token
        self.username = username
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}
        self.chat_admins: set[tuple[int, int]] = set()
        self._updates: list[dict[str, Any]] = []
        self._faults: list[Fault] = []
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._rng = random.Random(seed)
        self._update_ids = itertools.count(1)
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        handler = type("Handler", (_Handler,), {"api": self})
        self._server = _Server(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-bot-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- test controls -----------------------------------------------------------------------

    def push(self, *updates: dict[str, Any]) -> None:
        """Queue updates for the next getUpdates."""
        with self._cond:
            self._updates.extend(updates)
            self._cond.notify_all()

    def fail(self, method: str, status: int, *, times: int = 1, chat_id: int | None = None,
             retry_after: float | None = None, description: str = "", stall: float = 0.0,
             fraction: float = 1.0, migrate_to: int | None = None) -> None:
        """The next `times` matching calls (-1: all of them; with `fraction`, that share of them)."""
        with self._cond:
            self._faults.append(Fault(method, status, times, chat_id, retry_after, description, stall,
                                      fraction, migrate_to))

    def block(self, *chat_ids: int) -> None:
        """These users blocked the bot: every message to them is refused with 403 from now on."""
        for chat_id in chat_ids:
            self.fail("sendMessage", 403, times=-1, chat_id=chat_id)

    def clear_faults(self) -> None:
        with self._cond:
            self._faults.clear()

    def delivered(self, marker: str = "", method: str = "sendMessage") -> Counter[int]:
        """How many accepted messages holding `marker` each chat got (faulted calls do not count)."""
        with self._cond:
            return Counter(c.chat_id for c in self.calls
                           if c.method == method and c.chat_id is not None and marker in c.text)

    def make_chat_admin(self, chat_id: int, user_id: int) -> None:
        self.chat_admins.add((chat_id, user_id))

    def add_file(self, content: bytes) -> str:
        """Store a file the bot can fetch with getFile; returns its file_id."""
        file_id = f"file-{next(self._ids)}"
        self.files[file_id] = content
        return file_id

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    def wait_for(self, method: str, predicate: Callable[[Call], bool] | None = None, *, count: int = 1,
                 timeout: float = 5.0, after: int = 0) -> list[Call]:
        """Block until `count` calls of `method` (matching `predicate`, from index `after`) were made."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls[after:]
                         if c.method == method and (predicate is None or predicate(c))]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.chat_id, c.text[:60]) for c in self.calls[after:]]
                    raise AssertionError(f"timed out waiting for {count} x {method}; calls: {seen}")
                self._cond.wait(remaining)

    def mark(self) -> int:
        """The number of calls so far, for `wait_for(after=...)`."""
        with self._cond:
            return len(self.calls)

    def html_errors(self) -> list[tuple[str, list[str]]]:
        """Every sent or edited text that is not valid Telegram HTML (parse_mode HTML)."""
        bad = []
        with self._cond:
            for call in self.calls:
                is_html = call.params.get("parse_mode") == "HTML"
                if call.method in ("sendMessage", "editMessageText") and is_html:
                    errors = telegram_html_errors(call.text)
                    if errors:
                        bad.append((call.text[:200], errors))
        return bad

    # --- update builders ---------------------------------------------------------------------

    def _chat(self, chat_id: int, chat_type: str) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"User{chat_id}"
        else:
            chat["title"] = f"Group {chat_id}"
        return chat

    def _user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}

    def command(self, chat_id: int, user_id: int, text: str, chat_type: str = "private") -> dict[str, Any]:
        """A text message; a leading /command gets its bot_command entity as Telegram sends it."""
        message: dict[str, Any] = {
            "message_id": next(self._ids), "date": int(time.time()), "chat": self._chat(chat_id, chat_type),
            "from": self._user(user_id), "text": text}
        if text.startswith("/"):
            length = len(text.split()[0].encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"update_id": next(self._update_ids), "message": message}

    def document(self, chat_id: int, user_id: int, file_name: str, content: bytes,
                 chat_type: str = "private", file_size: int | None = None) -> dict[str, Any]:
        file_id = self.add_file(content)
        message = {
            "message_id": next(self._ids), "date": int(time.time()), "chat": self._chat(chat_id, chat_type),
            "from": self._user(user_id),
            "document": {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": file_name,
                         "mime_type": "text/plain",
                         "file_size": file_size if file_size is not None else len(content)}}
        return {"update_id": next(self._update_ids), "message": message}

    def membership(self, chat_id: int, user_id: int, status: str) -> dict[str, Any]:
        """The bot's own membership changed in a chat (e.g. "kicked" when a user blocks it)."""
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "Briefbot", "username": self.username}
        chat_type = "private" if chat_id > 0 else "supergroup"
        member = {"status": status, "user": bot}
        if status == "kicked":
            member["until_date"] = 0
        return {"update_id": next(self._update_ids), "my_chat_member": {
            "chat": self._chat(chat_id, chat_type), "from": self._user(user_id), "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": bot}, "new_chat_member": member}}

    def press(self, call: Call, button_text: str, user_id: int | None = None) -> dict[str, Any]:
        """A press on a button of a message the bot sent (or edited), found through its call."""
        chat_id = call.chat_id
        assert chat_id is not None
        message_id = int(call.params.get("message_id") or call.params["_message_id"])
        button = call.button(button_text)
        message = dict(self._messages.get((chat_id, message_id)) or {})
        return {"update_id": next(self._update_ids), "callback_query": {
            "id": f"cb-{next(self._ids)}", "from": self._user(user_id or chat_id), "chat_instance": "ci",
            "data": button["callback_data"], "message": message}}

    # --- request handling --------------------------------------------------------------------

    def _fault_for(self, method: str, params: dict[str, Any]) -> Fault | None:
        with self._cond:
            for fault in self._faults:
                if fault.method != method or fault.times == 0:
                    continue
                if fault.chat_id is not None and str(params.get("chat_id")) != str(fault.chat_id):
                    continue
                if fault.fraction < 1.0 and self._rng.random() >= fault.fraction:
                    continue
                if fault.times > 0:
                    fault.times -= 1
                return fault
        return None

    def handle(self, method: str, params: dict[str, Any],
               files: dict[str, bytes]) -> tuple[int, dict[str, Any]]:
        fault = self._fault_for(method, params)
        if fault is not None:
            if fault.stall:
                self._stopping.wait(fault.stall)
            if fault.status == 200:
                pass
            else:
                with self._cond:
                    self.calls.append(Call(f"{method}!{fault.status}", params, files))
                    self._cond.notify_all()
                description = fault.description or _DESCRIPTIONS.get(fault.status, "Error").format(
                    retry_after=fault.retry_after)
                body: dict[str, Any] = {"ok": False, "error_code": fault.status, "description": description}
                if fault.retry_after is not None:
                    body["parameters"] = {"retry_after": fault.retry_after}
                if fault.migrate_to is not None:
                    body["parameters"] = {"migrate_to_chat_id": fault.migrate_to}
                return fault.status, body
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        result = self._answer(method, params)
        call = Call(method, params, files)
        if isinstance(result, dict) and "message_id" in result:
            call.params["_message_id"] = result["message_id"]
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()
        if result is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        return 200, {"ok": True, "result": result}

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), MAX_LONG_POLL)
        deadline = time.monotonic() + wait
        with self._cond:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._stopping.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            return list(self._updates[: int(params.get("limit") or 100)])

    def _bot_message(self, chat_id: int, text: str, params: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._ids), "date": int(time.time()),
            "chat": self._chat(chat_id, "private" if chat_id > 0 else "supergroup"),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Briefbot", "username": self.username},
            "text": text}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"]) if "chat_id" in params else 0
        if method == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "Briefbot", "username": self.username,
                    "can_join_groups": True, "can_read_all_group_messages": False,
                    "supports_inline_queries": False}
        if method in ("deleteWebhook", "setWebhook", "setMyCommands", "deleteMyCommands",
                      "answerCallbackQuery", "sendChatAction", "setChatMenuButton", "close", "logOut"):
            return True
        if method == "getMyCommands":
            return []
        if method == "sendMessage":
            return self._bot_message(chat_id, str(params.get("text", "")), params)
        if method in ("sendDocument", "sendPhoto"):
            return self._bot_message(chat_id, "", params)
        if method == "editMessageText":
            key = (chat_id, int(params.get("message_id", 0)))
            message = dict(self._messages.get(key) or self._bot_message(chat_id, "", {}))
            message["text"] = str(params.get("text", ""))
            message["edit_date"] = int(time.time())
            message.pop("reply_markup", None)
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            self._messages[key] = message
            return message
        if method == "getChatMember":
            user_id = int(params.get("user_id", 0))
            status = "administrator" if (chat_id, user_id) in self.chat_admins else "member"
            member: dict[str, Any] = {"status": status, "user": self._user(user_id)}
            if status == "administrator":
                member.update({key: True for key in (
                    "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
                    "can_manage_video_chats", "can_restrict_members", "can_promote_members",
                    "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
                    "can_delete_stories")})
                member["can_be_edited"] = False
            return member
        if method == "getFile":
            file_id = str(params.get("file_id", ""))
            if file_id not in self.files:
                return None
            return {"file_id": file_id, "file_unique_id": f"u{file_id}",
                    "file_size": len(self.files[file_id]), "file_path": f"documents/{file_id}.bin"}
        return None


class _Server(ThreadingHTTPServer):
    # Broadcast tests open hundreds of connections at once; the default backlog of 5 would make
    # the kernel reset some of them, a fault nobody asked for.
    request_queue_size = 1024


class _Handler(BaseHTTPRequestHandler):
    api: FakeBotApi
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: with Nagle's algorithm on, the body waits for the
    # client's delayed ACK (~40 ms a request on keep-alive connections).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: request lines hold the token

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        path = unquote(urlsplit(self.path).path)
        prefix, file_prefix = f"/bot{self.api.token}/", f"/file/bot{self.api.token}/"
        if path.startswith(file_prefix):
            file_id = path[len(file_prefix):].removeprefix("documents/").removesuffix(".bin")
            content = self.api.files.get(file_id)
            status = 200 if content is not None else 404
            self._send(status, content or b"not found", "application/octet-stream")
            return
        if not path.startswith(prefix):
            self._json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = path[len(prefix):]
        params, files = self._params()
        status, body = self.api.handle(method, params, files)
        self._json(status, body)

    def _params(self) -> tuple[dict[str, Any], dict[str, bytes]]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        kind = self.headers.get("Content-Type", "")
        params: dict[str, Any] = dict(parse_qsl(urlsplit(self.path).query))
        files: dict[str, bytes] = {}
        if kind.startswith("application/json") and raw:
            params.update(json.loads(raw))
        elif kind.startswith("multipart/form-data"):
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                f"Content-Type: {kind}\r\n\r\n".encode() + raw)
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename():
                    files[str(name)] = payload
                else:
                    params[str(name)] = _decode(payload.decode("utf-8"))
        elif raw:
            params.update({k: _decode(v) for k, v in parse_qsl(raw.decode("utf-8"), keep_blank_values=True)})
        return params, files

    def _json(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, json.dumps(body).encode(), "application/json")

    def _send(self, status: int, data: bytes, kind: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a stalled call past its timeout)


def _decode(value: str) -> Any:
    # The library JSON-encodes nested fields (reply_markup, entities) inside form fields.
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
