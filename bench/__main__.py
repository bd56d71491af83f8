"""Run every benchmark and print one table: ``make bench`` or ``python -m bench``."""

from __future__ import annotations

import importlib
import platform
import sys
from datetime import date
from typing import Any

MODULES = ("bench.engine_bench", "bench.faq_bench", "bench.facts_bench", "bench.telegram_bench")


def print_table(rows: list[dict[str, Any]]) -> None:
    width = max(len(r["name"]) for r in rows)
    print(f"{'figure':<{width}}  {'value':>12}  {'target':<14} ok")
    for r in rows:
        value = f"{r['value']:,.3f} {r['unit']}".rstrip()
        ok = "" if r["ok"] is None else ("yes" if r["ok"] else "NO")
        note = f"  {r['note']}" if r.get("note") else ""
        print(f"{r['name']:<{width}}  {value:>12}  {r['target']:<14} {ok}{note}".rstrip())


def main() -> int:
    print(f"# {date.today()} · Python {platform.python_version()} · {platform.machine()} · "
          f"{platform.processor() or platform.system()}")
    rows: list[dict[str, Any]] = []
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:
                continue
            raise
        rows += module.run()
    print_table(rows)
    return 0 if all(r["ok"] is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
