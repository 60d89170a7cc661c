"""The servers a multi-node or fault run starts for itself, and their clean-up.

- `PgCluster`: the benchmark's OWN PostgreSQL cluster (pg_createcluster on another
  port, e.g. 5440), created at the start and dropped at the end, so a fault run can
  restart PostgreSQL without touching the shared server on 5432.
- `RedisServer`: its own redis-server on its own port (never 6379), which a fault
  run restarts and flushes.
- `Nginx`: nginx with the configuration generated from docs/operations.md.

Everything started is registered with `cleanup`, which runs from a `finally`,
from atexit and on SIGTERM / SIGHUP (Ctrl-C raises KeyboardInterrupt, which
reaches the `finally`), so no cluster, server or nginx outlives a run.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

SHARED_POSTGRES_PORT = 5432
SHARED_REDIS_PORT = 6379
CLUSTER_PREFIX = "bench"

_undo: list[tuple[str, Callable[[], None]]] = []


def register(what: str, undo: Callable[[], None]) -> None:
    _undo.append((what, undo))


def cleanup() -> None:
    """Stops and removes everything registered, newest first; each at most once."""
    while _undo:
        what, undo = _undo.pop()
        try:
            undo()
        except Exception as error:  # noqa: BLE001 - keep cleaning up the rest
            print(f"clean-up of {what} failed: {error}", file=sys.stderr, flush=True)


def _on_signal(number: int, _frame: object) -> None:
    raise SystemExit(128 + number)


def install_handlers() -> None:
    atexit.register(cleanup)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _on_signal)


def raise_file_limit() -> int:
    """The soft open-file limit raised to the hard one (inherited by every process the
    benchmark starts: locust holds a connection per learner)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.1)
    raise SystemExit(f"nothing answers on port {port}")


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = Path(entry.path, "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def kill_tree(pid: int) -> None:
    """SIGKILL to a process and its children (nginx's workers outlive a killed master)."""
    for child in children(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def terminate(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- PostgreSQL ---------------------------------------------------------------------


class PgCluster:
    """A PostgreSQL cluster of the installed version, on its own port, trust auth on
    loopback, created by and for the benchmark."""

    def __init__(self, port: int, *, max_connections: int) -> None:
        if port == SHARED_POSTGRES_PORT:
            raise SystemExit("the benchmark never uses the shared cluster on 5432 for this")
        self.port = port
        self.name = f"{CLUSTER_PREFIX}{port}"
        self.version = self._version()
        self.max_connections = max_connections

    @staticmethod
    def _version() -> str:
        versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name))
        return versions[-1].name

    def _exists(self) -> bool:
        listed = subprocess.run(
            ["pg_lsclusters", "--no-header"], check=True, capture_output=True, text=True
        ).stdout
        return any(
            line.split()[:2] == [self.version, self.name] for line in listed.splitlines() if line
        )

    def create(self) -> None:
        if self._exists():  # left over by a run that was killed with -9
            self.drop()
        if not port_free(self.port):
            raise SystemExit(f"port {self.port} is taken: choose another --pg-port")
        subprocess.run(
            [
                "pg_createcluster",
                self.version,
                self.name,
                "--port",
                str(self.port),
                "-o",
                f"max_connections={self.max_connections}",
                "-o",
                "shared_buffers=256MB",
                "--",
                "--auth-local=trust",
                "--auth-host=trust",
            ],
            check=True,
            capture_output=True,
        )
        register(f"PostgreSQL cluster {self.version}/{self.name}", self.drop)
        self.start()

    def start(self) -> None:
        subprocess.run(["pg_ctlcluster", self.version, self.name, "start"], check=True)
        wait_port(self.port)

    def restart(self) -> None:
        """What an administrator's `systemctl restart postgresql` does: a fast shutdown
        (every connection is closed, running transactions roll back), then a start."""
        subprocess.run(
            ["pg_ctlcluster", self.version, self.name, "restart", "-m", "fast"], check=True
        )
        wait_port(self.port)

    def drop(self) -> None:
        subprocess.run(
            ["pg_dropcluster", self.version, self.name, "--stop"], check=False, capture_output=True
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"


# --- Redis --------------------------------------------------------------------------


class RedisServer:
    """redis-server on its own port, no persistence (a restart comes back empty,
    like a flush), configured as docs/operations.md 4.3 describes otherwise."""

    def __init__(self, port: int, folder: Path) -> None:
        if port == SHARED_REDIS_PORT:
            raise SystemExit("the benchmark never restarts the shared Redis on 6379")
        self.port = port
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if self.process is None and not port_free(self.port):
            raise SystemExit(f"port {self.port} is taken: choose another --redis-port")
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                [
                    shutil.which("redis-server") or "redis-server",
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--maxclients",
                    "20000",
                    "--maxmemory",
                    "512mb",
                    "--maxmemory-policy",
                    "volatile-lru",
                    "--dir",
                    str(self.folder),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if not any(what == self._label for what, _ in _undo):
            register(self._label, self.stop)
        wait_port(self.port)

    @property
    def _label(self) -> str:
        return f"redis-server on {self.port}"

    def restart_flushed(self) -> None:
        """FLUSHALL, then the server killed and started again (empty)."""
        import redis

        with contextlib.suppress(Exception):
            redis.Redis(port=self.port).flushall()
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
        self.start()

    def stop(self) -> None:
        if self.process is not None:
            terminate(self.process, 10)
            self.process = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


# --- nginx --------------------------------------------------------------------------


class Nginx:
    def __init__(self, config: Path, https_port: int) -> None:
        self.config = config
        self.https_port = https_port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        subprocess.run(["nginx", "-t", "-q", "-c", str(self.config)], check=True)
        # In the foreground: the benchmark owns the master process.
        self.process = subprocess.Popen(
            ["nginx", "-c", str(self.config), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        register("nginx", self.stop)
        wait_port(self.https_port)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                kill_tree(self.process.pid)
                self.process.wait(timeout=10)
        self.process = None
