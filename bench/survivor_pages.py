"""Survivor pages: how heavy they are, and how many the app serves per second under gunicorn.

Run from the project root::

    .venv/bin/python -m bench.survivor_pages [--database sqlite|postgresql] [--duration S] [--rounds R]

Part (a), page weight (in-process, Flask test client, TestConfig on a temporary SQLite file
migrated with ``flask_migrate.upgrade()``): the landing page, "Staying safe online", each
survey's before-you-start page and every screen of one complete walk through each survey
(adult with two services, young_person with two supporters, seeking_support), filled in with
realistic answers. For each: the full page as served without JavaScript and the htmx
fragment (the same request with ``HX-Request: true``, which returns only ``#survey-screen``),
raw and gzipped (``gzip`` module, level 6). Also every static asset the pages reference.
Budgets: the first page with all its assets <= 40 KB gzipped (the landing page plus every
asset it references, counted one gzip per response); each later step's swap (htmx
fragment) <= 5 KB gzipped. KB = 1,024 bytes; HTTP headers are not counted.

Part (b), throughput: the app under gunicorn (``gunicorn.conf.py``, ``--workers 2``, bound to
127.0.0.1 on a free port) and a bare Flask "hello" app under the same settings, measured in
the same run with ``wrk`` on loopback (same threads, connections and duration for every
target; targets alternate round by round, the first one rotating; each is warmed up first):

1. ``GET /`` (the landing page);
2. a complete submission: the final POST of the check-answers screen of seeking_support
   (``_action=submit``) with a filled answer set, a valid CSRF token and the session cookie
   (got from the running server by walking the survey with urllib), and a different random
   32-character ``_token`` per request (built by the wrk Lua script), so every request stores
   a new response. Rate limiting is off. Stored rows are counted afterwards;
3. the reference, ``GET /`` of the hello app.

Targets: landing >= 0.5 x hello, submission >= 0.25 x hello (requests per second, medians
of the rounds). Non-2xx responses and socket errors reported by wrk are printed, and so is
the CPU time each server (and wrk, and PostgreSQL's backends) used per request, read from
/proc, which says whether a target is limited by work done or by waiting. The database is a
temporary SQLite file, or with ``--database postgresql`` a throwaway PostgreSQL database (see
``bench.common.throwaway_database``). Every server process is stopped at the end, also on
error or SIGTERM. Nothing is asserted: the script prints tables and verdict lines. With the
defaults (5 rounds of 6 s, 3 s warm-up) a run takes about two minutes.

For experiments only: ``--htmx`` sends the submission as htmx does (fragment reply),
``--set NAME=JSON`` passes an extra setting to the gunicorn'd app (``LOG_LEVEL``,
``SQLALCHEMY_ENGINE_OPTIONS``, ...), ``--sqlite-wal`` puts the SQLite file in WAL mode; the
report then says EXPERIMENT.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

from bench.common import (
    dispose_engines,
    fmt_rate,
    heading,
    make_app,
    median,
    migrate_schema,
    print_table,
    print_versions,
    skipped,
    throwaway_database,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = PROJECT_ROOT / "gunicorn.conf.py"
WRK = shutil.which("wrk") or "/usr/bin/wrk"

KB = 1024
FIRST_PAGE_BUDGET = 40 * KB  # landing page + every asset it references, gzipped
SWAP_BUDGET = 5 * KB  # each later step's htmx fragment, gzipped
GZIP_LEVEL = 6
TARGET_LANDING = 0.5  # landing req/s >= 0.5 x hello req/s
TARGET_SUBMISSION = 0.25  # submission req/s >= 0.25 x hello req/s
SURVEYS = ("adult", "young_person", "seeking_support")
SUBMISSION_SURVEY = "seeking_support"


# -- realistic answers ------------------------------------------------------------------------
def walk_answers() -> dict[str, dict[str, str | list[str]]]:
    """One complete answer set per survey, by form field name (English free text)."""
    from bench.store import TEXT

    text = TEXT["en"]
    return {
        "adult": {
            "age": "age_35_44",
            "gender": "woman",
            "area": "peterborough",
            "services": ["police", "idva"],
            "listened.police": "sometimes",
            "safer.police": "yes",
            "helpful.police": text["helpful"][0],
            "better.police": text["better"][0],
            "listened.idva": "yes",
            "safer.idva": "yes",
            "helpful.idva": text["helpful"][1],
            "better.idva": text["better"][2],
            "seek_support": ["anonymity", "counselling", "online_contact"],
            "seek_support_other": "Somewhere to talk to someone in the evening, without an appointment.",
            "preferred_support": ["phone", "online_chat"],
            "anything_else": text["anything_else"][0],
        },
        "young_person": {
            "age": "age_16_17",
            "gender": "girl",
            "supporters": ["school", "yp_idva"],
            "listened.school": "sometimes",
            "helped.school": "My form tutor let me sit in the library at lunch and checked on me every day.",
            "better.school": "Not everyone at school knew what was going on, so I had to explain it again and again.",
            "listened.yp_idva": "yes",
            "helped.yp_idva": "She explained everything and came with me to the meetings. I could text her.",
            "better.yp_idva": "I had to wait a long time before I got a worker.",
            "anything_else": "Thank you for asking young people. Please tell schools more about this.",
        },
        "seeking_support": {
            "gender": "woman",
            "area": "fenland",
            "seek_support": ["anonymity", "own_language", "online_contact"],
            "seek_support_other": (
                "Being able to message someone at night, when the house is quiet, without having to "
                "give my name first. And knowing that nothing is passed on unless I say so."
            ),
            "preferred_support": ["online_chat", "text_message"],
        },
    }


# -- reading pages ----------------------------------------------------------------------------
@dataclass
class Form:
    action: str
    form_id: str | None
    fields: list[tuple[str, str]] = field(default_factory=list)  # what a browser would send
    questions: list[str] = field(default_factory=list)  # names of visible answer fields
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        return next((v for n, v in self.fields if n == name), None)


class PageParser(HTMLParser):
    """Forms (their successful controls, question fields and buttons) and referenced assets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.assets: list[str] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form":
            self._form = Form(action=attrs.get("action", ""), form_id=attrs.get("id"))
            self.forms.append(self._form)
        elif tag == "link" and attrs.get("href") and set(attrs.get("rel", "").split()) & {
            "stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon",
        }:
            self.assets.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src"):
            self.assets.append(attrs["src"])
        elif self._form is not None and tag == "input":
            name, kind = attrs.get("name"), attrs.get("type", "text").lower()
            if not name or kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("radio", "checkbox"):
                if name not in self._form.questions:
                    self._form.questions.append(name)
                if "checked" in attrs:
                    self._form.fields.append((name, attrs.get("value", "on")))
            else:
                self._form.fields.append((name, attrs.get("value", "")))
        elif self._form is not None and tag == "textarea" and attrs.get("name"):
            self._textarea = (attrs["name"], [])
        elif self._form is not None and tag == "button" and attrs.get("name"):
            self._form.buttons.append((attrs["name"], attrs.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            self._form.fields.append((name, "".join(parts)))
            self._form.questions.append(name)
            self._textarea = None
        elif tag == "form":
            self._form = None


def parse_page(body: bytes) -> PageParser:
    parser = PageParser()
    parser.feed(body.decode("utf-8"))
    parser.close()
    return parser


def survey_form(page: PageParser) -> Form | None:
    """The survey's form: ``#survey-form``, or the before-you-start page's POST form."""
    return next((f for f in page.forms if f.form_id == "survey-form"), None) or next(
        (f for f in page.forms if "/s/" in f.action), None
    )


# -- walking a survey -------------------------------------------------------------------------
@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def header_bytes(self) -> int:
        return len("HTTP/1.1 200 OK\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in self.headers) + 2


class Transport:
    """GET and POST (form-encoded) a path; ``htmx`` adds ``HX-Request: true``."""

    def get(self, path: str, htmx: bool = False) -> Reply:
        raise NotImplementedError

    def post(self, path: str, pairs: Sequence[tuple[str, str]], htmx: bool = False) -> Reply:
        raise NotImplementedError


class TestClientTransport(Transport):
    def __init__(self, client) -> None:
        self.client = client

    @staticmethod
    def _reply(response) -> Reply:
        try:
            return Reply(response.status_code, list(response.headers.items()), response.get_data())
        finally:
            response.close()

    def get(self, path: str, htmx: bool = False) -> Reply:
        return self._reply(self.client.get(path, headers={"HX-Request": "true"} if htmx else {}))

    def post(self, path: str, pairs: Sequence[tuple[str, str]], htmx: bool = False) -> Reply:
        from werkzeug.datastructures import MultiDict

        headers = {"HX-Request": "true"} if htmx else {}
        return self._reply(self.client.post(path, data=MultiDict(list(pairs)), headers=headers))


class UrllibTransport(Transport):
    """A plain HTTP client with a cookie jar (standard library only)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _open(self, request: urllib.request.Request) -> Reply:
        try:
            with self.opener.open(request, timeout=30) as response:
                return Reply(response.status, list(response.headers.items()), response.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return Reply(exc.code, list(exc.headers.items()), exc.read())

    def get(self, path: str, htmx: bool = False) -> Reply:
        headers = {"HX-Request": "true"} if htmx else {}
        return self._open(urllib.request.Request(self.base_url + path, headers=headers))

    def post(self, path: str, pairs: Sequence[tuple[str, str]], htmx: bool = False) -> Reply:
        headers = {"HX-Request": "true"} if htmx else {}
        data = urllib.parse.urlencode(list(pairs)).encode("ascii")
        return self._open(urllib.request.Request(self.base_url + path, data=data, headers=headers, method="POST"))

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)


@dataclass
class Visit:
    label: str  # "step:about_you", "warning:service.police", "review", "done"
    reply: Reply
    posted: list[tuple[str, str]]  # the form that produced this screen


def fill(form: Form, answers: dict, action: str) -> list[tuple[str, str]]:
    """The form as a browser would send it after filling in this screen's questions."""
    shown = [name for name in form.questions if name in answers]
    pairs = [(n, v) for n, v in form.fields if n not in shown and n != "_action"]
    for name in shown:
        value = answers[name]
        pairs.extend((name, item) for item in (value if isinstance(value, list) else [value]))
    if ("_action", action) not in form.buttons:
        raise RuntimeError(f"no button _action={action!r} on this screen: {form.buttons}")
    pairs.append(("_action", action))
    return pairs


def walk(transport: Transport, slug: str, answers: dict, htmx: bool, stop_before_submit: bool = False) -> list[Visit]:
    """Start the survey on its before-you-start page and go through every screen to the end.

    Steps are filled in from ``answers`` and continued; content warnings are continued
    (not skipped); the check-answers screen is sent. With ``stop_before_submit`` the walk
    ends on the check-answers screen (the last visit holds the form to send).
    """
    start = transport.get(f"/s/{slug}")
    if start.status != 200:
        raise RuntimeError(f"GET /s/{slug} answered {start.status}")
    form = survey_form(parse_page(start.body))
    pairs = fill(form, {}, "start")
    visits: list[Visit] = []
    for _ in range(60):
        reply = transport.post(form.action, pairs, htmx=htmx)
        if reply.status != 200:
            raise RuntimeError(f"POST {form.action} ({dict(pairs).get('_action')}) answered {reply.status}")
        if htmx and b"<html" in reply.body[:200].lower():
            raise RuntimeError("an htmx request got a full page back")
        form = survey_form(parse_page(reply.body))
        label = form.value("_screen") if form is not None else "done"
        visits.append(Visit(label, reply, pairs))
        if form is None:
            if b"Thank you" not in reply.body:
                raise RuntimeError(f"{slug}: the walk ended on a page that is not the thank-you page")
            return visits
        kind = label.partition(":")[0]
        if kind == "review" and stop_before_submit:
            return visits
        action = {"step": "next", "warning": "continue", "review": "submit"}[kind]
        pairs = fill(form, answers if kind == "step" else {}, action)
    raise RuntimeError(f"{slug}: the walk did not end")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL))


def kb(n: int) -> str:
    return f"{n / KB:,.1f} KB"


def nbytes(n: int | None) -> str:
    return "-" if n is None else f"{n:,}"


# -- part (a): page weight --------------------------------------------------------------------
@dataclass
class PageRow:
    survey: str
    page: str
    full_raw: int
    full_gz: int
    frag_raw: int | None = None
    frag_gz: int | None = None
    is_swap: bool = False  # a later step's swap: counts against the swap budget


@dataclass
class WeightResult:
    pages: list[PageRow]
    assets: list[tuple[str, int, int, list[str]]]  # url, raw, gz, referenced by
    landing_items: list[tuple[str, int, int]]  # name, raw, gz (landing page + its assets)
    entry_totals: list[tuple[str, int]]  # every page one can arrive on: page + its assets, gz
    header_bytes: tuple[int, int]  # a page's headers, a static asset's headers
    stored: int


def measure_weight(progress: Callable[[str], None]) -> WeightResult:
    from sqlalchemy import func, select

    from feedback_app.extensions import db
    from feedback_app.models import Response

    answers = walk_answers()
    with throwaway_database("sqlite", prefix="feedback_bench_pages") as database:
        app = make_app(database.url)
        with app.app_context():
            try:
                migrate_schema()
                client = TestClientTransport(app.test_client())
                pages: list[PageRow] = []
                referenced: dict[str, list[str]] = {}
                page_assets: dict[str, list[str]] = {}

                def whole_page(survey: str, name: str, path: str) -> None:
                    reply = client.get(path)
                    if reply.status != 200:
                        raise RuntimeError(f"GET {path} answered {reply.status}")
                    pages.append(PageRow(survey, name, len(reply.body), gz(reply.body)))
                    assets = list(dict.fromkeys(parse_page(reply.body).assets))
                    page_assets[path] = assets
                    for url in assets:
                        referenced.setdefault(url, []).append(path)

                whole_page("-", "landing /", "/")
                whole_page("-", "/staying-safe-online", "/staying-safe-online")
                for slug in SURVEYS:
                    progress(f"  page weight: walking {slug} (without and with htmx) ...")
                    whole_page(slug, f"before you start /s/{slug}", f"/s/{slug}")
                    full = walk(client, slug, answers[slug], htmx=False)
                    frag = walk(client, slug, answers[slug], htmx=True)
                    if [v.label for v in full] != [v.label for v in frag]:
                        raise RuntimeError(
                            f"{slug}: the walks differ: {[v.label for v in full]} vs {[v.label for v in frag]}"
                        )
                    for number, (f, h) in enumerate(zip(full, frag), start=1):
                        pages.append(
                            PageRow(
                                slug,
                                f"{number:2d}. {f.label}",
                                len(f.reply.body),
                                gz(f.reply.body),
                                len(h.reply.body),
                                gz(h.reply.body),
                                is_swap=True,
                            )
                        )

                # Static assets, including anything a stylesheet pulls in with url(...).
                assets: list[tuple[str, int, int, list[str]]] = []
                sizes: dict[str, tuple[int, int]] = {}
                asset_header_bytes = 0
                queue = list(referenced)
                while queue:
                    url = queue.pop(0)
                    if url in sizes:
                        continue
                    reply = client.get(urllib.parse.urlsplit(url).path)
                    if reply.status != 200:
                        raise RuntimeError(f"GET {url} answered {reply.status}")
                    asset_header_bytes = max(asset_header_bytes, reply.header_bytes)
                    sizes[url] = (len(reply.body), gz(reply.body))
                    assets.append((url, len(reply.body), gz(reply.body), referenced.get(url, [])))
                    if url.endswith(".css"):
                        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", reply.body.decode("utf-8")):
                            if not ref.startswith(("data:", "http:", "https:", "//", "#")):
                                nested = urllib.parse.urljoin(url, ref)
                                referenced.setdefault(nested, []).append(url)
                                page_assets.setdefault(url, []).append(nested)
                                queue.append(nested)

                def with_assets(path: str) -> list[str]:
                    out: list[str] = []
                    todo = list(page_assets.get(path, []))
                    while todo:
                        url = todo.pop(0)
                        if url not in out:
                            out.append(url)
                            todo.extend(page_assets.get(url, []))
                    return out

                landing = next(p for p in pages if p.page == "landing /")
                landing_items = [("landing page /", landing.full_raw, landing.full_gz)] + [
                    (url, *sizes[url]) for url in with_assets("/")
                ]
                entry_totals = []
                for row, path in [(pages[0], "/"), (pages[1], "/staying-safe-online")] + [
                    (next(p for p in pages if p.page == f"before you start /s/{s}"), f"/s/{s}") for s in SURVEYS
                ]:
                    entry_totals.append((path, row.full_gz + sum(sizes[u][1] for u in with_assets(path))))
                page_header_bytes = client.get("/").header_bytes
                stored = db.session.scalar(select(func.count()).select_from(Response))
                return WeightResult(
                    pages, assets, landing_items, entry_totals, (page_header_bytes, asset_header_bytes), stored
                )
            finally:
                dispose_engines()


def report_weight(result: WeightResult) -> None:
    heading("(a) Page weight")
    rows = []
    for p in result.pages:
        budget = ""
        if p.is_swap:
            budget = "ok" if p.frag_gz <= SWAP_BUDGET else "OVER"
        rows.append(
            [p.survey, p.page, nbytes(p.full_raw), nbytes(p.full_gz), nbytes(p.frag_raw), nbytes(p.frag_gz), budget]
        )
    print_table(
        f"Survivor pages, bytes (full page = as served without JavaScript; fragment = the htmx swap, "
        f"HX-Request: true; gzip level {GZIP_LEVEL}; swap budget <= {SWAP_BUDGET:,} bytes gzipped)",
        ["survey", "page / screen (numbered in walk order)", "full raw", "full gzip", "fragment raw",
         "fragment gzip", "swap <= 5 KB"],
        rows,
        align="llrrrrl",
    )
    print("Screens 1.. are the replies to each POST of the walk: 1 = after Start, the last one = after")
    print("\"Send my answers\". Landing, staying-safe and before-you-start pages are whole-page navigations")
    print("(no hx-* on the links that lead to them), so they have no fragment.")
    print()
    whole_pages = sum(1 for p in result.pages if not p.is_swap)
    print_table(
        "Static assets referenced by the pages",
        ["asset", "raw", "gzip", "referenced by"],
        [
            [url, nbytes(raw), nbytes(gzipped),
             ", ".join(refs) if any(r.startswith("/static/") for r in refs) else f"{len(refs)} of {whole_pages} whole pages"]
            for url, raw, gzipped, refs in result.assets
        ],
        align="lrrl",
    )
    total_raw = sum(raw for _, raw, _ in result.landing_items)
    total_gz = sum(g for _, _, g in result.landing_items)
    print_table(
        "First page: the landing page and every asset it references (one gzip per response)",
        ["item", "raw", "gzip", "share of gzip"],
        [[name, nbytes(raw), nbytes(g), f"{g / total_gz:.0%}"] for name, raw, g in result.landing_items]
        + [["total", nbytes(total_raw), nbytes(total_gz), "100%"]],
        align="lrrr",
    )
    print_table(
        "Every page one can arrive on first, with its assets (gzip)",
        ["first page", "page + assets gzip", "budget"],
        [[path, f"{total:,} ({kb(total)})", f"<= {kb(FIRST_PAGE_BUDGET)}"] for path, total in result.entry_totals],
        align="lrr",
    )
    page_headers, asset_headers = result.header_bytes
    print(
        f"Not counted: HTTP response headers, about {page_headers:,} bytes per page (mostly the CSP) and "
        f"{asset_headers:,} per static asset, uncompressed (HTTP/2 compresses them)."
    )
    print(f"The walks stored {result.stored} responses in the temporary SQLite database (one per walk).")
    print()

    largest = max(result.landing_items, key=lambda item: item[2])
    met = total_gz <= FIRST_PAGE_BUDGET
    print(
        f"VERDICT first page (landing + its {len(result.landing_items) - 1} assets): {total_gz:,} bytes = "
        f"{kb(total_gz)} gzipped vs budget <= {kb(FIRST_PAGE_BUDGET)} -> {'met' if met else 'NOT met'} "
        f"(largest: {largest[0]}, {kb(largest[2])} = {largest[2] / total_gz:.0%})"
    )
    worst_entry = max(result.entry_totals, key=lambda item: item[1])
    print(
        f"        (any first page: heaviest is {worst_entry[0]} at {kb(worst_entry[1])} -> "
        f"{'within' if worst_entry[1] <= FIRST_PAGE_BUDGET else 'OVER'} the same budget)"
    )
    swaps = [p for p in result.pages if p.is_swap]
    worst = max(swaps, key=lambda p: p.frag_gz)
    over = [p for p in swaps if p.frag_gz > SWAP_BUDGET]
    line = (
        f"VERDICT step swaps ({len(swaps)} htmx fragments over 3 walks): largest {worst.frag_gz:,} bytes = "
        f"{kb(worst.frag_gz)} gzipped ({worst.survey} {worst.page.strip()}) vs budget <= {kb(SWAP_BUDGET)} "
        f"-> {'met' if not over else 'NOT met'}"
    )
    if over:
        line += f"; {len(over)} over: " + ", ".join(f"{p.survey} {p.page.strip()} ({kb(p.frag_gz)})" for p in over)
    print(line)


# -- part (b): servers and wrk ----------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    log_path: Path

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []


def stop_server(server: Server) -> None:
    """Stop one gunicorn master we started (it stops its workers); kill it if it will not go."""
    process = server.process
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@contextlib.contextmanager
def gunicorn(name: str, module: str, env: dict[str, str], workdir: Path, workers: int) -> Iterator[Server]:
    """A gunicorn master with the project's config on a free loopback port; stopped on exit."""
    port = free_port()
    log_path = workdir / f"gunicorn-{name}.log"
    command = [
        sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF),
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), module,
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(name, f"http://127.0.0.1:{port}", process, log_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(server.url + "/", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn ({name}) did not start:\n{server.log_text()[-3000:]}")
                time.sleep(0.2)
        yield server
    finally:
        stop_server(server)


@dataclass
class WrkRun:
    target: str
    requests: int
    seconds: float
    statuses: dict[int, int]
    matched: int  # responses whose body had the target's marker text
    errors: dict[str, int]  # socket errors (connect, read, write, timeout) and wrk's status errors
    p50_ms: float
    p99_ms: float
    server_cpu: float = 0.0  # CPU seconds used by the server's master and workers during the run
    database_cpu: float | None = None  # CPU seconds of the PostgreSQL backends (None: not measured)
    wrk_cpu: float = 0.0  # CPU seconds used by wrk itself

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    @property
    def non_2xx(self) -> dict[int, int]:
        return {s: n for s, n in sorted(self.statuses.items()) if not 200 <= s < 300}


LUA_TEMPLATE = r"""-- generated by bench/survivor_pages.py for one target; counts statuses and marker hits.
local marker = {marker}
local body_prefix = {body_prefix}
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

wrk.method = "{method}"
{headers}

local threads = {{}}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

function init(args)
  -- A seed per wrk run (passed after "--"), so that no two runs send the same tokens.
  math.randomseed(tonumber(args[1]) + thread_id * 1000003)
  for i = 1, 16 do math.random() end
  statuses = {{}}
  matched = 0
end

if body_prefix then
  -- A fresh random 32-character submission token for every request.
  function request()
    local parts = {{}}
    for i = 1, 32 do
      local n = math.random(64)
      parts[i] = string.sub(alphabet, n, n)
    end
    return wrk.format(nil, nil, nil, body_prefix .. table.concat(parts))
  end
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if marker and body and string.find(body, marker, 1, true) then
    matched = matched + 1
  end
end

function done(summary, latency, requests)
  local all = {{}}
  local hits = 0
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for key, n in pairs(counts) do all[key] = (all[key] or 0) + n end
    hits = hits + thread:get("matched")
  end
  local parts = {{}}
  for key, n in pairs(all) do table.insert(parts, key .. ":" .. string.format("%.0f", n)) end
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%.0f duration_us=%.0f connect=%.0f read=%.0f write=%.0f status=%.0f timeout=%.0f " ..
    "matched=%.0f p50_us=%.0f p99_us=%.0f statuses=%s\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    hits, latency:percentile(50), latency:percentile(99), table.concat(parts, ",")))
end
"""


def lua_string(value: str | None) -> str:
    if value is None:
        return "nil"
    level = "=" * 4
    while f"]{level}]" in value:
        level += "="
    return f"[{level}[{value}]{level}]"


def write_lua(path: Path, *, method: str, marker: str, headers: dict[str, str] | None = None,
              body_prefix: str | None = None) -> Path:
    header_lines = "\n".join(f"wrk.headers[ {lua_string(k)} ] = {lua_string(v)}" for k, v in (headers or {}).items())
    path.write_text(
        LUA_TEMPLATE.format(
            marker=lua_string(marker),
            body_prefix=lua_string(body_prefix),
            method=method,
            headers=header_lines,
        ),
        encoding="utf-8",
    )
    return path


@dataclass
class Target:
    name: str
    url: str
    script: Path
    server: Server | None = None  # whose CPU time to account to this target
    database_pids: Callable[[], list[int]] | None = None  # PostgreSQL backends serving it


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of one process, from /proc (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(server: Server | None) -> float:
    if server is None:
        return 0.0
    return sum(process_cpu_seconds(pid) for pid in [server.process.pid, *server.worker_pids()])


def run_wrk(target: Target, seconds: int, threads: int, connections: int) -> WrkRun:
    command = [
        WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
        "-s", str(target.script), target.url, "--", str(secrets.randbelow(2**31)),
    ]
    server_before = server_cpu_seconds(target.server)
    database_before = _database_cpu(target)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = server_cpu_seconds(target.server) - server_before
    database_after = _database_cpu(target)
    database_cpu = None
    if database_before is not None and database_after is not None:
        # Only backends present at both ends (the workers' pooled connections) are compared.
        database_cpu = sum(database_after[pid] - database_before[pid] for pid in database_after if pid in database_before)
    wrk_cpu = (children_after.ru_utime + children_after.ru_stime) - (children_before.ru_utime + children_before.ru_stime)
    line = next((l for l in done.stdout.splitlines() if l.startswith("BENCH_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}) for {target.name}:\n{done.stdout}\n{done.stderr}")
    values = dict(item.split("=", 1) for item in line.split()[1:])
    statuses: dict[int, int] = {}
    for item in filter(None, values["statuses"].split(",")):
        status, n = item.split(":")
        statuses[int(status)] = int(n)
    return WrkRun(
        target=target.name,
        requests=int(values["requests"]),
        seconds=int(values["duration_us"]) / 1e6,
        statuses=statuses,
        matched=int(values["matched"]),
        errors={k: int(values[k]) for k in ("connect", "read", "write", "timeout", "status")},
        p50_ms=int(values["p50_us"]) / 1000,
        p99_ms=int(values["p99_us"]) / 1000,
        server_cpu=server_cpu,
        wrk_cpu=wrk_cpu,
        database_cpu=database_cpu,
    )


def _database_cpu(target: Target) -> dict[int, float] | None:
    if target.database_pids is None:
        return None
    return {pid: process_cpu_seconds(pid) for pid in target.database_pids()}


def postgres_backends(server_url: str, name: str) -> Callable[[], list[int]]:
    """A function listing the PostgreSQL backend processes connected to database ``name``."""
    import psycopg

    def pids() -> list[int]:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=3) as conn:
            rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,)).fetchall()
        return [int(row[0]) for row in rows]

    return pids


def count_rows(database_url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM responses")).scalar_one())
    finally:
        engine.dispose()


@dataclass
class Submission:
    body_prefix: str  # form-encoded, ending in "_token="
    cookie: str  # "s=..."
    csrf_token: str
    answers: list[tuple[str, str]]
    body_bytes: int


def prepare_submission(base_url: str, htmx: bool) -> Submission:
    """Walk seeking_support on the running server up to "Check your answers" with a plain
    HTTP client; the form on that screen, with _action=submit, is what wrk will send."""
    client = UrllibTransport(base_url)
    first = client.get(f"/s/{SUBMISSION_SURVEY}")
    set_cookie = [v for k, v in first.headers if k.lower() == "set-cookie"]
    session = client.cookie("s")
    if first.status != 200 or session is None:
        raise RuntimeError(f"GET /s/{SUBMISSION_SURVEY}: status {first.status}, Set-Cookie {set_cookie}")
    csrf = survey_form(parse_page(first.body)).value("csrf_token")
    visits = walk(client, SUBMISSION_SURVEY, walk_answers()[SUBMISSION_SURVEY], htmx=htmx, stop_before_submit=True)
    review = survey_form(parse_page(visits[-1].reply.body))
    if review is None or review.value("_screen") != "review":
        raise RuntimeError("the walk did not reach the check-answers screen")
    if review.value("csrf_token") != csrf:
        raise RuntimeError("the CSRF token changed during the walk")
    pairs = [(n, v) for n, v in fill(review, {}, "submit") if n != "_token"]
    answers = [(n, v) for n, v in pairs if not n.startswith("_") and n != "csrf_token"]
    prefix = urllib.parse.urlencode(pairs) + "&_token="
    return Submission(prefix, f"s={session}", csrf, answers, len(prefix) + 32)


def check_one_submission(base_url: str, submission: Submission, database_url: str, htmx: bool) -> None:
    """One request exactly as wrk will send it (new random token): it must thank and store."""
    before = count_rows(database_url)
    token = "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") for _ in range(32))
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": submission.cookie}
    if htmx:
        headers["HX-Request"] = "true"
    request = urllib.request.Request(
        f"{base_url}/s/{SUBMISSION_SURVEY}", data=(submission.body_prefix + token).encode("ascii"),
        headers=headers, method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        status = response.status
    after = count_rows(database_url)
    if status != 200 or b"Thank you" not in body or after != before + 1:
        raise RuntimeError(
            f"a check submission did not store: status {status}, thank-you page {b'Thank you' in body}, "
            f"rows {before} -> {after}"
        )


@dataclass
class ThroughputResult:
    database: str
    runs: dict[str, list[WrkRun]]
    warmups: dict[str, WrkRun]
    rows_before: int
    rows_after: int
    submission: Submission
    htmx: bool
    server_errors: dict[str, list[str]]
    settings: str
    connections: int
    experiments: str = ""


def server_env(database_url: str, settings: dict | None = None) -> dict[str, str]:
    from feedback_app.crypto import Keyring

    return dict(
        os.environ,
        FEEDBACK_CONFIG="test",
        BENCH_DATABASE_URL=database_url,
        BENCH_SECRET_KEY=secrets.token_urlsafe(48),
        BENCH_KEYRING=Keyring.generate().to_json(),
        BENCH_OVERRIDES=json.dumps({"RATELIMIT_ENABLED": False, "LOG_REQUESTS": False, **(settings or {})}),
        PYTHONPATH=str(PROJECT_ROOT),
    )


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.search(r"\b(ERROR|CRITICAL|Traceback|Exception)\b", line)]


def measure_throughput(kind: str, args: argparse.Namespace, progress: Callable[[str], None]) -> ThroughputResult | None:
    with throwaway_database(kind, prefix="feedback_bench_load") as database:
        if database is None:
            return None
        app = make_app(database.url)
        with app.app_context():
            try:
                migrate_schema()
                if args.sqlite_wal and database.kind == "sqlite":
                    from feedback_app.extensions import db

                    with db.engine.connect() as connection:  # persistent: stored in the database file
                        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            finally:
                dispose_engines()
        workdir = Path(tempfile.mkdtemp(prefix="feedback_bench_load-"))
        try:
            with contextlib.ExitStack() as stack:
                progress(f"  {database.label}: starting gunicorn (app and hello, {args.workers} workers each) ...")
                app_server = stack.enter_context(
                    gunicorn("app", "bench.live_wsgi:app", server_env(database.url, args.settings), workdir, args.workers)
                )
                hello_server = stack.enter_context(
                    gunicorn("hello", "bench.hello_wsgi:app", dict(os.environ, PYTHONPATH=str(PROJECT_ROOT)),
                             workdir, args.workers)
                )
                submission = prepare_submission(app_server.url, args.htmx)
                check_one_submission(app_server.url, submission, database.url, args.htmx)
                submit_headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": submission.cookie}
                if args.htmx:
                    submit_headers["HX-Request"] = "true"
                targets = {
                    "hello": Target("hello", hello_server.url + "/",
                                    write_lua(workdir / "hello.lua", method="GET", marker="hello"), hello_server),
                    "landing": Target("landing", app_server.url + "/",
                                      write_lua(workdir / "landing.lua", method="GET", marker="survey-card"),
                                      app_server),
                    "submission": Target(
                        "submission", f"{app_server.url}/s/{SUBMISSION_SURVEY}",
                        write_lua(workdir / "submission.lua", method="POST", marker="Thank you",
                                  headers=submit_headers, body_prefix=submission.body_prefix),
                        app_server,
                        postgres_backends(database.server_url, database.name) if database.kind == "postgresql" else None,
                    ),
                }
                rows_before = count_rows(database.url)
                warmups: dict[str, WrkRun] = {}
                if args.warmup > 0:
                    for name, target in targets.items():
                        progress(f"  {database.label}: warm-up {name} ({args.warmup}s) ...")
                        warmups[name] = run_wrk(target, args.warmup, args.threads, args.connections)
                runs: dict[str, list[WrkRun]] = {name: [] for name in targets}
                names = list(targets)
                for round_number in range(args.rounds):
                    shift = round_number % len(names)
                    for name in names[shift:] + names[:shift]:
                        run = run_wrk(targets[name], args.duration, args.threads, args.connections)
                        runs[name].append(run)
                        progress(
                            f"  {database.label}: round {round_number + 1}/{args.rounds} {name}: "
                            f"{fmt_rate(run.rps)} req/s, {run.ok:,} 2xx, non-2xx {run.non_2xx or 'none'}"
                        )
                time.sleep(1.0)  # let requests still in flight when wrk stopped finish
                rows_after = count_rows(database.url)
                stack.close()  # stop both servers before reading their logs
                errors = {s.name: error_lines(s.log_text()) for s in (app_server, hello_server)}
            return ThroughputResult(
                database=database.label,
                runs=runs,
                warmups=warmups,
                rows_before=rows_before,
                rows_after=rows_after,
                submission=submission,
                htmx=args.htmx,
                server_errors=errors,
                settings=(
                    f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {args.rounds} rounds "
                    f"(order rotating), after a {args.warmup}s warm-up of each"
                ),
                connections=args.connections,
                experiments=", ".join(
                    [f"{k}={json.dumps(v)}" for k, v in args.settings.items()]
                    + (["SQLite in WAL mode"] if args.sqlite_wal and database.kind == "sqlite" else [])
                ),
            )
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


def report_throughput(result: ThroughputResult, workers: int) -> None:
    heading(f"(b) Throughput under gunicorn, {result.database}")
    print(f"gunicorn -c gunicorn.conf.py --workers {workers} (sync workers), 127.0.0.1; {result.settings}.")
    if result.experiments:
        print(f"*** EXPERIMENT (not the app as configured): {result.experiments}")
    print(
        f"The load generator runs on the same machine ({os.cpu_count()} CPUs) as both servers; only the "
        f"target being measured is busy."
    )
    print()
    med = {name: median([r.rps for r in runs]) for name, runs in result.runs.items()}
    hello = med["hello"]
    # Each round measures every target within seconds of the others: the ratio of a round is
    # less exposed to other work on the machine, which changes from minute to minute.
    paired = {
        name: median([r.rps / h.rps for r, h in zip(runs, result.runs["hello"]) if h.rps > 0])
        for name, runs in result.runs.items()
    }
    cpu_per_request = {
        name: median([r.server_cpu / r.requests for r in runs if r.requests]) for name, runs in result.runs.items()
    }
    descriptions = {
        "landing": "GET / (landing page)",
        "submission": f"POST /s/{SUBMISSION_SURVEY} _action=submit ({'htmx fragment' if result.htmx else 'full page'})",
        "hello": "GET / bare Flask 'hello' (reference)",
    }
    targets = {"landing": TARGET_LANDING, "submission": TARGET_SUBMISSION}
    rows = []
    cpu_rows = []
    for name in ("landing", "submission", "hello"):
        runs = result.runs[name]
        database_cpu = [r.database_cpu / r.requests * 1000 for r in runs if r.requests and r.database_cpu is not None]
        cpu_rows.append([
            descriptions[name],
            f"{median([r.server_cpu / r.requests * 1000 for r in runs if r.requests]):.2f}",
            f"{median([r.server_cpu / r.seconds for r in runs]):.2f}",
            f"{median(database_cpu):.2f}" if database_cpu else "-",
            f"{median([r.wrk_cpu / r.requests * 1000 for r in runs if r.requests]):.2f}",
            f"{median([r.wrk_cpu / r.seconds for r in runs]):.2f}",
        ])
        non_2xx: dict[int, int] = {}
        socket_errors = 0
        for run in runs:
            for status, n in run.non_2xx.items():
                non_2xx[status] = non_2xx.get(status, 0) + n
            socket_errors += sum(run.errors[k] for k in ("connect", "read", "write", "timeout"))
        rows.append([
            descriptions[name],
            fmt_rate(med[name]),
            " / ".join(fmt_rate(r.rps) for r in runs),
            f"{median([r.p50_ms for r in runs]):.1f}",
            f"{median([r.p99_ms for r in runs]):.1f}",
            ", ".join(f"{s}: {n:,}" for s, n in non_2xx.items()) or "none",
            f"{socket_errors:,}",
            f"{med[name] / hello:.2f}",
            f"{paired[name]:.2f}",
            f"{cpu_per_request['hello'] / cpu_per_request[name]:.2f}" if cpu_per_request[name] else "-",
            f">= {targets[name]}" if name in targets else "",
        ])
    print_table(
        "Requests per second (median of rounds; per round in run order)",
        ["target", "req/s", "per round", "p50 ms", "p99 ms", "non-2xx", "socket errors",
         "x hello", "x hello, paired", "x hello, CPU", "target"],
        rows,
        align="lrrrrlrrrrl",
    )
    print("x hello         = median req/s / median hello req/s")
    print("x hello, paired = median over rounds of (req/s / hello req/s in the same round): the verdict")
    print("x hello, CPU    = hello server CPU per request / this target's server CPU per request: the ratio if")
    print("                  the servers' CPU were the only limit (little affected by other work on the machine;")
    print("                  leaves out wrk's and PostgreSQL's CPU and any waiting)")
    print()
    print_table(
        "Where the CPU went during the timed runs (medians; server = gunicorn master + workers, from /proc)",
        ["target", "server CPU ms/request", "server CPUs busy", "PostgreSQL CPU ms/request", "wrk CPU ms/request",
         "wrk CPUs busy"],
        cpu_rows,
    )
    print(
        f"With {os.cpu_count()} CPUs, server + wrk CPUs busy near {os.cpu_count()} means the machine is the limit; "
        f"well below it, the workers are waiting (database locks, disk, network). PostgreSQL CPU = its backends "
        f"for the workers' connections (SQLite works inside the workers; the landing and hello touch no database)."
    )
    print()

    submissions = result.runs["submission"]
    wrk_ok = sum(r.ok for r in submissions) + (result.warmups["submission"].ok if "submission" in result.warmups else 0)
    wrk_thanked = sum(r.matched for r in submissions) + (
        result.warmups["submission"].matched if "submission" in result.warmups else 0
    )
    stored = result.rows_after - result.rows_before
    print(
        f"Submission body: {result.submission.body_bytes:,} bytes form-encoded, {len(result.submission.answers)} answer "
        f"values in {len({n for n, _ in result.submission.answers})} fields ({', '.join(sorted({n for n, _ in result.submission.answers}))}), csrf_token, _screen=review, "
        f"_version, _website (empty honeypot), _action=submit, and a random 32-character _token per request; "
        f"cookie s ({len(result.submission.cookie) - 2} characters)."
    )
    difference = stored - wrk_ok
    slack = (len(submissions) + (1 if "submission" in result.warmups else 0)) * result.connections
    print(
        f"Rows check: wrk counted {wrk_ok:,} successful (2xx) submissions ({wrk_thanked:,} with the thank-you page) "
        f"in the timed rounds and warm-up; the database gained {stored:,} rows "
        f"(difference {difference:+,}; requests still in flight when a wrk run stops are stored but not "
        f"counted: expected 0 .. +{slack}) -> {'consistent' if 0 <= difference <= slack else 'INCONSISTENT'}."
    )
    for name, lines in result.server_errors.items():
        if lines:
            print(f"Server log ({name}): {len(lines)} error lines, first ones:")
            for line in lines[:5]:
                print(f"    {line[:200]}")
        else:
            print(f"Server log ({name}): no errors.")
    for name in ("hello", "landing", "submission"):
        runs = result.runs[name]
        bad = [r for r in runs if r.non_2xx or any(r.errors[k] for k in ("connect", "read", "write", "timeout"))]
        if bad or sum(r.matched for r in runs) != sum(r.ok for r in runs):
            print(
                f"*** {name}: NOT all responses were good: "
                + "; ".join(
                    f"round {i + 1}: {r.requests:,} requests, statuses {dict(sorted(r.statuses.items()))}, "
                    f"socket errors {r.errors}, marker found in {r.matched:,}"
                    for i, r in enumerate(runs)
                )
            )
    print()
    for name, target in targets.items():
        ratio = paired[name]
        print(
            f"VERDICT {name}, {result.database}: {fmt_rate(med[name])} req/s vs hello {fmt_rate(hello)} req/s: "
            f"{ratio:.2f} x hello (paired by round; {med[name] / hello:.2f} from medians, "
            f"{cpu_per_request['hello'] / cpu_per_request[name]:.2f} from CPU per request) vs target >= {target} "
            f"-> {'met' if ratio >= target else 'NOT met'}"
        )


# -- main -------------------------------------------------------------------------------------
def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def tool_versions() -> None:
    from importlib.metadata import version

    wrk_version = "not installed"
    if os.path.exists(WRK):
        out = subprocess.run([WRK, "-v"], capture_output=True, text=True, check=False)
        wrk_version = (out.stdout or out.stderr).splitlines()[0].split(" Copyright")[0].strip()
    found = [
        ("Flask", version("flask")),
        ("Jinja2", version("jinja2")),
        ("gunicorn", version("gunicorn")),
        ("wrk", wrk_version),
    ]
    width = len("cryptography")  # print_versions' column width
    for name, value in found:
        print(f"{name.ljust(width)} : {value}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.survivor_pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="database for part (b) (default sqlite; part (a) always uses a SQLite file)")
    parser.add_argument("--duration", type=int, default=6, help="seconds per wrk run (default 6)")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each target (default 5)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per target (default 3; 0: none)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (default 2)")
    parser.add_argument("--htmx", action="store_true",
                        help="send the submission as htmx does (HX-Request: true; fragment reply) instead of a "
                        "plain form post")
    parser.add_argument("--set", dest="settings_list", action="append", default=[], metavar="NAME=JSON",
                        help="experiments only: an extra app setting for the gunicorn'd app, e.g. "
                        "--set LOG_LEVEL='\"WARNING\"' or --set SQLALCHEMY_ENGINE_OPTIONS='{}' (repeatable)")
    parser.add_argument("--sqlite-wal", action="store_true",
                        help="experiments only: put the SQLite database in WAL mode before the servers start")
    parser.add_argument("--skip-weight", action="store_true", help="leave out part (a)")
    parser.add_argument("--skip-throughput", action="store_true", help="leave out part (b)")
    args = parser.parse_args(argv)
    args.settings = {}
    for item in args.settings_list:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--set needs NAME=JSON, got {item!r}")
        try:
            args.settings[name] = json.loads(value)
        except json.JSONDecodeError as exc:
            parser.error(f"--set {name}: the value is not JSON ({exc})")
    return args


def _terminate(signum, _frame) -> None:
    raise SystemExit(128 + signum)  # run the finally blocks, which stop the servers


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min)"


def busy_warning() -> None:
    one_minute = os.getloadavg()[0]
    if one_minute > 0.5 * (os.cpu_count() or 1):
        print(
            f"*** WARNING: the machine is busy (load {one_minute:.2f} on {os.cpu_count()} CPUs): req/s are low and "
            f"vary; the paired and CPU ratios are the ones to read"
        )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    started = time.perf_counter()
    print("Survivor pages benchmark (bench/survivor_pages.py)")
    print_versions()
    tool_versions()
    width = len("cryptography")
    print(f"{'platform'.ljust(width)} : {platform.platform()}")
    print(f"{'load'.ljust(width)} : {load_average()} at the start")
    busy_warning()

    if not args.skip_weight:
        progress("(a) page weight ...")
        report_weight(measure_weight(progress))

    if not args.skip_throughput:
        if not os.path.exists(WRK):
            skipped(
                "(b) throughput -- wrk is not installed; no throughput results",
                "install it with: sudo apt-get install wrk   (Debian package 'wrk'), then run again",
            )
        else:
            progress(f"(b) throughput on {args.database} ...")
            result = measure_throughput(args.database, args, progress)
            if result is None:
                print(f"*** SKIPPED: (b) throughput on {args.database} -- its targets are NOT checked ***")
            else:
                report_throughput(result, args.workers)
    print()
    print(f"load       : {load_average()} at the end (other work on the machine skews throughput)")
    busy_warning()
    print(f"total time : {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
