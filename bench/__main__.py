"""Run the benchmarks on a scratch database: `python -m bench [--only NAME]`."""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fresh_database():
    """A new database named after DATABASE_URL's, with `_bench` appended."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/boursoloco")
    server, _, name = base.rpartition("/")
    bench_db = f"{name}_bench"
    url = f"{server}/{bench_db}"
    admin = f"{server}/postgres"
    for sql in (f"DROP DATABASE IF EXISTS {bench_db} WITH (FORCE)", f"CREATE DATABASE {bench_db}"):
        subprocess.run(["psql", admin, "-qc", sql], check=True, capture_output=True)
    return url


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run one benchmark by name")
    options = parser.parse_args()

    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ["DATABASE_URL"] = fresh_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boursoloco.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    os.environ["EMAIL_URL"] = "file:///tmp/boursoloco-bench-mail"
    os.environ["BENCH_FLOOR_VIEW"] = "true"  # the load benchmark counts its queries too

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_schemas", verbosity=0)

    from bench.registry import BENCHMARKS

    selected = {options.only: BENCHMARKS[options.only]} if options.only else BENCHMARKS
    if options.only and options.only not in BENCHMARKS:
        sys.exit(f"unknown benchmark {options.only!r}; known: {', '.join(BENCHMARKS)}")
    started = time.perf_counter()
    for name, run in selected.items():
        print(f"# {name}", flush=True)
        run()
    print(f"# total: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
