"""A survivor without JavaScript, as plain HTTPS form posts through nginx: read the form,
fill in answers, press a button, read the next page. It can send from a chosen loopback
address (127.0.0.2, 127.0.0.3, ...), so tests see different clients as nginx does, and it
times every step (the benchmark uses the same client).
"""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bs4 import BeautifulSoup

from tests.production.stack import tls_context

# One complete adult answer set, by form field name: two services, every section.
ADULT_ANSWERS: dict[str, str | list[str]] = {
    "age": "age_35_44",
    "gender": "woman",
    "area": "peterborough",
    "services": ["police", "idva"],
    "listened.police": "sometimes",
    "safer.police": "yes",
    "helpful.police": "The officer who came back the next day took time to explain what would happen.",
    "better.police": "The first call handler did not seem to believe me.",
    "listened.idva": "yes",
    "safer.idva": "yes",
    "helpful.idva": "My IDVA came to court with me and kept me updated every week.",
    "better.idva": "I waited three weeks before anyone called me back.",
    "seek_support": ["anonymity", "counselling", "online_contact"],
    "seek_support_other": "Somewhere to talk to someone in the evening, without an appointment.",
    "preferred_support": ["phone", "online_chat"],
    "anything_else": "Thank you for asking.",
}


class Refused(Exception):
    """The final submit was refused (the rate limit): the answers stay on the review page."""


@dataclass
class Outcome:
    token: str
    acknowledged: bool
    steps: list[tuple[str, float]] = field(default_factory=list)  # (step, seconds)


class PlainSurvivor:
    def __init__(self, port: int, *, source: str = "127.0.0.1", scheme: str = "https",
                 headers: dict | None = None, timeout: float = 60):
        self.port, self.source, self.scheme, self.timeout = port, source, scheme, timeout
        self.headers = dict(headers or {})
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.bytes_received = 0

    # -- HTTP -------------------------------------------------------------------------------
    def _connect(self) -> http.client.HTTPConnection:
        if self.connection is None:
            kwargs = dict(timeout=self.timeout, source_address=(self.source, 0))
            if self.scheme == "https":
                self.connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=tls_context(), **kwargs)
            else:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, **kwargs)
        return self.connection

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        """(status, headers, body text); one retry on a fresh connection if a kept-alive one was closed."""
        all_headers = {**self.headers, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            connection = self._connect()
            try:
                connection.request(method, path, body=body, headers=all_headers)
                response = connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
        self.bytes_received += len(data)
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if "expires=thu, 01 jan 1970" in value.lower() or "max-age=0" in value.lower():
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = val.strip()
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, response, data.decode("utf-8", errors="replace")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    # -- the survey -------------------------------------------------------------------------
    @staticmethod
    def _form(html: str):
        page = BeautifulSoup(html, "html.parser")
        return page, page.find("form", id="survey-form") or page.find("form", attrs={"method": "post"})

    @staticmethod
    def _values(form, answers: dict) -> list[tuple[str, str]]:
        values: list[tuple[str, str]] = []
        seen_answer: set[str] = set()
        for element in form.find_all(["input", "textarea"]):
            name = element.get("name")
            kind = (element.get("type") or "text").lower()
            if not name or kind in ("submit", "button"):
                continue
            if name in answers and (element.name == "textarea" or kind in ("radio", "checkbox", "text")):
                if name in seen_answer:
                    continue
                seen_answer.add(name)
                wanted = answers[name]
                for item in wanted if isinstance(wanted, list) else [wanted]:
                    values.append((name, item))
            elif element.name == "textarea":
                values.append((name, element.get_text()))
            elif kind in ("radio", "checkbox"):
                if element.has_attr("checked"):
                    values.append((name, element.get("value", "on")))
            else:
                values.append((name, element.get("value", "")))
        return values

    def walk_to_review(self, slug: str = "adult", answers: dict | None = None,
                       steps: list | None = None) -> tuple[str, str] | None:
        """Answer every screen up to "Check your answers": (form action, review page HTML),
        or None if the survey ended without a review screen."""
        answers = ADULT_ANSWERS if answers is None else answers
        steps = [] if steps is None else steps

        def timed(step: str, method: str, path: str, body=None):
            started = time.perf_counter()
            result = self.request(method, path, body)
            steps.append((step, time.perf_counter() - started))
            return result

        status, _, html = timed("start page", "GET", f"/s/{slug}")
        assert status == 200, (status, html[:300])
        page, form = self._form(html)
        action = form.get("action")
        body = urlencode(self._values(form, {}) + [("_action", "start")])
        status, _, html = timed("step", "POST", action, body)
        for _ in range(60):
            assert status == 200, (status, html[:500])
            page, form = self._form(html)
            screen = form.find("input", attrs={"name": "_screen"}) if form else None
            if screen is None:
                return None
            state = screen["value"]
            if state == "review":
                return action, html
            action_name = "continue" if state.startswith("warning:") else "next"
            body = urlencode(self._values(form, answers) + [("_action", action_name)])
            status, _, html = timed("step", "POST", action, body)
        raise AssertionError("the survey did not reach its review screen within 60 screens")

    def submit_body(self, html: str) -> tuple[str, str]:
        """(token, form body) for "Send my answers" on a page that holds the answers."""
        page, form = self._form(html)
        token = form.find("input", attrs={"name": "_token"})["value"]
        return token, urlencode(self._values(form, {}) + [("_action", "submit")])

    def complete(self, slug: str = "adult", answers: dict | None = None, *, submit_retries: int = 0) -> Outcome:
        """Walk the whole survey and press "Send my answers". ``acknowledged`` is True when the
        thank-you page came back; a 502/503/504 or dropped connection on the final submit is
        retried (same token, so it stores once) ``submit_retries`` times."""
        steps: list[tuple[str, float]] = []
        reached = self.walk_to_review(slug, answers, steps)
        if reached is None:
            return Outcome("", True, steps)
        action, html = reached
        token, body = self.submit_body(html)
        status = 0
        for attempt in range(submit_retries + 1):
            started = time.perf_counter()
            try:
                status, _, html = self.request("POST", action, body)
            except (OSError, http.client.HTTPException):
                self.close()
                status, html = 0, ""
            steps.append(("send my answers", time.perf_counter() - started))
            if status == 200 or attempt == submit_retries:
                break
            time.sleep(0.5)
        if status != 200:
            return Outcome(token, False, steps)
        page, form = self._form(html)
        if form is not None and form.find("input", attrs={"name": "_screen", "value": "review"}):
            raise Refused(token)
        return Outcome(token, True, steps)
