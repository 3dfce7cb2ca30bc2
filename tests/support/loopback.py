"""A standard-library HTTP server on 127.0.0.1 (random port), started in a thread, always stopped."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Yields the base URL ("http://127.0.0.1:PORT"); the server is shut down on exit."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def static_site(pages: Mapping[str, bytes], content_type: str = "text/html; charset=utf-8", *,
                delays: Mapping[str, float] | None = None) -> type[BaseHTTPRequestHandler]:
    """A handler serving `pages` by path (404 otherwise); a path in `delays` answers that late."""
    waits = dict(delays or {})

    class Site(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path)
            if self.path in waits:
                time.sleep(waits[self.path])
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Site
