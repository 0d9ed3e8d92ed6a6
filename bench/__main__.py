"""`make bench`: run every benchmark, print a table, write bench/results/latest.json.

Each benchmark module exposes `run() -> dict[name, (value, unit)]`. Results are written as
``{"name": {"value": number, "unit": "..."}}`` so runs can be compared over time.
"""

import importlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

MODULES = ["bench.locate", "bench.subtree"]
RESULTS = Path(__file__).parent / "results" / "latest.json"


def main() -> None:
    # Benchmarks that need a database get a scratch SQLite one unless DATABASE_URL is set.
    os.environ.setdefault("ZHILI_VAR_DIR", tempfile.mkdtemp(prefix="zhili-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    only = sys.argv[1:]
    results: dict[str, dict[str, float | str]] = {}
    for name in MODULES:
        if only and not any(o in name for o in only):
            continue
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        for key, (value, unit) in importlib.import_module(name).run().items():
            results[key] = {"value": round(value, 3), "unit": unit}
        print(f"  done in {time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
    width = max(len(k) for k in results)
    print(f"{'benchmark':<{width}}  {'value':>14}  unit")
    print("-" * (width + 24))
    for key, row in results.items():
        print(f"{key:<{width}}  {row['value']:>14,.3f}  {row['unit']}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(
        f"\nwritten to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}"
    )


if __name__ == "__main__":
    main()
