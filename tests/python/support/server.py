"""Starting the real `feedbridge` binary: `serve` on 127.0.0.1 with a port the OS picks, and
`apikey create` beside it, each on the backend under test.

The binary is `$FEEDBRIDGE_BIN` (scripts/test-all sets it to target/debug/feedbridge; that is also
the default).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import threading
import time
from pathlib import Path
from typing import Mapping, Optional

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
LISTENING_RE = re.compile(r"listening on (http://\S+)")
START_TIMEOUT_S = 60.0
CLI_TIMEOUT_S = 60.0

SERVER_ENV = {
    "FEEDBRIDGE_INSTITUTION_NAME": "Maple Bank",
    "FEEDBRIDGE_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
}


def feedbridge_bin() -> str:
    path = os.environ.get("FEEDBRIDGE_BIN") or str(REPO_ROOT / "target" / "debug" / "feedbridge")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(
            f"feedbridge binary not found at {path!r}: build it (cargo build --workspace --bins) "
            "or set FEEDBRIDGE_BIN",
            pytrace=False,
        )
    return path


# With TEST_BACKEND=postgres (scripts/test-all's second pytest run), every data directory gets its
# own fresh PostgreSQL database on the server named by FEEDBRIDGE_TEST_PG, and the suites run
# unchanged against the PostgreSQL backend.
PG_SERVER = os.environ.get("FEEDBRIDGE_TEST_PG", "") if os.environ.get("TEST_BACKEND") == "postgres" else ""
PG_SECRET = "5eed" * 16
_pg_databases: set[str] = set()


def backend_env(data_dir: Path) -> dict:
    """Settings that put the server for `data_dir` on the backend under test."""
    if not PG_SERVER:
        return {}
    name = "fb_e2e_" + hashlib.sha1(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
    if name not in _pg_databases:
        subprocess.run(["psql", PG_SERVER, "-qc", f"CREATE DATABASE {name}"], check=True,
                       capture_output=True, timeout=CLI_TIMEOUT_S)
        _pg_databases.add(name)
    return {"FEEDBRIDGE_DATABASE_URL": f"{PG_SERVER.rsplit('/', 1)[0]}/{name}",
            "FEEDBRIDGE_SECRET_KEY": PG_SECRET}


def drop_test_databases() -> None:
    """Drops every PostgreSQL database `backend_env` created in this session."""
    for name in sorted(_pg_databases):
        subprocess.run(["psql", PG_SERVER, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                       capture_output=True, timeout=CLI_TIMEOUT_S)


def server_env(extra: Optional[Mapping[str, str]] = None) -> dict:
    """The environment for every feedbridge process the tests start.

    FEEDBRIDGE_* variables of the caller (FEEDBRIDGE_BIN, FEEDBRIDGE_TEST_PG, ...) are
    dropped so that the server's configuration is exactly what the fixture says.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBRIDGE_")}
    env.update(SERVER_ENV)
    env.setdefault("RUST_BACKTRACE", "1")
    if extra:
        env.update(extra)
    return env


def create_api_key(name: str, data_dir: Path, *, env: Optional[Mapping[str, str]] = None) -> str:
    """`feedbridge apikey create --name NAME --data-dir DIR`; the key is stdout's last line."""
    proc = subprocess.run(
        [feedbridge_bin(), "apikey", "create", "--name", name, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
        env=server_env({**backend_env(data_dir), **(env or {})}),
        stdin=subprocess.DEVNULL,
    )
    lines = [line.strip() for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(
            f"`feedbridge apikey create --name {name}` failed (exit {proc.returncode})\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return lines[-1]


class FeedbridgeServer:
    """A `feedbridge serve` process on 127.0.0.1, port chosen by the OS."""

    def __init__(self, data_dir: Path, *, env: Optional[Mapping[str, str]] = None,
                 extra_args: Optional[list] = None) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.env = dict(env or {})
        self.extra_args = list(extra_args or [])
        self.base_url: Optional[str] = None
        self.proc: Optional[subprocess.Popen] = None
        self.stdout_lines: list[str] = []
        self.stderr_path = self.data_dir.parent / f"{self.data_dir.name}.stderr.log"
        self._stderr_file = None

    def start(self) -> "FeedbridgeServer":
        self._stderr_file = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [feedbridge_bin(), "serve", "--listen", "127.0.0.1:0", "--data-dir", str(self.data_dir),
             *self.extra_args],
            stdout=subprocess.PIPE,
            stderr=self._stderr_file,
            stdin=subprocess.DEVNULL,
            env=server_env({**backend_env(self.data_dir), **self.env}),
        )
        found = threading.Event()

        def pump() -> None:
            assert self.proc is not None and self.proc.stdout is not None
            for raw in iter(self.proc.stdout.readline, b""):
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                self.stdout_lines.append(line)
                m = LISTENING_RE.search(line)
                if m and self.base_url is None:
                    self.base_url = m.group(1).rstrip("/")
                    found.set()
            found.set()  # stdout closed: the process is gone

        threading.Thread(target=pump, name="feedbridge-stdout", daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not found.wait(0.1):
            if time.monotonic() > deadline:
                break
        if self.base_url is None:
            self.stop()
            raise RuntimeError(
                "feedbridge serve did not print `listening on http://HOST:PORT` "
                f"(exit code {self.proc.returncode})\nstdout:\n" + "\n".join(self.stdout_lines)
                + "\nstderr (tail):\n" + self.stderr_tail()
            )
        return self

    def create_api_key(self, name: str) -> str:
        """Adds a tenant while the server runs (SQLite WAL allows a second process)."""
        return create_api_key(name, self.data_dir, env=self.env)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stderr_tail(self, lines: int = 60) -> str:
        try:
            text = self.stderr_path.read_text("utf-8", "replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self._stderr_file is not None:
            self._stderr_file.close()
            self._stderr_file = None
