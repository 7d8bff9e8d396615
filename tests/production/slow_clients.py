"""Slow clients: sockets that open a TLS connection and then trickle a request's headers a
byte at a time, reconnecting whenever the server gives up on them (slowloris)."""

from __future__ import annotations

import socket
import ssl
import threading
import time

from tests.production.stack import tls_context

REQUEST = b"GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow\r\n" + b"X-Slow: " + b"a" * 4000


class SlowClients:
    def __init__(self, port: int, count: int = 50, interval: float = 0.5, source: str = "127.0.0.9",
                 use_tls: bool = True):
        self.port, self.count, self.interval, self.source, self.use_tls = port, count, interval, source, use_tls
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.connects = 0
        self.open_now = 0

    def _connect(self):
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=5, source_address=(self.source, 0))
        self.connects += 1
        if not self.use_tls:
            return [raw, 0]
        return [tls_context().wrap_socket(raw, server_hostname="localhost"), 0]

    def _run(self) -> None:
        sockets: list[list] = []
        while not self.stop_event.is_set():
            while len(sockets) < self.count and not self.stop_event.is_set():
                try:
                    sockets.append(self._connect())
                except (OSError, ssl.SSLError):
                    time.sleep(0.05)
            for entry in list(sockets):
                sock, sent = entry
                try:
                    if sent >= len(REQUEST):
                        raise OSError("sent everything")
                    sock.send(REQUEST[sent:sent + 1])
                    entry[1] = sent + 1
                except (OSError, ssl.SSLError):
                    sock.close()
                    sockets.remove(entry)
            self.open_now = len(sockets)
            self.stop_event.wait(self.interval)
        for sock, _ in sockets:
            sock.close()

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while self.open_now < self.count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        self.thread.join(timeout=10)
