"""`/ingest URL` in steps, so a chat shell can run each off its event loop and report between them.

    job = UrlIngest.start(request, "https://…")   # the admin gate and the URL check; InputError if bad
    job.fetch()  -> "Extracting facts…"           # network: the page is read, nothing stored
    job.store()  -> Reply                         # CPU and database: extract, merge, store; the report
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from briefings.commands.reply import Reply, Request
from briefings.errors import InputError
from briefings.ingest.raw import RawDocument, ReadFailure
from briefings.store.views import StoreStats

log = logging.getLogger(__name__)

FETCHING = "Fetching the page…"
EXTRACTING = "Extracting facts…"


@dataclass
class UrlIngest:
    request: Request
    url: str
    reads: list[RawDocument | ReadFailure] = field(default_factory=list)

    @classmethod
    def start(cls, request: Request, target: str) -> UrlIngest:
        """Checked before anything is fetched: only admins, only http(s) URLs."""
        if not request.core.is_admin(request.caller):
            raise InputError("This command is for the bot's admins.")
        url = " ".join(target.split())
        if not re.match(r"^https?://\S+$", url, flags=re.IGNORECASE):
            raise InputError("Give an http(s) URL, or upload the article as a .txt, .html or .json file.")
        return cls(request=request, url=url)

    def fetch(self) -> str:
        self.reads = self.request.core.read_sources([self.url])
        return EXTRACTING

    def store(self) -> Reply:
        core = self.request.core
        before = _facts(core.stats())
        report = core.ingest_reads(self.reads)
        added = max(_facts(core.stats()) - before, 0)
        log.info("ingest by user=%s added=%d failed=%d", self.request.caller.user_id, len(report.added),
                 len(report.failed))
        return Reply(messages=core.renderer.message("ingest_report", self.request.fmt, r=report, facts=added))


def _facts(stats: StoreStats) -> int:
    return stats.meetings + stats.deals + stats.events
