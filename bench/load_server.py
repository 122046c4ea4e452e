"""gunicorn for bench/load.py: the production environment, a free port, waiting for it to answer,
stopping it, and the CPU time its workers and a local PostgreSQL server use (from Linux /proc)."""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str, args: argparse.Namespace) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-load-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONHASHSEED": "0",
    }
    env.pop("DEBUG", None)
    if args.conn_max_age is not None:
        env["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)
    return env


def wait_ready(proc: subprocess.Popen, answers: Callable[[], bool], seconds: float = 60) -> None:
    """Wait until ``answers()`` (a request to the server: did it get a 200?) is true."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {proc.returncode}")
        if answers():
            return
        time.sleep(0.25)
    raise RuntimeError("gunicorn did not answer within a minute")


def _stat(pid: int | str) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (so fields[0] is the state)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _children(pid: int | str) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def workers_cpu(master: int) -> float:
    """CPU seconds (user + system) used so far by the gunicorn master's worker processes (Linux /proc)."""
    total = 0
    for pid in _children(master):
        fields = _stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def postmaster_pid(port: int) -> int | None:
    """The local PostgreSQL server listening on ``port`` (as tests/pgcluster.py starts it), if any."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"-p" in argv and str(port).encode() in argv:
            return int(entry.name)
    return None


def postgres_cpu(postmaster: int | None) -> float:
    """CPU seconds used so far by a PostgreSQL server: its live processes, and the backends that
    have exited (counted in the postmaster's cutime/cstime once it reaped them)."""
    if postmaster is None:
        return float("nan")
    fields = _stat(postmaster)
    if fields is None:
        return float("nan")
    total = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    for pid in _children(postmaster):
        child = _stat(pid)
        if child:
            total += int(child[11]) + int(child[12])
    return total / os.sysconf("SC_CLK_TCK")


def stop_process(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def collect_static(env: dict, project_root: Path) -> str | None:
    """``collectstatic`` for the production settings (their manifest storage needs it); the error text
    when it fails, None when it worked."""

    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=project_root,
        env=env,
        capture_output=True,
        text=True,
    )
    return None if collect.returncode == 0 else f"{collect.stdout}\n{collect.stderr}"


def start_gunicorn(env: dict, project_root: Path, workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    """``gunicorn config.wsgi`` with ``workers`` sync workers on a free 127.0.0.1 port, its output in
    ``log``: the process and the port (not waited for: see ``wait_ready``)."""

    port = free_port()
    gunicorn_bin = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn_bin), "config.wsgi", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--error-logfile", str(log)]
    with open(log, "ab") as log_file:
        proc = subprocess.Popen(command, cwd=project_root, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    return proc, port
