"""Run a command against a throwaway PostgreSQL cluster.

Usage:

    python tests/pgcluster.py -- <command> [args...]

A fresh cluster is created with ``initdb`` in a temporary directory, started on a free
127.0.0.1 port (durability switched off for speed), and the command is run with
``DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres``. The cluster is stopped and
the directory removed afterwards, whatever happens; the script exits with the command's
exit code.

If ``DATABASE_URL`` already points at PostgreSQL, the command is executed unchanged.
Server binaries come from ``$PG_BIN``, else /usr/lib/postgresql/15/bin, else
``pg_config --bindir``. PostgreSQL refuses to run as root, so when run as root the
server runs as the unprivileged user ``nobody``.
"""

import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

DEFAULT_BIN = "/usr/lib/postgresql/15/bin"
SERVER_USER = "nobody"


def find_bindir() -> Path:
    candidates = [os.environ.get("PG_BIN") or DEFAULT_BIN]
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(out.stdout.strip())
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").is_file() and (Path(candidate) / "pg_ctl").is_file():
            return Path(candidate)
    sys.exit(f"pgcluster: no PostgreSQL server binaries (initdb, pg_ctl) found in {candidates}; set PG_BIN")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_server_user(base: Path) -> dict[str, Any]:
    """Subprocess arguments that run PostgreSQL binaries as an unprivileged user when we are root."""
    kwargs: dict[str, Any] = {"cwd": base}
    if os.geteuid() == 0:
        user = pwd.getpwnam(SERVER_USER)
        os.chown(base, user.pw_uid, user.pw_gid)
        kwargs.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
    return kwargs


def run_pg(args: list[str], run_as: dict[str, Any]) -> tuple[int, str]:
    """Run a PostgreSQL binary to completion and return (exit code, combined output).

    It gets its own session so a Ctrl-C meant for the command cannot kill it half-way, and
    interruptions are deferred until it is done, so the clean-up never races with it.
    """
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True, **run_as
    )
    deferred: BaseException | None = None
    while True:
        try:
            output, _ = proc.communicate()
            break
        except (KeyboardInterrupt, SystemExit) as exc:
            deferred = exc
    if deferred is not None:
        raise deferred
    return proc.returncode, output


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"(no server log: {exc})"


def initdb(bindir: Path, data: Path, run_as: dict[str, Any]) -> bool:
    base = [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8"]
    for locale in ("C.UTF-8", "C"):
        code, output = run_pg([*base, f"--locale={locale}"], run_as)
        if code == 0:
            return True
        shutil.rmtree(data, ignore_errors=True)
    print(f"{output}pgcluster: initdb failed", file=sys.stderr)
    return False


def run_command(command: list[str], env: dict[str, str]) -> int:
    try:
        proc = subprocess.Popen(command, env=env)
    except OSError as exc:
        print(f"pgcluster: cannot run {command[0]!r}: {exc}", file=sys.stderr)
        return 127

    def forward(signum: int, _frame: object) -> None:
        proc.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)
    while True:
        try:
            code = proc.wait()
            break
        except KeyboardInterrupt:
            # The child got the terminal's SIGINT too: let it finish its own clean-up.
            continue
    return 128 - code if code < 0 else code


def main(argv: list[str]) -> int:
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.execvp(argv[0], argv)

    bindir = find_bindir()
    # Until the command runs, SIGTERM/SIGHUP unwind through the finally block below like Ctrl-C;
    # afterwards they are forwarded to the command (see run_command).
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda num, _frame: sys.exit(128 + num))
    base = Path(tempfile.mkdtemp(prefix="pgcluster-"))
    data, log = base / "data", base / "log"
    pg_ctl = str(bindir / "pg_ctl")
    started = False
    try:
        run_as = as_server_user(base)
        if not initdb(bindir, data, run_as):
            return 1
        port = free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {shlex.quote(str(base))}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        start = [pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]
        started = True  # from here on, always try to stop: pg_ctl may leave a postmaster behind
        code, output = run_pg(start, run_as)
        if code != 0:
            sys.stderr.write(output)
            print(f"pgcluster: server failed to start; last lines of {log}:\n{tail(log)}", file=sys.stderr)
            return 1
        url = f"postgres://postgres@127.0.0.1:{port}/postgres"
        user = SERVER_USER if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        print(f"pgcluster: started PostgreSQL ({bindir}) as {user} in {data} at {url}", file=sys.stderr)
        return run_command(argv, {**os.environ, "DATABASE_URL": url})
    except KeyboardInterrupt:
        print("pgcluster: interrupted", file=sys.stderr)
        return 130
    finally:
        if started:
            run_pg([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], run_as)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
