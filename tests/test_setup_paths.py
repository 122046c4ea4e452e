"""`make run`'s first step: a port already taken is said in Chinese before anything else runs."""

import io
import socket

import pytest
from django.core.management import call_command


def test_a_free_port_passes_silently():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    err = io.StringIO()
    call_command("check_port", str(port), stderr=err)
    assert err.getvalue() == ""


def test_a_taken_port_is_refused_in_chinese_with_the_next_one_suggested():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        err = io.StringIO()
        with pytest.raises(SystemExit) as stopped:
            call_command("check_port", str(port), stderr=err)
    assert stopped.value.code == 1
    assert f"端口 {port} 已被占用" in err.getvalue() and f"make run PORT={port + 1}" in err.getvalue()
    assert "CommandError" not in err.getvalue()


def test_a_nonsense_port_is_refused():
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("check_port", "70000", stderr=err)
    assert "端口号 70000 无效" in err.getvalue()


def test_the_demo_is_served_without_the_debug_page(client, db, settings):
    # make run serves with DEBUG=0 (the product's Chinese error pages); see the Makefile.
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_make_run_checks_the_port_first_and_serves_without_debug():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8001", "DEMO=0"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    steps = [line for line in plan.splitlines() if "manage.py" in line]
    assert "check_port 8001" in steps[0] and "migrate" in steps[1]
    assert all("DEBUG=0" in line for line in steps[1:])
    assert 'if [ "0" = "1" ]' in plan  # DEMO=0: the demo loader is skipped
    assert "runserver 127.0.0.1:8001" in steps[-1]
