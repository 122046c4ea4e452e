"""Real concurrency for tests: several clients, each in a thread with its own database connection.

On SQLite the suite's database lives in memory and has one connection, which hides every lock.
``file_database`` copies it (schema and the rows committed so far) into a file and points new
connections at that file, so the racing threads meet SQLite as a server does: one file, several
connections. On PostgreSQL the threads simply open connections of their own to the test database.
Tests using these helpers need ``transactional_db`` (the threads must see committed rows).
"""

import contextlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from django.db import connection, connections
from django.test import Client


@contextlib.contextmanager
def file_database(tmp_path: Path):
    """On SQLite: new connections (the racing threads') open a file copy of the test database."""
    if connection.vendor != "sqlite":
        yield None
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    settings_dict = connection.settings_dict
    name = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield path
    finally:
        settings_dict["NAME"] = name


def race(requests: list[Callable[[Client], object]], *, users: list) -> list:
    """Run ``requests[i](client)`` at the same moment in as many threads, each with a client signed
    in as ``users[i]`` and a database connection of its own; return what each returned (or raised)."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index: int) -> None:
        try:
            client = Client(raise_request_exception=False)
            client.force_login(users[index])
            barrier.wait(timeout=30)
            results[index] = requests[index](client)
        except Exception as exc:  # reported to the test, which fails on it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def query_file(path: Path | None, sql: str, params=()) -> list:
    """Read the racing threads' result: from the file on SQLite, the test database otherwise."""
    if path is not None:
        with contextlib.closing(sqlite3.connect(path)) as db:
            return db.execute(sql, params).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("?", "%s"), params)
        return cursor.fetchall()
