"""The load generator: plain sockets, one connection per request (gunicorn's sync workers close
the connection after each response), so a request costs the client as little as Python allows.

A :class:`ClientPool` keeps ``n`` processes alive for the whole run; each saturation window
sends every process the same request for a number of seconds and collects latencies, counts and
the processes' own CPU time (reported so a reader can see the client was not the limit).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import socket
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    """One page to request: where, and the raw request bytes."""

    name: str
    host: str
    port: int
    raw: bytes


def build_request(path: str, *, host: str, cookie: str | None = None) -> bytes:
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host}",
        # The server sits behind a TLS proxy in production; SECURE_SSL_REDIRECT stays on.
        "X-Forwarded-Proto: https",
        "User-Agent: hope-bench",
        "Accept: text/html",
        "Connection: close",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


def fetch(target: Target, timeout: float = 30.0) -> Response:
    """One request; the whole response (headers and body) read to the end."""
    started = time.perf_counter()
    with socket.create_connection((target.host, target.port), timeout=timeout) as sock:
        sock.sendall(target.raw)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    seconds = time.perf_counter() - started
    data = b"".join(chunks)
    head, _sep, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split(" ", 2)[1])
    except (IndexError, ValueError):
        status = 0
    headers = {}
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Response(status=status, headers=headers, body=body, seconds=seconds)


def _status_of(sock: socket.socket, raw: bytes) -> int:
    sock.sendall(raw)
    first = sock.recv(65536)
    status = int(first[9:12]) if first[:5] == b"HTTP/" else 0
    while sock.recv(65536):
        pass
    return status


def hammer(target: Target, seconds: float) -> tuple[list[float], int, float]:
    """Request ``target`` back to back for ``seconds``: (latencies of 200s, errors, CPU s)."""
    latencies: list[float] = []
    errors = 0
    address = (target.host, target.port)
    raw = target.raw
    cpu_before = sum(os.times()[:2])
    deadline = time.perf_counter() + seconds
    perf = time.perf_counter
    while True:
        started = perf()
        if started >= deadline:
            break
        try:
            with socket.create_connection(address, timeout=30) as sock:
                status = _status_of(sock, raw)
        except OSError:
            status = 0
        if status == 200:
            latencies.append(perf() - started)
        else:
            errors += 1
    return latencies, errors, sum(os.times()[:2]) - cpu_before


def _worker(conn) -> None:
    while True:
        message = conn.recv()
        if message is None:
            return
        target, seconds = message
        conn.send(hammer(target, seconds))


@dataclass
class Window:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    client_cpu_seconds: float = 0.0


class ClientPool:
    """``size`` long-lived client processes."""

    def __init__(self, size: int):
        context = multiprocessing.get_context("fork")
        self.connections = []
        self.processes = []
        for _ in range(size):
            parent, child = context.Pipe()
            process = context.Process(target=_worker, args=(child,), daemon=True)
            process.start()
            self.connections.append(parent)
            self.processes.append(process)

    def run(self, target: Target, seconds: float) -> Window:
        for conn in self.connections:
            conn.send((target, seconds))
        window = Window()
        for conn in self.connections:
            latencies, errors, cpu = conn.recv()
            window.latencies.extend(latencies)
            window.errors += errors
            window.client_cpu_seconds += cpu
        return window

    def close(self) -> None:
        for conn in self.connections:
            with contextlib.suppress(BrokenPipeError, OSError):
                conn.send(None)
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
