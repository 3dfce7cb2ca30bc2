"""`briefbot chart deals [FILTERS] --out deals.png` and `briefbot chart timeline NAME --out t.png`.

The same charts as the bot's `/chart`, through the same code: the PNG goes to `--out`, the caption
to stdout; no data is a message and exit code 1, with no file written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from briefings.errors import InputError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("chart", help="draw deal amounts or a timeline as a PNG (as /chart does)")
    p.add_argument("kind", choices=["deals", "timeline"], help="deals: amounts by country or party; "
                   "timeline: dated facts of a person, organisation, country or story (s-…)")
    p.add_argument("args", nargs="*", metavar="FILTER",
                   help="deals: [party] [kind:mou] [status:signed] [from:2025-01] [by:party]; timeline: NAME")
    p.add_argument("--out", type=Path, required=True, help="the PNG file to write")
    p.add_argument("--database", metavar="URL",
                   help="database URL (default: BRIEFBOT_DATABASE_URL, else a SQLite file)")
    p.set_defaults(func=run_chart)


def run_chart(args: argparse.Namespace) -> int:
    from briefings.chart_render import render_png
    from briefings.charts import caption
    from briefings.commands.charts import build, parse_chart
    from briefings.core import Core
    from briefings.settings import Settings
    from briefings.store.db import Store

    settings = Settings() if args.database is None else Settings(database_url=args.database)
    store = Store(settings.database_url)
    try:
        store.upgrade()
        core = Core(settings, store, clock=lambda: dt.datetime.now(dt.UTC))
        spec = build(core, parse_chart(" ".join([args.kind, *args.args])))
        if spec is None:
            print("Nothing to chart: no matching facts on record.", file=sys.stderr)
            return 1
        try:
            args.out.write_bytes(render_png(spec))
        except OSError as error:
            raise InputError(f"cannot write {args.out}: {error.strerror}") from error
        print(caption(spec))
        return 0
    finally:
        store.close()
