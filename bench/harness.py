"""What the benchmarks in bench/ share: fresh databases, child processes, the signed-in client, the verdict.

Imported by the scripts as ``harness`` (they run with bench/ as sys.path[0]); importing it puts the
project root on sys.path. Nothing here imports Django at import time: the parents stay small, and a
child sets Django up only once its environment (``child_env``) is in place.

* Databases: ``fresh_databases`` gives fresh SQLite files in the temporary directory, or, when
  DATABASE_URL points at PostgreSQL (e.g. under ``tests/pgcluster.py``), databases created beside
  the one it names (the role needs CREATEDB) and dropped afterwards: a migrated template cloned for
  every run, or one fresh database. Any other DATABASE_URL is ignored.
* Child processes: ``run_child`` runs ``<script> --phase <phase> …`` with the benchmark settings and
  returns the JSON result the child printed with ``emit`` on a ``RESULT_MARKER`` line.
  ``migrating`` is the main of a child that migrates or measures; ``bulk`` builds its world.
* Requests: ``signed_in_client`` mounts a baseline view beside the application's URLs and signs a
  user in; ``measure_urls`` warms the URLs up, counts their queries and times them.
* The command line: ``argument_parser`` and ``dispatch`` (a child's ``--phase``, or the parent).
* Figures: ``quantile``, the load average before the benchmark (``print_load``), ``profiled``,
  ``print_queries`` and ``verdict``, which prints the last line and gives the exit code.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

SETTINGS_MODULE = "config.settings.local"  # with DEBUG=0: cached templates, no query log
RESULT_MARKER = "BENCH_RESULT "


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def load_average() -> float:
    """The 1-minute load average, taken before the benchmark starts."""
    return os.getloadavg()[0]


def busy(load: float) -> bool:
    """Whether other processes were using the machine: a load above half its CPUs."""
    return load > (os.cpu_count() or 1) / 2


# -- fresh databases ------------------------------------------------------------------------------


class SQLiteDatabases:
    """A migrated template file, copied for every run; or one fresh file."""

    engine = f"SQLite {sqlite3.sqlite_version}"

    def __init__(self, directory: Path):
        self.directory = directory
        self.template = directory / "template.sqlite3"

    def template_url(self) -> str:
        return f"sqlite:///{self.template}"

    def create(self, name: str) -> str:
        path = self.directory / f"{name}.sqlite3"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def fresh(self) -> str:
        """The URL of an empty database file, for a benchmark that migrates in its own process."""
        return f"sqlite:///{self.directory / 'bench.sqlite3'}"

    def drop(self, name: str) -> None:
        (self.directory / f"{name}.sqlite3").unlink(missing_ok=True)

    def close(self, keep: bool = False) -> None:
        pass  # the files go with the temporary directory (kept with --keep)


class PostgresDatabases:
    """Databases named ``bench_<name>_<pid>…`` beside the one ``url`` names, dropped at the end: a migrated
    template cloned with CREATE DATABASE … TEMPLATE for every run, or (``template=False``) one fresh one."""

    engine = "PostgreSQL"

    def __init__(self, url: str, name: str, *, template: bool = True):
        import psycopg2

        self.url = url
        self.prefix = f"bench_{name}_{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self.created: list[str] = []
        self.admin = psycopg2.connect(url)
        self.admin.autocommit = True
        server = self.admin.server_version
        self.engine = f"PostgreSQL {server // 10000}.{server % 10000}"
        if template:
            self._execute("CREATE DATABASE {}", self.template)
            self.created.append(self.template)

    def _execute(self, statement: str, *names: str) -> None:
        from psycopg2 import sql

        with self.admin.cursor() as cursor:
            cursor.execute(sql.SQL(statement).format(*(sql.Identifier(name) for name in names)))

    def _url(self, name: str) -> str:
        return urlsplit(self.url)._replace(path=f"/{name}").geturl()

    def template_url(self) -> str:
        return self._url(self.template)

    def create(self, name: str) -> str:
        full = f"{self.prefix}_{name}"
        self._execute("CREATE DATABASE {} TEMPLATE {}", full, self.template)
        self.created.append(full)
        return self._url(full)

    def fresh(self) -> str:
        """An empty database named ``bench_<name>_<pid>``, for a benchmark that migrates it itself."""
        self._execute("CREATE DATABASE {}", self.prefix)
        self.created.append(self.prefix)
        return self._url(self.prefix)

    def drop(self, name: str) -> None:
        full = f"{self.prefix}_{name}"
        self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)", full)
        self.created.remove(full)

    def close(self, keep: bool = False) -> None:
        if keep:
            print(f"  kept: PostgreSQL databases {', '.join(self.created)}")
            self.created = []
        for name in reversed(self.created):
            try:
                self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
            except Exception as exc:  # clean-up: report and go on
                print(f"bench: could not drop database {name}: {exc}", file=sys.stderr)
        self.admin.close()


Databases = SQLiteDatabases | PostgresDatabases


@contextmanager
def temporary_directory(name: str, *, keep: bool, announce: bool = True) -> Iterator[Path]:
    """A directory ``bench-<name>-…`` for the run, removed afterwards; with ``keep``, kept (and its path
    printed, with ``announce``)."""
    directory = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    try:
        yield directory
    finally:
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)
        elif announce:
            print(f"  kept: {directory}")


@contextmanager
def fresh_databases(
    directory: Path, name: str, *, template: bool = True, keep: bool = False
) -> Iterator[Databases]:
    """PostgreSQL databases when DATABASE_URL points at PostgreSQL, else SQLite files in ``directory``;
    closed (dropped, unless ``keep``) afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    databases: Databases
    if is_postgres(url):
        databases = PostgresDatabases(url, name, template=template)
    else:
        if url:
            files = "fresh SQLite files" if template else "a fresh SQLite file"
            print(f"DATABASE_URL is not PostgreSQL: ignored, using {files}")
        databases = SQLiteDatabases(directory)
    try:
        yield databases
    finally:
        databases.close(keep=keep)


# -- child processes ------------------------------------------------------------------------------


def child_env(database_url: str) -> dict[str, str]:
    """The environment a benchmark's Django runs in: local settings without DEBUG, on ``database_url``."""
    return {
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "PYTHONHASHSEED": "0",
    }


def run_child(
    script: str, phase: str, database_url: str, options: Sequence[str] = (), *, what: str = ""
) -> dict:
    """Run ``script --phase <phase> <options>`` in a child process (see ``child_env``), print its
    output and return the result it emitted; exit with code 2 when it failed (``what`` failed)."""
    command = [sys.executable, str(Path(script).resolve()), "--phase", phase, *options]
    env = {**os.environ, **child_env(database_url)}
    proc = subprocess.run(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, text=True)
    result = None
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_MARKER):
            result = json.loads(line[len(RESULT_MARKER) :])
        else:
            print(line)
    if proc.returncode != 0 or result is None:
        print(f"bench: {what or f'the {phase} phase'} failed (exit code {proc.returncode})", file=sys.stderr)
        raise SystemExit(2)
    return result


@contextmanager
def migrated_databases(
    directory: Path, name: str, script: str, options: Sequence[str], *, per: str, keep: bool = False
) -> Iterator[Databases]:
    """``fresh_databases`` whose template ``script --phase migrate`` has migrated, a fresh copy per ``per``."""
    with fresh_databases(directory, name, keep=keep) as databases:
        run_child(script, "migrate", databases.template_url(), options)
        print(f"database: {databases.engine}, a fresh migrated copy per {per}")
        yield databases


def run_fresh(
    databases: Databases, name: str, script: str, phase: str, options: Sequence[str], *, keep: bool = False
) -> dict:
    """``run_child`` on a copy of the migrated template named ``name``, dropped afterwards unless kept."""
    result = run_child(script, phase, databases.create(name), options)
    if not keep:
        databases.drop(name)
    return result


def emit(result: dict) -> None:
    """A child's result, for ``run_child``."""
    print(RESULT_MARKER + json.dumps(result), flush=True)


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def child_setup(phase: str) -> bool:
    """Set Django up in a child; for the ``migrate`` phase, migrate and emit: True then, nothing left to do."""
    import django

    django.setup()
    if phase != "migrate":
        return False
    migrate()
    emit({"phase": "migrate"})
    return True


def migrating(measure: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A child's main: the ``migrate`` phase, or ``measure`` once Django is set up."""

    def child_main(args: argparse.Namespace) -> int:
        if child_setup(args.phase):
            return 0
        return measure(args)

    return child_main


def bulk(model: Any, objs: list, batch_size: int = 1000) -> list:
    """``bulk_create``, which must return the primary keys (it does on SQLite and PostgreSQL)."""
    created = model.objects.bulk_create(objs, batch_size=batch_size)
    if created and created[0].pk is None:
        raise SystemExit(f"bulk_create of {model.__name__} returned no primary keys")
    return created


# -- the command line -----------------------------------------------------------------------------


def argument_parser(doc: str) -> argparse.ArgumentParser:
    """A benchmark's options, described by the first paragraph of its docstring."""
    return argparse.ArgumentParser(description=doc.split("\n\n")[0])


def dispatch(
    parser: argparse.ArgumentParser,
    argv: list[str] | None,
    parent_main: Callable[[argparse.Namespace], int],
    child_main: Callable[[argparse.Namespace], int],
    *,
    at_least: dict[str, int],
) -> int:
    """Parse the options: a child (``--phase``, hidden) runs ``child_main``; the parent checks that each
    option named in ``at_least`` is at least its value, then runs ``parent_main``."""
    args = parser.parse_args(argv)
    if args.phase:
        return child_main(args)
    for option, least in at_least.items():
        if getattr(args, option) < least:
            parser.error(f"--{option} must be at least {least}")
    return parent_main(args)


# -- requests through the test client -------------------------------------------------------------


def install_urlconf(name: str, patterns: list) -> str:
    """A URLconf module ``bench_<name>_urls``: ``patterns`` beside the application's URLs, with its error
    handlers (so the same middleware and the same client serve both); returns its name."""
    from django.urls import include, path

    import config.urls

    module_name = f"bench_{name}_urls"
    module = types.ModuleType(module_name)
    module.urlpatterns = [*patterns, path("", include(config.urls.urlpatterns))]
    for handler in ("handler403", "handler404", "handler500"):
        setattr(module, handler, getattr(config.urls, handler))
    sys.modules[module_name] = module
    return module_name


Get = Callable[[str], Any]


@contextmanager
def signed_in_client(name: str, patterns: list, user: Any) -> Iterator[Get]:
    """A GET through django.test.Client signed in as ``user`` (force_login), with ``patterns`` mounted
    beside the application's URLs; anything but a 200 ends the child with exit code 2."""
    from django.test import Client
    from django.test.utils import override_settings

    with override_settings(ROOT_URLCONF=install_urlconf(name, patterns)):
        client = Client(HTTP_HOST="127.0.0.1")  # local.py allows 127.0.0.1, not "testserver"
        client.force_login(user)

        def get(url: str) -> Any:
            response = client.get(url)
            if response.status_code != 200:
                fail(f"GET {url} answered {response.status_code}")
            return response

        yield get


def fail(message: str) -> None:
    """A child that cannot measure: the benchmark could not run (exit code 2)."""
    print(f"bench: {message}", file=sys.stderr)
    raise SystemExit(2)


def alternate(round_number: int, names: list[str]) -> list[str]:
    """The URLs in order on even rounds, in reverse on odd ones."""
    return names if round_number % 2 == 0 else names[::-1]


@dataclass
class Measured:
    queries: dict[str, list[dict]]  # name: the queries of one request, as CaptureQueriesContext logs them
    ms: dict[str, list[float]]  # name: wall time of each timed request
    cpu: dict[str, float]  # name: CPU seconds of this process over the timed requests


def measure_urls(
    get: Get,
    urls: dict[str, str],
    *,
    warmup: int,
    requests: int,
    order: Callable[[int, list[str]], Sequence[str]] = alternate,
) -> Measured:
    """Every URL ``warmup`` times, then one request of each with its queries captured, then ``requests``
    rounds of one request each, timed, in the order ``order`` gives each round."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        for url in urls.values():
            get(url)
    queries: dict[str, list[dict]] = {}
    for name, url in urls.items():
        # Copied at once: the next request's request_started signal empties the connection's log.
        with CaptureQueriesContext(connection) as captured:
            get(url)
        queries[name] = list(captured.captured_queries)

    ms: dict[str, list[float]] = {name: [] for name in urls}
    cpu: dict[str, float] = dict.fromkeys(urls, 0.0)
    names = list(urls)
    for i in range(requests):
        for name in order(i, names):
            c0 = time.process_time()
            t0 = time.perf_counter()
            get(urls[name])
            ms[name].append((time.perf_counter() - t0) * 1000)
            cpu[name] += time.process_time() - c0
    return Measured(queries, ms, cpu)


# -- figures --------------------------------------------------------------------------------------


def quantile(values: list[float], q: float) -> float:
    """The value at rank ``q × n`` of the sorted values (the largest for q near 1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def print_load(load_initial: float) -> None:
    """The load average before the benchmark, with a warning when the machine was busy."""
    print(f"  load average {load_initial:.1f} before the benchmark, on {os.cpu_count() or 1} CPUs")
    if busy(load_initial):
        print("  other processes were using the machine: the times are inflated; run it on a quiet one")


@contextmanager
def profiled(title: str, cumulative: int, own: int = 0) -> Iterator[None]:
    """Run the block under cProfile, then print its top entries (``print_profile``)."""
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    yield
    profiler.disable()
    print_profile(profiler, title, cumulative, own)


def print_profile(profiler: Any, title: str, cumulative: int, own: int = 0) -> None:
    """A cProfile run's top entries by cumulative time and, if ``own``, by own time."""
    import pstats

    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.strip_dirs()
    print(f"\n-- {title}, by cumulative time --")
    stats.sort_stats("cumulative").print_stats(cumulative)
    if own:
        print("-- by own time --")
        stats.sort_stats("tottime").print_stats(own)


def print_queries(title: str, queries: list[dict], width: int) -> None:
    """Captured queries, numbered, with their time and their first ``width`` characters of SQL."""
    print(f"\n-- {title} --")
    for n, q in enumerate(queries, 1):
        print(f"{n:3d}. [{float(q['time']) * 1000:.1f} ms] {q['sql'][:width]}")


def verdict(name: str, headline: str, checks: list[tuple[str, bool]], *, kept: Path | None = None) -> int:
    """The targets missed, the kept directory if any, and the last line ``bench <name>: <headline> —
    PASS|FAIL``; returns the exit code, 0 on PASS, 1 on FAIL."""
    failed = [label for label, ok in checks if not ok]
    if failed:
        print(f"  missed: {', '.join(failed)}")
    if kept is not None:
        print(f"  kept: {kept}")
    print(f"bench {name}: {headline} — {'FAIL' if failed else 'PASS'}")
    return 1 if failed else 0
