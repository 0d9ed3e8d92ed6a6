"""`make bench`: run every benchmark, print a table, write bench/results/latest.json.

Each benchmark module exposes `run() -> dict[name, (value, unit)]`. Modules that need a
database (marked in MODULES) run once on a scratch SQLite database and, when PostgreSQL answers at
BENCH_POSTGRES_URL (default: the local server, database zhili_bench, dropped and created afresh each run),
once more there; their names end in "@sqlite" or "@postgresql". Each run is a separate
process, so the settings (and connections) of one database never leak into the other. The
modules share one database per engine, except those in OWN_DATABASE, which get a fresh one each.
Results are written as ``{"name": {"value": number, "unit": "..."}}``.

    python -m bench                 # everything
    python -m bench cases locate    # modules whose name contains one of the words
"""

import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# module -> whether it needs a database
MODULES = {
    "bench.locate": False,
    "bench.subtree": True,
    "bench.cases": True,
    "bench.push": True,
    "bench.imports": True,
    "bench.duplicates": True,
    "bench.dossiers": True,
    "bench.video": False,  # the engines and a browser of its own (no database)
    "bench.recording": False,  # Janus recording chromium peers, then the MP4 conversion
    "bench.broadcast": False,  # a chromium publisher forwarded to ffmpeg, HLS to hls.js
    "bench.rooms": False,  # Janus VideoRoom and chromium peers: first remote frame, CPU
    "bench.camera_map": True,
    "bench.gb28181": True,  # the SIP server as its own process on the same database
    "bench.forces": True,
    "bench.intercom": True,  # uvicorn, Janus AudioBridge and two chromium pages
    "bench.screen": True,
    "bench.registers": True,
    "bench.reports": True,
    "bench.surges": True,  # early warning's rule (e): the daily scan at 1M cases
    "bench.assessment": True,  # the scores of 23 townships and 60 departments at 1M cases
}
# Modules that build an organization tree of their own (their own county 320722) instead of
# the demo's: each runs on a fresh database of its own, as the demo's tree and theirs cannot
# share one (the same codes; and a ranked count, such as the assessment's 23 townships, would
# count both trees' townships).
OWN_DATABASE = {"bench.forces", "bench.intercom"}
RESULTS = Path(__file__).parent / "results" / "latest.json"
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/zhili_bench"
)


def run_modules(names: list[str]) -> dict[str, tuple[float, str]]:
    """In this process: set Django up for the current DATABASE_URL and run `names`."""
    os.environ.setdefault("ZHILI_VAR_DIR", tempfile.mkdtemp(prefix="zhili-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    results: dict[str, tuple[float, str]] = {}
    for name in names:
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results |= importlib.import_module(name).run()
        print(f"  done in {time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
    return results


def postgres_ready() -> bool:
    try:
        import psycopg

        base, _, dbname = POSTGRES_URL.rpartition("/")
        # A fresh database every run, as the SQLite runs get a fresh file: what an earlier run
        # left (a million cases in the duplicate window, say) would change what this one measures.
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{dbname}"')
        return True
    except Exception as exc:
        print(f"PostgreSQL not available ({exc.__class__.__name__}): SQLite only", file=sys.stderr)
        return False


def in_child(names: list[str], env: dict[str, str], suffix: str) -> dict[str, tuple[float, str]]:
    out = subprocess.run(
        [sys.executable, "-m", "bench", "--child", *names],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return {f"{key}{suffix}": tuple(value) for key, value in json.loads(out).items()}  # type: ignore[misc]


def on_both_databases(names: list[str]) -> dict[str, tuple[float, str]]:
    """`names` in one child on a fresh SQLite file, then in one on a fresh PostgreSQL database
    when the server answers."""
    scratch = tempfile.mkdtemp(prefix="zhili-bench-")
    sqlite_env = {"DATABASE_URL": f"sqlite:///{scratch}/bench.sqlite3", "ZHILI_VAR_DIR": scratch}
    results = in_child(names, sqlite_env, "@sqlite")
    if postgres_ready():
        results |= in_child(names, {"DATABASE_URL": POSTGRES_URL}, "@postgresql")
    return results


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--child"]:
        print(json.dumps(run_modules(args[1:])))
        return
    chosen = [m for m in MODULES if not args or any(word in m for word in args)]
    plain = [m for m in chosen if not MODULES[m]]
    with_db = [m for m in chosen if MODULES[m]]
    results: dict[str, tuple[float, str]] = {}
    if plain:
        results |= in_child(plain, {}, "")
    shared = [m for m in with_db if m not in OWN_DATABASE]
    for group in ([shared] if shared else []) + [[m] for m in with_db if m in OWN_DATABASE]:
        results |= on_both_databases(group)
    print_table(results)
    RESULTS.parent.mkdir(exist_ok=True)
    table = {
        key: {"value": round(value, 3), "unit": unit} for key, (value, unit) in results.items()
    }
    RESULTS.write_text(json.dumps(table, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {RESULTS}")


def print_table(results: dict[str, tuple[float, str]]) -> None:
    width = max(len(k) for k in results)
    print(f"{'benchmark':<{width}}  {'value':>14}  unit")
    print("-" * (width + 24))
    for key, (value, unit) in results.items():
        print(f"{key:<{width}}  {value:>14,.3f}  {unit}")


if __name__ == "__main__":
    main()
