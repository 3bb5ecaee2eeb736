"""A benchmark database on PostgreSQL and a gunicorn server in front of it.

The bench database (BENCH_DATABASE_URL, default a local `kordon_bench`) keeps its million notices
between runs, so only the first run pays for loading them.
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://kordon_bench:kordon_bench@127.0.0.1:5432/kordon_bench"
SERVER_ENV = {
    "KORDON_SECRET_KEY": "bench-secret-key-long-enough-for-the-startup-check",  # bench only
    "KORDON_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "KORDON_SECURE_COOKIES": "false",
    "KORDON_LOG_LEVEL": "WARNING",
    "KORDON_SERVER_TIMING": "true", "KORDON_RATE_LIMITS": "false",  # measure the work, not the limits
    "KORDON_MASTER_KEY_ID": "bench", "KORDON_MASTER_KEY": "YmVuY2gtbWFzdGVyLWtleS1ub3QtYS1zZWNyZXQhISE=",  # bench only
}


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def setup_django() -> None:
    """Point Django at the bench database, create it if this machine lets us, and migrate."""
    os.environ.update(SERVER_ENV)
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kordon.settings")
    if "BENCH_DATABASE_URL" not in os.environ:
        _create_local_database()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("loaddemo", verbosity=0)


def _create_local_database() -> None:
    script = (
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='kordon_bench') THEN "
        "CREATE ROLE kordon_bench LOGIN PASSWORD 'kordon_bench'; END IF; END $$;"
    )
    run_as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*run_as_postgres, "psql", "-q", "-c", script], check=True, capture_output=True)
    query = "SELECT 1 FROM pg_database WHERE datname='kordon_bench'"
    exists = subprocess.run([*run_as_postgres, "psql", "-tAc", query], check=True, capture_output=True,
                            text=True).stdout.strip()
    if not exists:
        subprocess.run([*run_as_postgres, "createdb", "-O", "kordon_bench", "kordon_bench"], check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))  # measured best on 2 cores with PostgreSQL beside it


@contextmanager
def gunicorn(workers: int = WORKERS, threads: int = int(os.environ.get("BENCH_THREADS", "1")),
             env: dict[str, str] | None = None) -> Iterator[str]:
    """Serve kordon with gunicorn on a free local port (by default on the bench database); yield its base URL."""
    port = free_port()
    env = env or os.environ | SERVER_ENV | {"DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "kordon.settings"}
    cmd = [str(Path(sys.executable).parent / "gunicorn"), "kordon.wsgi", "-b", f"127.0.0.1:{port}",
           "-w", str(workers), "--threads", str(threads), "--log-level", "warning", "--backlog", "2048",
           "--timeout", "120"]  # a 500-event push on a busy machine may take longer than the default 30 s
    server = subprocess.Popen(cmd, cwd=ROOT, env=env)
    try:
        _wait_for(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait_for(port: int) -> None:
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start on port {port}")


@dataclass(frozen=True)
class LoadRun:
    elapsed: float
    latency: str
    non_2xx: int


# wrk sends one POST per line of a data file; each of its 2 threads takes every other line.
WRK_SCRIPT = """
local lines = {}
for line in io.lines(os.getenv("BENCH_LINES")) do lines[#lines + 1] = line end
local counter = 0
local threads = {}
function setup(thread) thread:set("id", #threads); table.insert(threads, thread) end
function init(args) counter = id end
function request()
  counter = counter + 2
  local body = string.gsub(os.getenv("BENCH_BODY"), "{(%d)}", function(i)
    return ({lines[(counter % #lines) + 1]:match("([^,]*),?([^,]*)")})[tonumber(i)]
  end)
  return wrk.format("POST", os.getenv("BENCH_PATH"),
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")}, body)
end
"""


def post_load(base: str, path: str, body: str, lines: list[str], token: str, seconds: int) -> LoadRun:
    """POST `body` to `path` for `seconds` with wrk (2 threads x 16 connections), one line per request.

    `body` is a JSON template in which {1} and {2} stand for a line's comma-separated fields.
    """
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "lines.csv").write_text("\n".join(lines))
        (Path(tmp) / "post.lua").write_text(WRK_SCRIPT)
        env = os.environ | {"BENCH_LINES": f"{tmp}/lines.csv", "BENCH_TOKEN": token, "BENCH_PATH": path,
                            "BENCH_BODY": body}
        started = time.perf_counter()
        out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", f"{tmp}/post.lua", base],
                             env=env, capture_output=True, text=True, check=True).stdout
        elapsed = time.perf_counter() - started
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = re.search(r"Latency\s+(\S+)", out)
    return LoadRun(elapsed, latency.group(1) if latency else "?", int(errors.group(1)) if errors else 0)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
