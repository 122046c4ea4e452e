"""bench/load.py's HTTP side: a signed-in person as a browser behind the TLS proxy sends its
requests (cookies, CSRF, htmx), and what the simulated users share and record."""

from __future__ import annotations

import http.client
import re
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from load_world import PASSWORD

REQUEST_TIMEOUT = 60.0

# -- HTTP, as a browser behind the TLS proxy would send it ----------------------------------------


@dataclass
class Answer:
    status: int  # 0: the request failed (refused, reset, timed out)
    body: bytes
    seconds: float
    error: str = ""


class Browser:
    """One signed-in person: a cookie dict (the cookies are Secure, so no http cookie jar sends them)."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict | None = None, *, htmx: bool = False) -> Answer:
        headers = {
            "X-Forwarded-Proto": "https",  # as the TLS-terminating proxy sets it (SECURE_PROXY_SSL_HEADER)
            "Accept": "text/html",
            "Accept-Language": "zh-hans",
            "User-Agent": "bench-load",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            body = urlencode(fields or {}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if htmx:
            headers["HX-Request"] = "true"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            return Answer(0, b"", time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for header in response.msg.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Answer(response.status, data, seconds)


# -- the simulated users --------------------------------------------------------------------------


@dataclass
class Record:
    kind: str
    status: int
    seconds: float
    finished: float  # time.perf_counter() when the answer was in
    error: str = ""


@dataclass
class Ack:
    """A write answered with a 2xx: what was sent, to be found in the database afterwards."""

    kind: str  # deduction, problem, point
    text: str  # the unique text it carried (reason, problem text, point headline)
    expect: dict
    echoed: bool  # the re-rendered section in the answer shows the text


@dataclass
class Shared:
    port: int
    think: float
    go: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    logins: list = field(default_factory=list)  # Record of each sign-in
    login_failures: list = field(default_factory=list)
    signed_in: int = 0
    records: list = field(default_factory=list)
    acks: list = field(default_factory=list)
    attempted: list = field(default_factory=list)  # (kind, text) of every write sent
    inspectors: list = field(default_factory=list)  # (browser, user, target) of each signed-in inspector


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(rb'name="form_token" value="([^"]+)"')


def sign_in(shared: Shared, browser: Browser, username: str) -> bool:
    for attempt in range(3):  # only failed connections are retried: a wrong password never is
        form = browser.request("GET", "/accounts/login/")
        match = CSRF_FIELD.search(form.body) if form.status == 200 else None
        if match is None:
            shared.login_failures.append(f"{username}: login form {form.status} {form.error}")
            if form.status == 0 and attempt < 2:
                time.sleep(1 + attempt)
                continue
            return False
        answer = browser.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": match.group(1).decode(), "username": username, "password": PASSWORD},
        )
        shared.logins.append(
            Record("login", answer.status, answer.seconds, time.perf_counter(), answer.error)
        )
        if answer.status == 302 and "sessionid" in browser.cookies:
            return True
        shared.login_failures.append(f"{username}: sign-in answered {answer.status} {answer.error}")
        if answer.status != 0 or attempt == 2:
            return False
        time.sleep(1 + attempt)
    return False
