"""`/chart deals [FILTERS] [by:party]` and `/chart timeline ENTITY|STORY`: a PNG with a caption.

The bot sends the picture with `sendPhoto` and a button to the facts behind it; the console and
the CLI get the caption (the CLI writes the PNG to a file). A chart over no data is a text answer.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from briefings.chart_render import render_png
from briefings.charts import Chart, GroupBy, caption, deals_chart, timeline_chart
from briefings.commands.args import parse_deal_query
from briefings.commands.paging import args_key
from briefings.commands.reply import Button, Reply, Request
from briefings.core import Core
from briefings.errors import InputError, NotFoundError
from briefings.rates import rate_table
from briefings.store import chart_data, queries

USAGE = "deals [party] [kind:mou] [status:signed] [from:2025-01] [by:party] | timeline NAME|STORY_ID"


class ChartArgs(BaseModel):
    kind: Literal["deals", "timeline"]
    args: str = ""
    by: GroupBy = "country"


def parse_chart(text: str) -> ChartArgs:
    kind, _, rest = text.strip().partition(" ")
    kind = kind.lower()
    if kind == "deals":
        words, by = [], "country"
        for token in rest.split():
            key, sep, value = token.partition(":")
            if sep and key.lower() == "by":
                if value.lower() not in ("country", "party"):
                    raise InputError("Group deals by:country or by:party.")
                by = value.lower()
            else:
                words.append(token)
        return ChartArgs.model_validate({"kind": "deals", "args": " ".join(words), "by": by})
    if kind == "timeline":
        target = " ".join(rest.split())[:100]
        if not target:
            raise InputError("Say whose timeline: a person, an organisation, a country or a story id (s-…).")
        return ChartArgs(kind="timeline", args=target)
    raise InputError("Which chart? /chart deals or /chart timeline NAME.")


def build(core: Core, args: ChartArgs) -> Chart | None:
    """The chart spec, or None when there is nothing to draw."""
    store = core.store
    if args.kind == "deals":
        query = parse_deal_query(args.args, core.now().date())
        deals = chart_data.matching_deals(store, query.filter)
        countries = chart_data.fact_countries(store, [d.id for d in deals]) if args.by == "country" else {}
        title = f"Deal amounts{f' ({args.args})' if args.args else ''}"
        return deals_chart(deals, countries, rate_table(), by=args.by, title=title[:80])
    if args.args.lower().startswith("s-"):
        try:
            story = queries.get_story(store, args.args.lower())
        except NotFoundError as error:
            raise InputError(f"No story with id {args.args[:40]}.") from error
        title = story.headline or "Story"
        return timeline_chart(story.meetings, story.deals, story.events, title=f"Timeline: {title}"[:80])
    meetings, deals, events = chart_data.entity_facts(store, args.args)
    return timeline_chart(meetings, deals, events, title=f"Timeline: {args.args}"[:80])


def facts_button(request: Request, args: ChartArgs) -> list[list[Button]]:
    """The button to the facts behind the chart: the same query as a list."""
    if args.kind == "deals":
        data = f"pg:deals:1:{args_key(request.core, 'deals', args.args)}"
    elif args.args.lower().startswith("s-"):
        data = f"fw:s:{args.args.lower()}"
    else:
        data = f"pg:timeline:1:{args_key(request.core, 'timeline', args.args)}"
    return [[Button(text="📋 The facts", data=data)]]


def chart(request: Request, args: ChartArgs) -> Reply:
    spec = build(request.core, args)
    if spec is None:
        what = "deals with an amount" if args.kind == "deals" else "dated meetings, deals or events"
        return request.say(f"Nothing to chart: no {what} match {args.args!r}." if args.args else
                           f"Nothing to chart: no {what} on record yet.")
    text = caption(spec)
    if request.fmt == "text":  # the console: no picture, its caption
        return request.say(f"[chart] {text}")
    return Reply(photo=render_png(spec), caption=text, keyboard=facts_button(request, args))
