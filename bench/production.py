"""The production stack under load: nginx (HTTPS) + gunicorn + PostgreSQL + Redis.

Run from the project root (needs nginx, redis-server and a PostgreSQL server, as the
production test layer does)::

    .venv/bin/python -m bench.production [--clients 20,200] [--surveys 200] [--reference-seconds 5]

The stack is the one ``tests/production/`` starts (``tests.production.stack``): the shipped
``deploy/nginx/feedback.conf`` with a throwaway certificate, ``gunicorn.conf.py``, the app
with FEEDBACK_CONFIG=production, a throwaway PostgreSQL database and a private Redis; the
submission rate limit is raised so that it never refuses. Everything is stopped at the end,
also on error.

For each number of concurrent clients, in the same run:

1. survivors: that many threads, each a survivor without JavaScript (plain HTTPS form posts
   through nginx, one kept-alive connection per survivor, ``tests/production/survivor_client``)
   completing the adult survey (two services, every section), until ``--surveys`` surveys
   are done. Per step: p50/p95/p99 in milliseconds; submissions per second;
2. the reference: ``GET /`` through nginx by the same number of threads for
   ``--reference-seconds``, requests per second;
3. both again with 50 slow sockets open (TLS connections trickling a request's headers a
   byte every half second, reconnecting when nginx drops them).

Then why nginx is there: ``GET /`` per second through nginx and straight at gunicorn
(plain HTTP), each without and with the slow sockets aimed at it. And bytes on the wire for a survivor's first page (the landing page and every asset it
references): through nginx (HTTPS, ``Accept-Encoding: gzip``, static files from nginx's
``gzip_static``) against straight from gunicorn (plain HTTP). HTTP status line, headers and
body are counted; TLS framing is not.

The load generator runs on the same machine and competes for the same CPU: the CPU time
it used is printed next to the server's, so a result limited by the client says so.
Nothing is asserted: the script prints tables. nginx drops a slow socket after
``client_header_timeout`` (10 s) and the slow clients reconnect: the table shows how many
were open at the end and how many connections they made in all.
"""

from __future__ import annotations

import argparse
import os
import http.client
import re
import resource
import statistics
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import heading, print_table

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from tests.production.slow_clients import SlowClients  # noqa: E402
from tests.production.stack import start_stack, stop_stack, tls_context  # noqa: E402
from tests.production.survivor_client import PlainSurvivor  # noqa: E402

STEP_ORDER = ("start page", "step", "send my answers")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    tick = 100.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


def server_pids(stack) -> list[int]:
    pids = [p.pid for p in stack.processes.values()] + stack.gunicorn_workers()
    nginx = stack.processes.get("nginx")
    if nginx:
        children = Path(f"/proc/{nginx.pid}/task/{nginx.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
    return pids


def postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_survivors(stack, clients: int, surveys: int) -> dict:
    remaining = [surveys]
    lock = threading.Lock()
    timings: dict[str, list[float]] = defaultdict(list)
    failures = [0]

    def worker(n: int):
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            survivor = PlainSurvivor(stack.https_port, source=f"127.0.{1 + n // 250}.{1 + n % 250}", timeout=120)
            try:
                outcome = survivor.complete()
                with lock:
                    for step, seconds in outcome.steps:
                        timings[step].append(seconds)
                    if not outcome.acknowledged:
                        failures[0] += 1
            except Exception:  # noqa: BLE001 - counted and reported
                with lock:
                    failures[0] += 1
            finally:
                survivor.close()

    cpu0, server0, pg0 = client_cpu(), cpu_seconds(server_pids(stack)), cpu_seconds(postgres_pids())
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    took = time.perf_counter() - started
    done = len(timings["send my answers"]) - failures[0]
    return {
        "timings": timings, "seconds": took, "completed": done, "failures": failures[0],
        "rate": done / took, "client_cpu": client_cpu() - cpu0,
        "server_cpu": cpu_seconds(server_pids(stack)) - server0, "postgres_cpu": cpu_seconds(postgres_pids()) - pg0,
    }


def run_reference(stack, clients: int, seconds: float, *, direct: bool = False) -> dict:
    """GET / in a loop by ``clients`` threads: through nginx, or straight at gunicorn."""
    stop = time.perf_counter() + seconds
    counts = [0] * clients
    errors = [0]

    def worker(n: int):
        if direct:
            survivor = PlainSurvivor(stack.app_port, scheme="http", source=f"127.0.{1 + n // 250}.{1 + n % 250}",
                                     timeout=seconds + 5)
        else:
            survivor = PlainSurvivor(stack.https_port, source=f"127.0.{1 + n // 250}.{1 + n % 250}")
        try:
            while time.perf_counter() < stop:
                try:
                    status = survivor.request("GET", "/")[0]
                    counts[n] += status == 200
                    errors[0] += status != 200
                except Exception:  # noqa: BLE001 - counted and reported
                    errors[0] += 1
                    survivor.close()
        finally:
            survivor.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    took = time.perf_counter() - started
    return {"rate": sum(counts) / took, "errors": errors[0]}


def load_tables(stack, clients_list: list[int], surveys: int, reference_seconds: float, slow: int) -> None:
    rows, summary = [], []
    for clients in clients_list:
        for label, slow_count in (("", 0), (f" + {slow} slow sockets", slow)):
            name = f"{clients} survivors{label}"
            if slow_count:
                with SlowClients(stack.https_port, count=slow_count) as slow_clients:
                    result = run_survivors(stack, clients, surveys)
                    reference = run_reference(stack, clients, reference_seconds)
                    still_open = f"{slow_clients.open_now} / {slow_clients.connects}"
            else:
                result = run_survivors(stack, clients, surveys)
                reference = run_reference(stack, clients, reference_seconds)
                still_open = "-"
            for step in STEP_ORDER:
                values = [v * 1000 for v in result["timings"].get(step, [])]
                rows.append((name, step, len(values), f"{percentile(values, 0.5):.0f}",
                             f"{percentile(values, 0.95):.0f}", f"{percentile(values, 0.99):.0f}"))
            summary.append((
                name, result["completed"], result["failures"], f"{result['rate']:.1f}",
                f"{reference['rate']:.0f}", reference["errors"], still_open,
                f"{result['client_cpu']:.1f}", f"{result['server_cpu']:.1f}", f"{result['postgres_cpu']:.1f}",
                f"{result['seconds']:.1f}",
            ))
    print_table("Per step, milliseconds (through nginx over HTTPS)",
                ("load", "step", "n", "p50", "p95", "p99"), rows)
    print_table(
        "Throughput (reference: GET / through nginx by the same number of clients, same run)",
        ("load", "surveys done", "failed", "submissions/s", "GET / per s", "GET / errors", "slow open at end / connects",
         "client CPU s", "nginx+gunicorn+redis CPU s", "postgres CPU s", "wall s"),
        summary,
    )


def slow_sockets_straight_at_gunicorn(stack, clients: int, seconds: float, slow: int) -> None:
    rows = []
    for label, direct, slow_count in (
        ("through nginx", False, 0), (f"through nginx + {slow} slow sockets", False, slow),
        ("straight at gunicorn", True, 0), (f"straight at gunicorn + {slow} slow sockets", True, slow),
    ):
        if slow_count:
            port, use_tls = (stack.app_port, False) if direct else (stack.https_port, True)
            with SlowClients(port, count=slow_count, use_tls=use_tls):
                result = run_reference(stack, clients, seconds, direct=direct)
        else:
            result = run_reference(stack, clients, seconds, direct=direct)
        rows.append((label, f"{result['rate']:.0f}", result["errors"]))
    print_table(
        f"Why nginx: GET / per second by {clients} clients, with slow sockets trickling headers "
        f"(gunicorn: {stack.expected_workers()} gthread workers)",
        ("target", "GET / per s", "errors or timeouts"), rows,
    )


ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="(/static/[^"]+)"')


def wire_bytes(response: http.client.HTTPResponse, body: bytes) -> int:
    head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n")
    head += sum(len(f"{k}: {v}\r\n") for k, v in response.getheaders()) + 2
    return head + len(body)


def first_page_bytes(stack) -> None:
    rows = []
    for label, make in (
        ("through nginx (HTTPS, gzip_static)",
         lambda: http.client.HTTPSConnection("127.0.0.1", stack.https_port, context=tls_context(), timeout=30)),
        ("straight from gunicorn (HTTP)", lambda: http.client.HTTPConnection("127.0.0.1", stack.app_port, timeout=30)),
    ):
        connection = make()
        total, count = 0, 0
        try:
            connection.request("GET", "/", headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            body = response.read()
            total += wire_bytes(response, body)
            count += 1
            page_bytes = total
            for asset in dict.fromkeys(ASSET.findall(body.decode())):
                connection.request("GET", asset, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                total += wire_bytes(response, response.read())
                count += 1
        finally:
            connection.close()
        rows.append((label, count, page_bytes, total - page_bytes, total, f"{total / 1024:.1f}"))
    print_table("A survivor's first page with its assets: bytes on the wire (status line, headers, body)",
                ("served", "responses", "page", "assets", "total bytes", "KB"), rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="20,200", help="numbers of concurrent survivors, comma-separated")
    parser.add_argument("--surveys", type=int, default=200, help="surveys completed per measurement")
    parser.add_argument("--reference-seconds", type=float, default=5.0)
    parser.add_argument("--slow", type=int, default=50, help="slow sockets for the second measurement")
    args = parser.parse_args(argv)
    clients_list = [int(c) for c in args.clients.split(",") if c]
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    heading("Production stack: nginx + gunicorn + PostgreSQL + Redis")
    stack = start_stack(submission_rate_limit="1000000 per hour")
    try:
        deadline = time.monotonic() + 20
        while len(stack.gunicorn_workers()) < stack.expected_workers() and time.monotonic() < deadline:
            time.sleep(0.2)
        print(f"gunicorn workers: {len(stack.gunicorn_workers())} (gthread, {stack.env.get('GUNICORN_THREADS', 4)} threads), "
              f"CPUs: {os.cpu_count()}")
        print()
        first_page_bytes(stack)
        load_tables(stack, clients_list, args.surveys, args.reference_seconds, args.slow)
        slow_sockets_straight_at_gunicorn(stack, min(clients_list), args.reference_seconds, args.slow)
    finally:
        stop_stack(stack)


if __name__ == "__main__":
    main()
