"""The extraction quality table of bench/README.md, from `briefbot eval --json-out F`.

    .venv/bin/briefbot eval --json-out /tmp/eval.json && .venv/bin/python bench/eval_table.py /tmp/eval.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

_CHECKS = {"meetings": ("date", "place"), "deals": ("kind", "amount", "currency", "status", "date")}


def rows(name: str, result: dict) -> list[str]:  # type: ignore[type-arg]
    out = []
    for category in ("people", "meetings", "deals", "events"):
        s = result["categories"][category]
        checks = _CHECKS.get(category, ())
        among = ", ".join(f"{k} {s['checks'].get(k + '_ok', 0)}/{s['matched']}" for k in checks)
        out.append(f"| {name} | {category} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} | {s['gold']} | "
                   f"{s['pred']} | {s['matched']} | {among} |")
    st = result["stories"]
    out.append(f"| {name} | stories (pairs) | {st['p']:.3f} | {st['r']:.3f} | {st['f1']:.3f} | "
               f"{st['gold']} | {st['pred']} | {st['tp']} | |")
    published = result["published"]
    accuracy = published.get("correct", 0) / max(1, sum(published.values()))
    dates = [result["categories"][c] for c in ("meetings", "deals")]
    right, matched = sum(s["checks"].get("date_ok", 0) for s in dates), sum(s["matched"] for s in dates)
    out.append(f"| {name} | overall F1 **{result['overall_f1']:.3f}** | "
               f"published date accuracy {accuracy:.3f} | "
               f"dates right among matched meetings and deals {right}/{matched} | | | | | |")
    return out


def main() -> None:
    results = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    print("| set | category | P | R | F1 | gold | pred | matched | among matched |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, result in results.items():
        print("\n".join(rows(name, result)))


if __name__ == "__main__":
    main()
