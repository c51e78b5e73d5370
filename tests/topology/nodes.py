"""Starting and stopping the topology's processes: every one on loopback, with its own working
directory and log, stopped by its own pid."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{log.name} stopped early:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listened on {port} within {timeout:.0f} s; see {log}")


class Processes:
    """Every process the test started, stopped in reverse order however the test ends."""

    def __init__(self, root: Path):
        self.root = root
        self.started: list[tuple[str, subprocess.Popen, object]] = []

    def start(self, name: str, command: list[str], env: dict) -> tuple[subprocess.Popen, Path]:
        workdir = self.root / name
        workdir.mkdir(parents=True, exist_ok=True)
        log = workdir / "output.log"
        handle = log.open("w", encoding="utf-8")
        process = subprocess.Popen(
            command,
            env={**env, "PYTHONPATH": str(BASE_DIR)},
            cwd=workdir,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append((name, process, handle))
        return process, log

    def kill(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for _name, process, handle in reversed(self.started):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
            handle.close()


def run(command: list[str], env: dict, timeout: float = 180) -> str:
    result = subprocess.run(
        command,
        env={**env, "PYTHONPATH": str(BASE_DIR)},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        output = result.stdout[-2000:] + result.stderr[-3000:]
        raise RuntimeError(f"{' '.join(command)} failed:\n{output}")
    return result.stdout
