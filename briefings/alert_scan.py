"""Alert use cases: scan newly stored articles for facts readers follow, and word their messages.

Runs in every planner process against the store, so an article alerts whatever brought it in (an
upload, `/ingest`, a feed, `briefbot ingest` in another process): each scan looks at the articles
ingested in the last `LOOKBACK` that no scan has looked at yet, and records one pending ledger row
per reader and fact. Rows are then claimed a reader at a time and sent by the shell.
"""

from __future__ import annotations

import datetime as dt
import logging

from briefings.alerts import COALESCE, MAX_LISTED, Alert, FollowIndex, NewFact, fan_out, new_facts
from briefings.commands.reply import Button
from briefings.core import Core
from briefings.models import Story
from briefings.render import Format
from briefings.store import alert_ledger as ledger
from briefings.store import chart_data
from briefings.store import follows as follow_store
from briefings.store.alert_ledger import ClaimedAlerts, ScanArticle

log = logging.getLogger(__name__)

LOOKBACK = dt.timedelta(days=1)  # articles older than this when first seen alert nobody
MAX_STORY_BUTTONS = 3


def scan(core: Core, *, limit: int = 500) -> int:
    """Look at unscanned articles once; record pending alerts. Returns how many rows were added."""
    now = core.now()
    store = core.store
    ledger.skip_inactive(store)  # readers who left since: their waiting alerts are not sent
    articles = ledger.unscanned(store, now - LOOKBACK, limit=limit)
    if not articles:
        return 0
    follows = follow_store.alert_follows(store)
    ids = [a.id for a in articles]
    if not follows:
        ledger.record_scan(store, [], ids, now)
        return 0
    found = _new_facts(core, articles)
    countries = chart_data.fact_countries(store, [f.fact_id for f, _ in found if f.deal is not None])
    alerts = fan_out(found, FollowIndex(follows), countries)
    added = ledger.record_scan(store, alerts, ids, now)
    log.info("alert scan articles=%d facts=%d alerts=%d", len(articles), len(found), added)
    return added


def _new_facts(core: Core, articles: list[ScanArticle]) -> list[tuple[NewFact, dt.datetime]]:
    story_ids = sorted({a.story_id for a in articles if a.story_id})
    known = ledger.story_articles(core.store, story_ids)
    stories = {i: Story.model_validate_json(d) for i, d in ledger.stories(core.store, story_ids).items()}
    found: dict[str, tuple[NewFact, dt.datetime]] = {}
    for article in articles:
        story = stories.get(article.story_id or "")
        if story is None:
            continue

        def older(other: str, article: ScanArticle = article) -> bool:
            info = known.get(other)
            if info is None:
                return False
            at, seen = info
            return seen or (at, other) < (article.ingested_at, article.id)

        for fact in new_facts(story, article.id, older):
            found.setdefault(fact.fact_key, (fact, article.ingested_at))
    return list(found.values())


def claim(core: Core) -> list[ClaimedAlerts]:
    """Claim the alerts due now, a reader at a time (at most one message per reader per `COALESCE`)."""
    return ledger.claim_due(core.store, core.now(), worker=core.worker_id, quiet=COALESCE)


def message(core: Core, claimed: ClaimedAlerts, fmt: Format = "html") -> tuple[list[str], list[list[Button]]]:
    """One short message listing what came in, with a button to each story (the first few)."""
    alerts = claimed.alerts
    shown, more = alerts[:MAX_LISTED], max(len(alerts) - MAX_LISTED, 0)
    messages = core.renderer.message("alert", fmt, alerts=shown, more=more)
    keyboard: list[list[Button]] = []
    seen: set[str] = set()
    for alert in shown:
        if alert.story_id in seen or len(keyboard) == MAX_STORY_BUTTONS:
            continue
        seen.add(alert.story_id)
        title = alert.headline or _label(alert)
        keyboard.append([Button(text=f"📰 {title}"[:60], data=f"fw:s:{alert.story_id}")])
    return messages[:1], keyboard


def _label(alert: Alert) -> str:
    if alert.meeting is not None:
        return " and ".join(alert.meeting.participants[:2]) or "the story"
    if alert.deal is not None:
        return " and ".join(alert.deal.parties[:2]) or "the story"
    return "the story"


def sent(core: Core, claimed: ClaimedAlerts, message_id: int) -> None:
    ledger.mark_sent(core.store, claimed.ids, message_id, core.now())


def failed(core: Core, claimed: ClaimedAlerts, error: str, status: str = "failed") -> None:
    ledger.mark_failed(core.store, claimed.ids, error, status=status)


def release(core: Core, claimed: ClaimedAlerts) -> None:
    ledger.release(core.store, claimed.ids, worker=core.worker_id)


CHART_DAYS = 7  # the briefing's chart: deal amounts of the last week


def briefing_chart(core: Core, day: dt.date) -> tuple[bytes, str] | None:
    """The chart that goes with a briefing of `day` (deals of the week before it), or None."""
    from briefings.chart_render import render_png
    from briefings.charts import caption
    from briefings.commands.charts import ChartArgs, build

    since = (day - dt.timedelta(days=CHART_DAYS)).isoformat()
    spec = build(core, ChartArgs(kind="deals", args=f"from:{since}"))
    if spec is None:
        return None
    return render_png(spec), caption(spec)


def charts_due(core: Core) -> list[tuple[int, dt.date]]:
    return ledger.charts_due(core.store, core.now())


def claim_chart(core: Core, chat_id: int, day: dt.date) -> int | None:
    return ledger.claim_chart(core.store, chat_id, day, core.now(), worker=core.worker_id)


def chart_done(core: Core, row_id: int, message_id: int | None, error: str | None = None) -> None:
    if error is None and message_id is not None:
        ledger.mark_sent(core.store, [row_id], message_id, core.now())
    else:
        ledger.mark_failed(core.store, [row_id], error or "nothing to chart", status="skipped")
