"""Ballots bench: a meeting room of phones submits its 民主测评 within a minute, against gunicorn on PostgreSQL.

Usage (PostgreSQL only; the role in DATABASE_URL needs CREATEDB):

    .venv/bin/python tests/pgcluster.py -- .venv/bin/python bench/ballots.py
        [--phones 300] [--window 60] [--fill 1.0] [--subjects 20] [--replays 0.1] [--workers 2]
        [--conn-max-age N] [--seed N] [--keep]

What it does:

1. creates a fresh database next to the one DATABASE_URL names, migrates it and builds, through
   the application's services (ballots.services.setup), a campaign's 民主测评 of ``--subjects``
   township and department secretaries with the default options and voter categories, 应到 = 实到
   split 20 % / 50 % / 30 % over ``--phones`` seats, and opens it: one code per seat;
2. runs ``collectstatic`` and starts ``gunicorn config.wsgi --workers 2`` with the production
   settings, as bench/load.py does (bench/load_server.py);
3. every phone (one thread each, stdlib http.client, no account: the code is its only key) starts at
   a random moment of the first ``--window`` − 2 × ``--fill`` seconds, GETs its ballot page
   ``/v/<code>/`` (as scanning the slip does), takes 0–2 × ``--fill`` seconds to tick, then POSTs
   the ballot to ``/v/`` with the code, the page's CSRF token and a random mark per subject (one in
   twenty left blank: 弃权), so that every submission falls inside the window; a share ``--replays``
   of the phones then sends the same POST again (a refresh that resends the form), which must be
   refused with 409 "此测评码已使用";
4. stops gunicorn and counts in the database: the phone ballots stored must be exactly the
   acknowledged submissions (answered 200 "提交成功"), per category and mark for mark (the marks
   are compared as a multiset: ballots are anonymous, nothing ties one to its phone), and the codes
   spent must equal them too.

Errors are 5xx answers, failed requests (refused, reset, timed out after 60 s) and any other answer
than 200 to a phone's first GET or its first submission, or than 409 to a replay. lost =
acknowledged submissions not found; double-counted = ballots stored beyond those acknowledged.
The last line is

    bench ballots: <n> phones in <s> s, p95 <ms> ms, <e> errors, <l> lost, <d> double-counted — PASS|FAIL

PASS means no errors, nothing lost, nothing double-counted, every replay refused, and p95 of all
requests at most 300 ms; the exit code is 0 on PASS, 1 on FAIL and 2 when the benchmark could not
run. The fresh database is dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import harness  # bench/harness.py; puts the project root on sys.path
from load import _log_summary, _quantile, _row
from load_client import CSRF_FIELD, REQUEST_TIMEOUT, Browser, Record
from load_server import (
    collect_static,
    postgres_cpu,
    postmaster_pid,
    production_env,
    start_gunicorn,
    stop_process,
    wait_ready,
    workers_cpu,
)

P95_TARGET_MS = 300
CATEGORY_SHARES = (0.2, 0.5, 0.3)
BLANK_SHARE = 0.05
DONE_TEXT = "提交成功".encode()
USED_TEXT = "此测评码已使用".encode()
SUBJECT_NAMES = (
    "城关镇",
    "新城镇",
    "石桥镇",
    "太平镇",
    "河口镇",
    "白沙乡",
    "龙潭乡",
    "清溪乡",
    "东坪乡",
    "西岭乡",
    "县委办公室",
    "县委组织部",
    "县委宣传部",
    "县发展和改革局",
    "县教育体育局",
    "县财政局",
    "县民政局",
    "县农业农村局",
    "县卫生健康局",
    "县交通运输局",
)


# -- the world, in the child process --------------------------------------------------------------


def seats(phones: int) -> list[int]:
    """``phones`` seats over the three categories, 20 % / 50 % / 30 % (the rest to the largest)."""
    counts = [int(phones * share) for share in CATEGORY_SHARES]
    counts[1] += phones - sum(counts)
    return counts


def build_world(phones: int, subjects: int) -> dict:
    from django.contrib.auth import get_user_model

    from assessment.services import campaigns
    from ballots.models import Token
    from ballots.services import setup
    from units.models import Unit
    from units.services import unit_create

    admin = get_user_model().objects.create(username="bench-admin", name="管理员", is_staff=True)
    city = unit_create(name="江州市", kind=Unit.Kind.CITY, parent=None)
    county = unit_create(name="青山县", kind=Unit.Kind.COUNTY, parent=city)
    units = [
        unit_create(
            name=name,
            kind=Unit.Kind.TOWNSHIP if name.endswith(("镇", "乡")) else Unit.Kind.COUNTY_ORGAN,
            parent=county,
        )
        for name in SUBJECT_NAMES[:subjects]
    ]
    campaign = campaigns.campaign_create(title="2025年度党建工作年终考核", year=2025)
    ballot = setup.ballot_create(
        campaign=campaign,
        user=admin,
        title="党委（党组）书记民主测评",
        subjects=[(unit, f"书记{n}", "党委书记") for n, unit in enumerate(units, start=1)],
    )
    categories = list(ballot.categories.all())
    setup.categories_set(
        ballot=ballot,
        user=admin,
        categories=[(c.name, c.weight, n) for c, n in zip(categories, seats(phones), strict=True)],
    )
    categories = list(ballot.categories.all())
    setup.present_set(ballot=ballot, user=admin, present={c.pk: c.expected for c in categories})
    setup.ballot_open(ballot=ballot, user=admin)
    return {
        "ballot": ballot.pk,
        "subjects": list(ballot.subjects.values_list("pk", flat=True)),
        "options": list(ballot.options.values_list("label", flat=True)),
        "codes": [
            [code, name]
            for code, name in Token.objects.filter(ballot=ballot).values_list("code", "category__name")
        ],
    }


def child_main(args: argparse.Namespace) -> int:
    import django

    django.setup()
    harness.migrate()
    started = time.perf_counter()
    world = build_world(args.phones, args.subjects)
    world["seconds"] = time.perf_counter() - started
    harness.emit(world)
    return 0


# -- the phones ---------------------------------------------------------------------------------------


@dataclass
class Shared:
    port: int
    started: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    records: list = field(default_factory=list)  # Record of every request
    problems: list = field(default_factory=list)  # what went wrong, in words
    acknowledged: Counter = field(default_factory=Counter)  # (category, marks as JSON) of each 200
    submitted: int = 0  # first submissions sent
    replays: int = 0
    replays_refused: int = 0
    last_submit: float = 0.0  # seconds after the start when the last submission was answered


def _record(shared: Shared, kind: str, answer) -> None:
    with shared.lock:
        shared.records.append(Record(kind, answer.status, answer.seconds, time.perf_counter(), answer.error))


def phone(
    shared: Shared, code: str, category: str, world: dict, at: float, fill: float, replay: bool, seed: int
):
    rng = random.Random(seed)
    browser = Browser(shared.port)
    delay = shared.started + at - time.perf_counter()
    if delay > 0:
        time.sleep(delay)
    page = browser.request("GET", f"/v/{code}/")
    _record(shared, "ballot page", page)
    token = CSRF_FIELD.search(page.body) if page.status == 200 else None
    if token is None:
        with shared.lock:
            shared.problems.append(f"{code}: ballot page {page.status} {page.error}".strip())
        return
    marks = {}
    fields = {"csrfmiddlewaretoken": token.group(1).decode(), "code": code, "step": "submit"}
    for subject in world["subjects"]:
        label = "" if rng.random() < BLANK_SHARE else rng.choice(world["options"])
        marks[str(subject)] = label or "弃权"
        if label:
            fields[f"s{subject}"] = label
    time.sleep(rng.uniform(0, 2 * fill))
    with shared.lock:
        shared.submitted += 1
    answer = browser.request("POST", "/v/", fields)
    _record(shared, "submit", answer)
    with shared.lock:
        shared.last_submit = max(shared.last_submit, time.perf_counter() - shared.started)
    if answer.status != 200 or DONE_TEXT not in answer.body:
        with shared.lock:
            shared.problems.append(f"{code}: submit {answer.status} {answer.error}".strip())
        return
    with shared.lock:
        shared.acknowledged[(category, json.dumps(marks, sort_keys=True))] += 1
    if replay:
        again = browser.request("POST", "/v/", fields)
        _record(shared, "replay", again)
        with shared.lock:
            shared.replays += 1
            if again.status == 409 and USED_TEXT in again.body:
                shared.replays_refused += 1
            else:
                shared.problems.append(f"{code}: replay answered {again.status} {again.error}".strip())


# -- the count ------------------------------------------------------------------------------------------


@dataclass
class Count:
    stored: Counter  # (category, marks as JSON) of each phone ballot in the database
    spent: int  # codes used

    def found(self, acknowledged: Counter) -> int:
        return sum((self.stored & acknowledged).values())


def count(url: str, ballot: int) -> Count:
    import psycopg2

    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.name, b.marks FROM ballots_castballot b JOIN ballots_category c ON c.id = b.category_id"
            " WHERE b.ballot_id = %s AND b.channel = 'phone'",
            [ballot],
        )
        stored = Counter(
            (name, json.dumps(marks if isinstance(marks, dict) else json.loads(marks), sort_keys=True))
            for name, marks in cursor.fetchall()
        )
        cursor.execute("SELECT count(*) FROM ballots_token WHERE ballot_id = %s AND used", [ballot])
        spent = cursor.fetchone()[0]
    return Count(stored, spent)


# -- the parent -------------------------------------------------------------------------------------------


def run(args: argparse.Namespace, url: str) -> int:
    load_initial = harness.load_average()
    with harness.temporary_directory("ballots", keep=args.keep, announce=False) as directory:
        databases = harness.PostgresDatabases(url, "ballots", template=False)
        try:
            return _run(args, url, databases, directory, load_initial)
        finally:
            if not args.keep:
                databases.close()


def _run(
    args: argparse.Namespace,
    url: str,
    databases: harness.PostgresDatabases,
    directory: Path,
    load_initial: float,
) -> int:
    database_url = databases.fresh()
    gunicorn = None
    try:
        # 1. the world
        options = ["--phones", str(args.phones), "--subjects", str(args.subjects)]
        world = harness.run_child(__file__, "setup", database_url, options, what="building the ballot")
        print(
            f"database: {databases.engine}, fresh ({databases.prefix}); a ballot of {len(world['subjects'])}"
            f" subjects × {len(world['options'])} options, {len(world['codes'])} codes"
            f" ({', '.join(f'{n} {c}' for c, n in sorted(Counter(c for _, c in world['codes']).items()))});"
            f" built in {world['seconds']:.1f} s"
        )

        # 2. gunicorn
        server_env = production_env(database_url, args)
        failure = collect_static(server_env, harness.PROJECT_ROOT)
        if failure:
            print(failure, file=sys.stderr)
            print("bench: collectstatic failed", file=sys.stderr)
            return 2
        log = directory / "gunicorn.log"
        gunicorn, port = start_gunicorn(server_env, harness.PROJECT_ROOT, args.workers, log)
        try:
            probe = Browser(port)
            wait_ready(gunicorn, lambda: probe.request("GET", "/v/").status == 200)
        except RuntimeError as exc:
            print(f"bench: {exc}", file=sys.stderr)
            print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
            return 2
        conn_age = args.conn_max_age if args.conn_max_age is not None else "default (60)"
        print(
            f"gunicorn {args.workers} sync workers on 127.0.0.1:{port}, production settings,"
            f" DATABASE_CONN_MAX_AGE {conn_age}"
        )

        # 3. the phones
        rng = random.Random(args.seed)
        codes = list(world["codes"])
        rng.shuffle(codes)
        latest = max(0.0, args.window - 2 * args.fill)
        shared = Shared(port=port)
        threads = [
            threading.Thread(
                target=phone,
                args=(
                    shared,
                    code,
                    category,
                    world,
                    rng.uniform(0, latest),
                    args.fill,
                    rng.random() < args.replays,
                    args.seed * 1000 + index,
                ),
                daemon=True,
            )
            for index, (code, category) in enumerate(codes)
        ]
        print(
            f"{len(threads)} phones start within {latest:g} s, fill 0–{2 * args.fill:g} s, submit within"
            f" {args.window:g} s; about {args.replays:.0%} resend their form"
        )
        load_before = os.getloadavg()[0]
        cpu_before = workers_cpu(gunicorn.pid)
        postmaster = postmaster_pid(urlsplit(url).port or 5432)
        pg_before = postgres_cpu(postmaster)
        client_started = time.process_time()
        shared.started = time.perf_counter() + 0.5
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.window + 3 * REQUEST_TIMEOUT)
        elapsed = time.perf_counter() - shared.started
        client_cpu = time.process_time() - client_started
        cpu_used = workers_cpu(gunicorn.pid) - cpu_before
        pg_used = postgres_cpu(postmaster) - pg_before
        load_after = os.getloadavg()[0]
        stop_process(gunicorn)
        notes = _log_summary(log)

        # 4. the count
        found = count(database_url, world["ballot"])
        acknowledged = sum(shared.acknowledged.values())
        matched = found.found(shared.acknowledged)
        stored = sum(found.stored.values())
        lost = acknowledged - matched
        double = stored - matched
        records = list(shared.records)
        ms = [r.seconds * 1000 for r in records if r.status]
        p50, p95 = _quantile(ms, 0.5), _quantile(ms, 0.95)
        expected = {"ballot page": 200, "submit": 200, "replay": 409}
        errors = sum(1 for r in records if r.status != expected[r.kind])

        print()
        print(
            f"bench ballots — {databases.engine}, gunicorn × {args.workers}, {len(threads)} phones,"
            f" {elapsed:.1f} s from the first start to the last answer"
        )
        print(
            f"  {'':<18}{'n':>7}{'2xx':>7}{'3xx':>6}{'4xx':>6}{'5xx':>6}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        )
        for kind in expected:
            print(_row(kind, [r for r in records if r.kind == kind]))
        print(_row("all", records))
        print(
            f"  {shared.submitted} submissions, the last answered {shared.last_submit:.1f} s after the start;"
            f" latency p50 {p50:.0f} ms, p95 {p95:.0f} ms (target ≤ {P95_TARGET_MS} ms); errors {errors}"
        )
        n = max(1, len(records))
        print(
            f"  CPU used: gunicorn workers {cpu_used:.1f} s, {cpu_used * 1000 / n:.0f} ms a request;"
            f" PostgreSQL {pg_used:.1f} s; this process {client_cpu:.1f} s;"
            f" load average {load_initial:.1f} before the benchmark, {load_before:.1f} when the phones started,"
            f" {load_after:.1f} at the end, on {os.cpu_count()} CPUs"
        )
        if harness.busy(load_initial):
            print(
                "  other processes were using the machine before the benchmark started: the times are"
                " inflated; run it on a quiet one"
            )
        print(
            f"  acknowledged {acknowledged}; phone ballots stored {stored}, of which matching an"
            f" acknowledged submission (category and every mark) {matched}; codes spent {found.spent};"
            f" lost {lost}; double-counted {double}"
        )
        print(
            f"  replays (the same form sent again): {shared.replays}, refused with 此测评码已使用 {shared.replays_refused}"
        )
        for problem in shared.problems[:10]:
            print(f"    {problem}")
        for note in notes:
            print(f"  {note}")
        if args.keep:
            print(f"  kept: database {databases.prefix}, gunicorn log {log}")
        checks = [
            ("errors", errors == 0),
            ("lost", lost == 0),
            ("double-counted", double == 0),
            ("codes spent = acknowledged", found.spent == acknowledged),
            ("every phone acknowledged", acknowledged == len(threads)),
            ("every replay refused", shared.replays_refused == shared.replays),
            (f"p95 ≤ {P95_TARGET_MS} ms", p95 <= P95_TARGET_MS),
        ]
        return harness.verdict(
            "ballots",
            f"{len(threads)} phones in {shared.last_submit:.0f} s, p95 {p95:.0f} ms, {errors} errors,"
            f" {lost} lost, {double} double-counted",
            checks,
        )
    finally:
        if gunicorn is not None:
            stop_process(gunicorn)


def main(argv: list[str] | None = None) -> int:
    parser = harness.argument_parser(__doc__)
    parser.add_argument("--phones", type=int, default=300, help="phones, one code each (default 300)")
    parser.add_argument(
        "--window", type=float, default=60, help="seconds within which all submit (default 60)"
    )
    parser.add_argument(
        "--fill", type=float, default=1.0, help="mean seconds between a phone's GET and its POST (default 1)"
    )
    parser.add_argument(
        "--subjects", type=int, default=20, help=f"people rated (default 20, at most {len(SUBJECT_NAMES)})"
    )
    parser.add_argument(
        "--replays", type=float, default=0.1, help="share of phones that resend their form (default 0.1)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--conn-max-age", type=int, default=None, help="DATABASE_CONN_MAX_AGE for gunicorn (default: unset)"
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--keep", action="store_true", help="keep the database and the gunicorn log")
    parser.add_argument("--phase", choices=("setup",), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        return child_main(args)
    if args.phones < 1 or args.window <= 0 or args.fill < 0 or not 1 <= args.subjects <= len(SUBJECT_NAMES):
        parser.error(f"need at least one phone, a positive window and 1 to {len(SUBJECT_NAMES)} subjects")
    url = os.environ.get("DATABASE_URL", "")
    if not harness.is_postgres(url):
        print(
            "bench ballots: needs PostgreSQL. Run it as\n"
            "  .venv/bin/python tests/pgcluster.py -- .venv/bin/python bench/ballots.py\n"
            "or with DATABASE_URL=postgres://… of a role with CREATEDB (a fresh database is created and dropped).",
            file=sys.stderr,
        )
        return 2
    return run(args, url)


if __name__ == "__main__":
    sys.exit(main())
