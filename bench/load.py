"""Load test: inspectors saving findings and reviewers reading, against gunicorn on PostgreSQL.

Usage (PostgreSQL only; the role in DATABASE_URL needs CREATEDB):

    .venv/bin/python tests/pgcluster.py -- .venv/bin/python bench/load.py
        [--duration 120] [--inspectors 40] [--reviewers 5] [--think 0.5] [--workers 2]
        [--conn-max-age N] [--seed N] [--keep]

What it does:

1. creates a fresh database next to the one DATABASE_URL names, migrates it and
   builds, through the application's services, a city with one county per
   group (organs, institutions, townships with villages and stations), an
   active campaign with a checklist of 5 items × 3 criteria (two with a cap of
   45 points, one without), one group per county with 8 inspectors (a leader
   and 7 members), the reviewers, and a draw per target
   (``assessment.services.sampling.sample_draw``);
2. runs ``collectstatic`` (the production settings' manifest storage needs it)
   and starts ``gunicorn config.wsgi --workers 2`` on 127.0.0.1 with
   DJANGO_SETTINGS_MODULE=config.settings.production and a throwaway
   SECRET_KEY, ALLOWED_HOSTS=127.0.0.1 and SECURE_SSL_REDIRECT=0;
3. signs every simulated user in through /accounts/login/ (one thread each;
   stdlib http.client with a cookie dict, since the cookies are ``Secure``;
   requests carry ``X-Forwarded-Proto: https``, as from the TLS proxy, and an
   ``Origin`` for the CSRF check), then, for ``--duration`` seconds:

   * each inspector, on its group's target: picks an item and adds a deduction
     (0.5 points, a criterion of the item, a sampled unit or none), a problem
     and an evaluation point through the htmx endpoints (``HX-Request: true``,
     ``X-CSRFToken``): each time it GETs the blank form (as the collapsed "add"
     loads it when opened, with the form's token) and POSTs it with a unique
     text ``load-<user>-<n>``; every third round it GETs the item's page;
   * each reviewer GETs a target's items tab, 工作情况 tab and 修改记录 tab in turn;

   every user waits a random 0–2 × ``--think`` seconds between two requests;
4. stops the users (requests in flight complete), then sends a burst of
   double submissions: every inspector at once opens the blank 问题 form and
   sends that one form twice at the same moment, as a double click the browser
   does not stop; one problem per form must be stored (duplicates = stored − 1
   per form, not part of the timed figures);
5. stops gunicorn and checks in the database that every write acknowledged
   with a 2xx is there exactly once with what was sent (target, item,
   criterion, unit, points, author…). lost = acknowledged − found that way.

Errors are 5xx answers and failed requests (refused, reset, timed out after
60 s); 4xx answers (e.g. 422, a refused validation) are counted apart. Sign-ins
are not part of the timed figures: they happen before the clock starts and are
reported on their own line. The last line of the output is

    bench load: <rps> req/s, p95 <ms> ms, <e> errors, <l> lost, <d> duplicates of <n> double submissions — PASS|FAIL

PASS means no errors, no lost writes and no duplicates; the exit code is 0 on PASS, 1 on FAIL
and 2 when the benchmark could not run. The fresh database is dropped at the
end unless ``--keep``.

Beside this file, ``load_world.py`` builds the world (in the child process, ``--phase setup``) and
``load_server.py`` starts, watches and stops gunicorn (environment, port, /proc CPU times).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import harness  # bench/harness.py; puts the project root on sys.path
import load_world
from load_client import FORM_TOKEN, REQUEST_TIMEOUT, Ack, Answer, Browser, Record, Shared, sign_in
from load_server import (
    free_port,
    postgres_cpu,
    postmaster_pid,
    production_env,
    stop_process,
    wait_ready,
    workers_cpu,
)

BURST_PREFIX = "burst-"

POINTS = "0.5"
PREFIX = "load-"


def _pause(shared: Shared, rng: random.Random) -> None:
    if shared.think > 0:
        shared.stop.wait(rng.uniform(0, 2 * shared.think))


def _record(shared: Shared, kind: str, answer: Answer) -> None:
    shared.records.append(Record(kind, answer.status, answer.seconds, time.perf_counter(), answer.error))


def inspector(shared: Shared, user: dict, target: dict, seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(shared.port)
    ok = sign_in(shared, browser, user["username"])
    with shared.lock:
        shared.signed_in += 1
    if not ok:
        return
    with shared.lock:
        shared.inspectors.append((browser, user, target))
    shared.go.wait()
    base = f"/campaigns/targets/{target['pk']}/items"
    n = 0
    rounds = 0
    while not shared.stop.is_set():
        item = rng.choice(target["items"])
        unit = rng.choice([*target["sampled"], None])
        common = {"target": target["pk"], "item": item["pk"], "user": user["pk"]}
        writes = []
        n += 1
        text = f"{PREFIX}{user['username']}-{n}"
        criterion = rng.choice(item["criteria"])
        writes.append(
            (
                "deduction",
                f"{base}/{item['pk']}/deductions/new/?criterion={criterion}",
                {"version": "", "criterion": criterion, "unit": unit or "", "points": POINTS, "reason": text},
                text,
                {**common, "criterion": criterion, "unit": unit, "points": Decimal(POINTS)},
            )
        )
        n += 1
        text = f"{PREFIX}{user['username']}-{n}"
        category = rng.choice(("组织建设", "党员管理", "制度建设"))
        writes.append(
            (
                "problem",
                f"{base}/{item['pk']}/problems/new/",
                {
                    "version": "",
                    "text": text,
                    "unit": unit or "",
                    "category": category,
                    "owner_unit": "",
                    "deadline": "",
                    "rectification": "open",
                    "rectification_note": "",
                },
                text,
                {**common, "unit": unit, "category": category},
            )
        )
        n += 1
        text = f"{PREFIX}{user['username']}-{n}"
        body = f"压力测试第{n}条评价要点的内容。"
        writes.append(
            (
                "point",
                f"{base}/{item['pk']}/points/new/",
                {"version": "", "headline": text, "body": body},
                text,
                {**common, "body": body},
            )
        )
        for kind, form_path, fields, text, expect in writes:
            if shared.stop.is_set():
                return
            # The collapsed "add" loads its blank form, with the form's token, when it is opened.
            form = browser.request("GET", form_path, htmx=True)
            _record(shared, "add form", form)
            token = FORM_TOKEN.search(form.body) if form.status == 200 else None
            if token is None:
                _pause(shared, rng)
                continue
            path = form_path.split("?")[0]
            shared.attempted.append((kind, text))
            answer = browser.request(
                "POST", path, {**fields, "form_token": token.group(1).decode()}, htmx=True
            )
            _record(shared, kind, answer)
            if 200 <= answer.status < 300:
                shared.acks.append(Ack(kind, text, expect, text.encode() in answer.body))
            _pause(shared, rng)
        rounds += 1
        if rounds % 3 == 0 and not shared.stop.is_set():
            _record(shared, "items page", browser.request("GET", f"{base}/{item['pk']}/"))
            _pause(shared, rng)


def reviewer(shared: Shared, user: dict, targets: list[dict], seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(shared.port)
    ok = sign_in(shared, browser, user["username"])
    with shared.lock:
        shared.signed_in += 1
    if not ok:
        return
    shared.go.wait()
    while not shared.stop.is_set():
        target = rng.choice(targets)
        item = rng.choice(target["items"])
        pages = (
            ("review: items", f"/campaigns/targets/{target['pk']}/items/{item['pk']}/"),
            ("review: overview", f"/campaigns/targets/{target['pk']}/overview/"),
            ("review: history", f"/campaigns/targets/{target['pk']}/history/"),
        )
        for kind, path in pages:
            if shared.stop.is_set():
                return
            _record(shared, kind, browser.request("GET", path))
            _pause(shared, rng)


# -- the burst of double submissions -------------------------------------------------------------------


@dataclass
class Burst:
    forms: int = 0  # forms submitted twice
    records: list = field(default_factory=list)  # Record of each of the two submissions
    answered: dict = field(default_factory=dict)  # text → statuses of its two submissions
    stored: dict = field(default_factory=dict)  # text → problems stored with it
    failures: list = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        return sum(max(0, n - 1) for n in self.stored.values())

    @property
    def missing(self) -> int:
        """Forms acknowledged (a 2xx to either submission) but not stored."""
        return sum(
            1
            for text, statuses in self.answered.items()
            if any(200 <= s < 300 for s in statuses) and not self.stored.get(text)
        )


def double_submissions(shared: Shared) -> Burst:
    """Every inspector at once: open the blank 问题 form, then send that one form twice at the same
    moment (a double click that the browser does not stop); one problem each must be stored."""
    burst = Burst()
    everyone = threading.Barrier(len(shared.inspectors) or 1)

    def person(browser: Browser, user: dict, target: dict) -> None:
        item = target["items"][0]
        path = f"/campaigns/targets/{target['pk']}/items/{item['pk']}/problems/new/"
        form = browser.request("GET", path, htmx=True)
        token = FORM_TOKEN.search(form.body) if form.status == 200 else None
        text = f"{BURST_PREFIX}{user['username']}"
        fields = {"text": text, "rectification": "open", "category": "双击"}
        if token is None:
            with shared.lock:
                burst.failures.append(f"{user['username']}: blank form {form.status} {form.error}")
        else:
            fields["form_token"] = token.group(1).decode()
        with contextlib.suppress(threading.BrokenBarrierError):  # a stuck colleague does not hold the rest
            everyone.wait(timeout=REQUEST_TIMEOUT)
        if token is None:
            return
        both = threading.Barrier(2)
        answers: list[Answer | None] = [None, None]

        def click(index: int) -> None:
            both.wait(timeout=REQUEST_TIMEOUT)
            answers[index] = browser.request("POST", path, fields, htmx=True)

        clicks = [threading.Thread(target=click, args=(i,)) for i in (0, 1)]
        for thread in clicks:
            thread.start()
        for thread in clicks:
            thread.join(timeout=2 * REQUEST_TIMEOUT)
        with shared.lock:
            burst.forms += 1
            burst.answered[text] = [a.status if a else 0 for a in answers]
            for answer in answers:
                if answer is not None:
                    burst.records.append(
                        Record(
                            "double submit", answer.status, answer.seconds, time.perf_counter(), answer.error
                        )
                    )

    people = [threading.Thread(target=person, args=entry) for entry in shared.inspectors]
    for thread in people:
        thread.start()
    for thread in people:
        thread.join(timeout=3 * REQUEST_TIMEOUT)
    return burst


def count_burst(url: str, burst: Burst) -> None:
    import psycopg2

    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT text, count(*) FROM assessment_problem WHERE text LIKE %s GROUP BY text",
            [BURST_PREFIX + "%"],
        )
        burst.stored = dict(cursor.fetchall())


# -- the check ------------------------------------------------------------------------------------


@dataclass
class Verdict:
    acknowledged: int = 0
    found: int = 0
    missing: list = field(default_factory=list)
    duplicated: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    no_audit: int = 0
    unacknowledged_stored: int = 0
    by_kind: dict = field(default_factory=dict)

    @property
    def lost(self) -> int:
        return self.acknowledged - self.found


def verify(url: str, acks: list[Ack], attempted: list[tuple[str, str]]) -> Verdict:
    """Every acknowledged write must be stored exactly once, with what was sent, and audited."""
    import psycopg2

    like = PREFIX + "%"
    rows: dict[str, dict[str, list[dict]]] = {"deduction": {}, "problem": {}, "point": {}}
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, reason, target_id, item_id, criterion_id, unit_id, points, created_by_id, updated_by_id"
            " FROM assessment_deduction WHERE reason LIKE %s",
            [like],
        )
        for pk, text, target, item, criterion, unit, points, created_by, updated_by in cursor.fetchall():
            rows["deduction"].setdefault(text, []).append(
                {
                    "pk": pk,
                    "target": target,
                    "item": item,
                    "criterion": criterion,
                    "unit": unit,
                    "points": points,
                    "user": created_by if created_by == updated_by else None,
                }
            )
        cursor.execute(
            "SELECT id, text, target_id, item_id, unit_id, category, created_by_id"
            " FROM assessment_problem WHERE text LIKE %s",
            [like],
        )
        for pk, text, target, item, unit, category, created_by in cursor.fetchall():
            rows["problem"].setdefault(text, []).append(
                {
                    "pk": pk,
                    "target": target,
                    "item": item,
                    "unit": unit,
                    "category": category,
                    "user": created_by,
                }
            )
        cursor.execute(
            "SELECT p.id, p.headline, a.target_id, a.item_id, p.body, p.updated_by_id"
            " FROM assessment_evaluationpoint p JOIN assessment_itemassessment a ON a.id = p.assessment_id"
            " WHERE p.headline LIKE %s",
            [like],
        )
        for pk, text, target, item, body, updated_by in cursor.fetchall():
            rows["point"].setdefault(text, []).append(
                {"pk": pk, "target": target, "item": item, "body": body, "user": updated_by}
            )
        cursor.execute("SELECT model, object_id FROM assessment_auditentry WHERE action = 'create'")
        audited = set(cursor.fetchall())
    models = {
        "deduction": "assessment.deduction",
        "problem": "assessment.problem",
        "point": "assessment.evaluationpoint",
    }

    verdict = Verdict(acknowledged=len(acks))
    for ack in acks:
        kind_counts = verdict.by_kind.setdefault(ack.kind, {"acknowledged": 0, "found": 0})
        kind_counts["acknowledged"] += 1
        stored = rows[ack.kind].get(ack.text, [])
        if not stored:
            verdict.missing.append(f"{ack.kind} {ack.text}")
            continue
        if len(stored) > 1:
            verdict.duplicated.append(f"{ack.kind} {ack.text} ×{len(stored)}")
            continue
        row = stored[0]
        differs = {k: (v, row.get(k)) for k, v in ack.expect.items() if row.get(k) != v}
        if differs:
            verdict.wrong.append(f"{ack.kind} {ack.text}: {differs}")
            continue
        verdict.found += 1
        kind_counts["found"] += 1
        if (models[ack.kind], row["pk"]) not in audited:
            verdict.no_audit += 1
    acked = {(a.kind, a.text) for a in acks}
    verdict.unacknowledged_stored = sum(
        1 for kind, text in attempted if (kind, text) not in acked and rows[kind].get(text)
    )
    return verdict


# -- the figures -------------------------------------------------------------------------------------


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def _row(label: str, records: list[Record]) -> str:
    ms = [r.seconds * 1000 for r in records if r.status]
    counts = {
        "2xx": sum(1 for r in records if 200 <= r.status < 300),
        "3xx": sum(1 for r in records if 300 <= r.status < 400),
        "4xx": sum(1 for r in records if 400 <= r.status < 500),
        "5xx": sum(1 for r in records if r.status >= 500),
        "failed": sum(1 for r in records if r.status == 0),
    }
    return (
        f"  {label:<18}{len(records):>7}{counts['2xx']:>7}{counts['3xx']:>6}{counts['4xx']:>6}{counts['5xx']:>6}"
        f"{counts['failed']:>8}{_quantile(ms, 0.5):>9.0f}{_quantile(ms, 0.95):>9.0f}{max(ms, default=0):>9.0f}"
    )


def _statuses(records: list[Record]) -> str:
    counts: dict[tuple[str, int], int] = {}
    for r in records:
        if not 200 <= r.status < 300:
            counts[(r.kind, r.status)] = counts.get((r.kind, r.status), 0) + 1
    return ", ".join(f"{kind} {status or 'failed'} ×{n}" for (kind, status), n in sorted(counts.items()))


def _log_summary(log: Path) -> list[str]:
    text = log.read_text(errors="replace") if log.exists() else ""
    lines = text.splitlines()
    notes = []
    timeouts = sum(1 for line in lines if "WORKER TIMEOUT" in line)
    if timeouts:
        notes.append(f"gunicorn: {timeouts} worker timeout(s)")
    tracebacks = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
    if tracebacks:
        notes.append(f"gunicorn log: {len(tracebacks)} traceback(s); the first:")
        start = tracebacks[0]
        notes += ["    " + line for line in lines[max(0, start - 2) : start + 30]]
    return notes


# -- the parent ----------------------------------------------------------------------------------------


def run(args: argparse.Namespace, url: str) -> int:
    load_initial = harness.load_average()
    with harness.temporary_directory("load", keep=args.keep, announce=False) as directory:
        databases = harness.PostgresDatabases(url, "load", template=False)
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
        options = ["--inspectors", str(args.inspectors), "--reviewers", str(args.reviewers)]
        options += ["--seed", str(args.seed)]
        world = harness.run_child(__file__, "setup", database_url, options, what="building the world")
        targets = {t["pk"]: t for t in world["targets"]}
        sampled = statistics.mean(len(t["sampled"]) for t in world["targets"])
        print(
            f"database: {databases.engine}, fresh ({databases.prefix}); {len(targets)} targets"
            f" ({len(world['targets'][0]['items'])} items × 3 criteria, {sampled:.0f} sampled units each),"
            f" {args.inspectors} inspectors, {args.reviewers} reviewers; built in {world['seconds']:.1f} s"
        )

        # 2. gunicorn
        server_env = production_env(database_url, args)
        collect = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=harness.PROJECT_ROOT,
            env=server_env,
            capture_output=True,
            text=True,
        )
        if collect.returncode != 0:
            print(collect.stdout, collect.stderr, sep="\n", file=sys.stderr)
            print("bench: collectstatic failed", file=sys.stderr)
            return 2
        port = free_port()
        log = directory / "gunicorn.log"
        gunicorn_bin = Path(sys.executable).parent / "gunicorn"
        command = [str(gunicorn_bin), "config.wsgi", "--workers", str(args.workers)]
        command += ["--bind", f"127.0.0.1:{port}", "--error-logfile", str(log)]
        with open(log, "ab") as log_file:
            gunicorn = subprocess.Popen(
                command, cwd=harness.PROJECT_ROOT, env=server_env, stdout=log_file, stderr=subprocess.STDOUT
            )
        try:
            probe = Browser(port)
            wait_ready(gunicorn, lambda: probe.request("GET", "/accounts/login/").status == 200)
        except RuntimeError as exc:
            print(f"bench: {exc}", file=sys.stderr)
            print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
            return 2
        conn_age = args.conn_max_age if args.conn_max_age is not None else "default (0)"
        print(
            f"gunicorn {args.workers} sync workers on 127.0.0.1:{port}, production settings,"
            f" DATABASE_CONN_MAX_AGE {conn_age}"
        )

        # 3. the users
        shared = Shared(port=port, think=args.think)
        threads = []
        for index, user in enumerate(world["users"]):
            seed = args.seed * 1000 + index
            if user["role"] == "inspector":
                worker = threading.Thread(
                    target=inspector, args=(shared, user, targets[user["target"]], seed), daemon=True
                )
            else:
                worker = threading.Thread(
                    target=reviewer, args=(shared, user, world["targets"], seed), daemon=True
                )
            threads.append(worker)
        login_started = time.perf_counter()
        for worker in threads:
            worker.start()
        while shared.signed_in < len(threads) and time.perf_counter() - login_started < 300:
            time.sleep(0.05)
        login_seconds = time.perf_counter() - login_started
        print(
            f"signed in {len(shared.logins) - len(shared.login_failures)} of {len(threads)} users"
            f" in {login_seconds:.1f} s; load for {args.duration:g} s, think time 0–{2 * args.think:g} s"
        )
        load_before = os.getloadavg()[0]
        cpu_before = workers_cpu(gunicorn.pid)
        postmaster = postmaster_pid(urlsplit(url).port or 5432)
        pg_before = postgres_cpu(postmaster)
        started = time.perf_counter()
        client_started = time.process_time()
        shared.go.set()
        shared.stop.wait(args.duration)
        shared.stop.set()
        stopped = time.perf_counter()
        for worker in threads:
            worker.join(timeout=REQUEST_TIMEOUT + 10)
        drained = time.perf_counter()
        client_cpu = time.process_time() - client_started
        cpu_used = workers_cpu(gunicorn.pid) - cpu_before
        pg_used = postgres_cpu(postmaster) - pg_before
        load_after = os.getloadavg()[0]
        burst = double_submissions(shared)  # after the timed load: not in its figures
        stop_process(gunicorn)
        notes = _log_summary(log)

        # 4. the check
        acks, records = list(shared.acks), list(shared.records)
        verdict = verify(database_url, acks, list(shared.attempted))
        count_burst(database_url, burst)

        elapsed = max((r.finished for r in records), default=stopped) - started
        rps = len(records) / elapsed if elapsed > 0 else 0.0
        ms = [r.seconds * 1000 for r in records if r.status]
        p50, p95 = _quantile(ms, 0.5), _quantile(ms, 0.95)
        errors = sum(1 for r in records if r.status >= 500 or r.status == 0)
        errors += sum(1 for r in shared.logins if r.status >= 500 or r.status == 0)
        errors += sum(1 for r in burst.records if r.status >= 500 or r.status == 0)
        client_errors = sum(1 for r in records if 400 <= r.status < 500)

        print()
        print(
            f"bench load — {databases.engine}, gunicorn × {args.workers}, {args.inspectors} inspectors +"
            f" {args.reviewers} reviewers, {elapsed:.1f} s (stopping took {drained - stopped:.1f} s)"
        )
        print(
            f"  {'':<18}{'n':>7}{'2xx':>7}{'3xx':>6}{'4xx':>6}{'5xx':>6}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        )
        kinds = (
            "add form",
            "deduction",
            "problem",
            "point",
            "items page",
            "review: items",
            "review: overview",
            "review: history",
        )
        for kind in kinds:
            print(_row(kind, [r for r in records if r.kind == kind]))
        print(_row("all (timed)", records))
        print(_row("sign-in (302)", shared.logins))
        print(_row("double submit", burst.records))
        other = _statuses(records + [r for r in shared.logins if r.status != 302])
        if other:
            print(f"  not 2xx: {other}")
        if shared.login_failures:
            print(f"  sign-in failures: {'; '.join(shared.login_failures[:10])}")
        writes = sum(1 for r in records if r.kind in ("deduction", "problem", "point"))
        print(
            f"  throughput {rps:.1f} req/s ({writes / elapsed:.1f} writes/s), latency p50 {p50:.0f} ms,"
            f" p95 {p95:.0f} ms; errors {errors} (5xx and failed requests), 4xx answers {client_errors}"
        )
        n = max(1, len(records))
        pg_text = (
            "n/a (not a local server)"
            if math.isnan(pg_used)
            else f"{pg_used:.1f} s, {pg_used * 1000 / n:.0f} ms"
        )
        print(
            f"  CPU used during the load: gunicorn workers {cpu_used:.1f} s, {cpu_used * 1000 / n:.0f} ms a request;"
            f" PostgreSQL {pg_text} a request; this process {client_cpu:.1f} s; out of"
            f" {elapsed * (os.cpu_count() or 1):.0f} CPU-seconds ({os.cpu_count()} CPUs);"
            f" load average {load_initial:.1f} before the benchmark, {load_before:.1f} when the load started,"
            f" {load_after:.1f} at the end"
        )
        if harness.busy(load_initial):
            print(
                "  other processes were using the machine before the benchmark started: the figures are"
                " inflated; run it on a quiet one"
            )
        per_kind = ", ".join(f"{k} {v['acknowledged']}" for k, v in sorted(verdict.by_kind.items()))
        print(
            f"  writes acknowledged {verdict.acknowledged} ({per_kind});"
            f" found exactly once with their content {verdict.found}; lost {verdict.lost}"
            f" (missing {len(verdict.missing)}, duplicated {len(verdict.duplicated)}, wrong content {len(verdict.wrong)})"
        )
        echoed = sum(1 for a in acks if not a.echoed)
        print(
            f"  acknowledged without their text in the answer: {echoed};"
            f" stored without an audit entry: {verdict.no_audit};"
            f" unacknowledged but stored: {verdict.unacknowledged_stored}"
        )
        for problem in (verdict.missing + verdict.duplicated + verdict.wrong)[:10]:
            print(f"    {problem}")
        for note in notes:
            print(f"  {note}")
        if args.keep:
            print(f"  kept: database {databases.prefix}, gunicorn log {log}")
        both_ok = sum(1 for statuses in burst.answered.values() if all(200 <= s < 300 for s in statuses))
        print(
            f"  double submissions (after the load, every inspector at once): {burst.forms} forms each sent"
            f" twice at the same moment; both answered 2xx {both_ok}; problems stored"
            f" {sum(burst.stored.values())}; duplicates {burst.duplicates}, missing {burst.missing}"
        )
        for failure in burst.failures[:10]:
            print(f"    {failure}")
        for text, n in sorted(burst.stored.items()):
            if n > 1:
                print(f"    duplicated: problem {text} ×{n}")
        passed = (
            errors == 0
            and verdict.lost == 0
            and verdict.acknowledged > 0
            and burst.forms == len(shared.inspectors) > 0
            and burst.duplicates == 0
            and burst.missing == 0
        )
        if verdict.acknowledged == 0:
            print("  no write was acknowledged: nothing was tested")
        verdict_text = "PASS" if passed else "FAIL"
        print(
            f"bench load: {rps:.1f} req/s, p95 {p95:.0f} ms, {errors} errors, {verdict.lost} lost,"
            f" {burst.duplicates} duplicates of {burst.forms} double submissions — {verdict_text}"
        )
        return 0 if passed else 1
    finally:
        if gunicorn is not None:
            stop_process(gunicorn)


def main(argv: list[str] | None = None) -> int:
    parser = harness.argument_parser(__doc__)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load (default 120)")
    parser.add_argument("--inspectors", type=int, default=40, help="simulated inspectors (default 40)")
    parser.add_argument("--reviewers", type=int, default=5, help="simulated reviewers (default 5)")
    parser.add_argument(
        "--think", type=float, default=0.5, help="mean pause of a user between requests, s (default 0.5)"
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
        return load_world.child_main(args)
    if args.inspectors < 1 or args.reviewers < 0 or args.duration <= 0:
        parser.error("need at least one inspector and a positive duration")
    url = os.environ.get("DATABASE_URL", "")
    if not harness.is_postgres(url):
        print(
            "bench load: needs PostgreSQL. Run it as\n"
            "  .venv/bin/python tests/pgcluster.py -- .venv/bin/python bench/load.py\n"
            "or with DATABASE_URL=postgres://… of a role with CREATEDB (a fresh database is created and dropped).",
            file=sys.stderr,
        )
        return 2
    return run(args, url)


if __name__ == "__main__":
    sys.exit(main())
