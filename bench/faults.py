"""`make faults`: kordon against real services that fail, and what it lost (nothing, it must be).

A PostgreSQL cluster of its own (initdb in a temporary directory, run as postgres on a free port:
restarting it troubles nobody else), the S3-protocol server (moto), two gunicorn app servers, a
worker and a local SMTP server. Each fault prints what was done and the counts:

1. PostgreSQL restarted in the middle of a stamping load; clients retry each stamp with its event_id
   until answered. Every stamp recorded exactly once; every answer during the outage a 503 in JSON.
2. The object store frozen (SIGSTOP) during uploads: each upload answered at once with a clear 503,
   no document recorded without its object; uploads and reads work again once it is back.
3. The worker killed (SIGKILL) in the middle of sending a mail: the send runs again after the lease,
   and one message arrives.
4. The two app servers asked to stamp the same traveller at the same moment: one stamp.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench import harness

BIN = Path(sys.executable).parent
PG_BIN = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
PARTIES = int(os.environ.get("FAULTS_PARTIES", "60"))


# ---------------------------------------------------------------------------------------------
# Services


class Cluster:
    """A PostgreSQL cluster in a temporary directory, owned by postgres, on a free port."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="kordon-faults-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.port = harness.free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/kordon"

    def _pg(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, cwd="/tmp")

    def create(self) -> None:
        self._pg(str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self._pg(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "kordon")

    def start(self) -> None:
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "-o",
                 f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Inbox:
    """A local SMTP server (aiosmtpd) that can hold one delivery at RCPT, to kill the sender midway."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[bytes] = []
        self.hold = threading.Event()
        self.holding = threading.Event()
        self.release = threading.Event()
        self.controller = Controller(self, hostname="127.0.0.1", port=harness.free_port())
        self.controller.start()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.hold.is_set():
            self.hold.clear()
            self.holding.set()
            self.release.wait(30)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 Message accepted for delivery"


class Topology:
    def __init__(self) -> None:
        self.cluster = Cluster()
        self.inbox = Inbox()
        self.s3_port = harness.free_port()
        self.ports = [harness.free_port(), harness.free_port()]
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.logs = Path(tempfile.mkdtemp(prefix="kordon-faults-logs-"))
        self.env = {
            "PATH": os.environ["PATH"], "HOME": str(self.logs), "DJANGO_SETTINGS_MODULE": "kordon.settings",
            **harness.SERVER_ENV, "KORDON_SECRET_KEY": "faults-secret-key-" + "x" * 32,
            "KORDON_SEAL_KEY_PASSPHRASE": "faults-seal-passphrase", "KORDON_LOG_LEVEL": "WARNING",
            "DATABASE_URL": self.cluster.url, "KORDON_DB_CONNECT_TIMEOUT": "2",
            "KORDON_S3_BUCKET": "faults", "KORDON_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.s3_port}",
            "KORDON_S3_ACCESS_KEY": "faults", "KORDON_S3_SECRET_KEY": "faults-secret", "KORDON_S3_REGION": "eu-central-1",
            "KORDON_S3_CONNECT_TIMEOUT": "1", "KORDON_S3_READ_TIMEOUT": "2",
            "KORDON_EMAIL_HOST": "127.0.0.1", "KORDON_EMAIL_PORT": str(self.inbox.controller.port),
            "KORDON_NOTIFY_LEASE_SECONDS": "3", "KORDON_VAR_DIR": str(self.logs / "var"),
        }

    def kordon(self, *args: str) -> str:
        return subprocess.run([str(BIN / "kordon"), *args], env=self.env, check=True, capture_output=True,
                              text=True, cwd=harness.ROOT).stdout

    def spawn(self, name: str, cmd: list[str], **env: str) -> None:
        out = (self.logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(cmd, env=self.env | env, cwd=harness.ROOT, stdout=out,
                                                stderr=subprocess.STDOUT)

    def worker(self) -> None:
        """The worker under a supervisor, as systemd's Restart=always or compose's restart policy keep it:
        started again whenever it ends (a lost database connection ends it)."""
        self.restarts = -1
        self.supervising = True

        def supervise() -> None:
            while self.supervising:
                self.restarts += 1
                self.spawn("worker", [str(BIN / "kordon"), "db_worker", "--no-reload", "--no-startup-delay",
                                      "--interval", "0.2"])
                self.processes["worker"].wait()
                time.sleep(1)

        threading.Thread(target=supervise, daemon=True).start()
        time.sleep(0.5)

    def queue_drained(self, seconds: float = 90) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.sql("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')")[0][0]:
                return True
            time.sleep(0.5)
        return False

    def up(self) -> None:
        self.cluster.create()
        self.spawn("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.s3_port)])
        harness._wait_for(self.s3_port)
        self.s3().create_bucket(Bucket="faults", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        self.kordon("migrate", "-v0")
        self.kordon("loaddemo")
        for index, port in enumerate(self.ports):
            self.spawn(f"app{index + 1}", [str(BIN / "gunicorn"), "-c", str(harness.ROOT / "deploy/gunicorn.conf.py"),
                                           "kordon.wsgi"], KORDON_BIND=f"127.0.0.1:{port}", KORDON_WORKERS="2",
                       PROMETHEUS_MULTIPROC_DIR=str(self.logs / f"metrics{index}"))
        for port in self.ports:
            harness._wait_for(port)
        self.worker()

    def down(self) -> None:
        self.supervising = False
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.inbox.controller.stop()
        self.cluster.destroy()

    def s3(self) -> Any:
        import boto3

        return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{self.s3_port}", region_name="eu-central-1",
                            aws_access_key_id="faults", aws_secret_access_key="faults-secret")

    def sql(self, query: str) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.cluster.port} user=postgres dbname=kordon") as db:
            return list(db.execute(query).fetchall())


@contextmanager
def topology() -> Iterator[Topology]:
    top = Topology()
    try:
        top.up()
        yield top
    finally:
        top.down()


# ---------------------------------------------------------------------------------------------
# HTTP


def call(url: str, body: Any = None, token: str = "", *, raw: bytes | None = None,
         content_type: str = "application/json", timeout: float = 30) -> tuple[int, str, Any]:
    """(status, content type, body); status 0 when the server could not be reached."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    if data is not None:
        request.add_header("Content-Type", content_type)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            status, kind, text = answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as refused:
        status, kind, text = refused.code, refused.headers.get("Content-Type", ""), refused.read()
    except OSError:
        return 0, "", None
    return status, kind, json.loads(text) if kind.startswith("application/json") else text


def file_parties(base: str, count: int) -> list[dict[str, Any]]:
    parties = []
    for index in range(count):
        person = {"surname": "Eriksson", "given_names": "Anna", "nationality": "NLD", "sex": "F",
                  "date_of_birth": "1980-01-31", "document_number": f"FT{index:07d}", "document_expiry": "2031-01-01"}
        for ahead in range(6, 30):
            body = {"crossing": "kyzyl-art", "direction": "TJ-KG",
                    "expected_date": (date.today() + timedelta(days=ahead)).isoformat(),
                    "contact": {"email": f"party{index}@example.org"}, "travellers": [person], "vehicle": None}
            status, _kind, answer = call(f"{base}/api/v1/notices", body)
            if status == 201:
                parties.append(answer)
                break
    return parties


def stamp_body(party: dict[str, Any], event_id: str) -> dict[str, Any]:
    return {"reference": party["reference"], "document_number": party["travellers"][0]["document_number"],
            "event_id": event_id, "reason": "faults: admitted ahead of the listed date"}


# ---------------------------------------------------------------------------------------------
# The faults


def database_restart(top: Topology, token: str) -> list[str]:
    parties = file_parties(f"http://127.0.0.1:{top.ports[0]}", PARTIES)
    answers: Counter[str] = Counter()
    bad: list[str] = []
    lock = threading.Lock()
    sent: list[str] = []

    def client(share: list[dict[str, Any]], port: int) -> None:
        for party in share:
            event_id = str(uuid.uuid4())
            with lock:
                sent.append(event_id)
            for _ in range(400):
                status, kind, body = call(f"http://127.0.0.1:{port}/api/v1/posts/kg-bordobo/stamps",
                                          stamp_body(party, event_id), token, timeout=15)
                with lock:
                    answers[str(status)] += 1
                if status in (200, 201):
                    if body.get("event_id") != event_id:
                        bad.append(f"{party['reference']}: answered another stamp")
                    break
                if status == 503 and kind.startswith("application/json"):
                    time.sleep(0.2)
                    continue
                if status == 0:
                    time.sleep(0.2)
                    continue
                bad.append(f"{status} {kind}: {str(body)[:120]}")
                time.sleep(0.2)
            time.sleep(0.05)

    clients = [threading.Thread(target=client, args=(parties[i::8], top.ports[i % 2])) for i in range(8)]
    for thread in clients:
        thread.start()
    time.sleep(1.0)
    top.cluster.stop()
    down = time.monotonic()
    time.sleep(3)
    top.cluster.start()
    outage = time.monotonic() - down
    for thread in clients:
        thread.join()
    references = ",".join(f"'{p['reference']}'" for p in parties)
    rows = top.sql("SELECT s.event_id::text FROM posts_stamp s JOIN notices_notice n ON n.id = s.notice_id "
                   f"WHERE n.reference IN ({references})")
    recorded = {row[0] for row in rows}
    return [
        f"PostgreSQL stopped for {outage:.1f} s in the middle of {len(parties)} stamps from 8 clients on 2 app servers",
        f"answers: {dict(sorted(answers.items()))} (0 = connection refused, 503 = JSON, retried)",
        f"sent {len(sent)}, recorded {len(rows)} ({len(recorded & set(sent))} with the client's event_id), "
        f"lost {len(set(sent) - recorded)}, duplicates {len(rows) - len(recorded)}",
        f"answers other than 2xx/503 JSON: {len(bad)}" + (f" e.g. {bad[0]}" if bad else ""),
    ]


def multipart(fields: dict[str, str], data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\n'
                 "Content-Type: image/jpeg\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 60, 30)).save(out, "JPEG")
    return out.getvalue()


def store_frozen(top: Topology) -> list[str]:
    base = f"http://127.0.0.1:{top.ports[1]}"
    parties = file_parties(base, 6)

    def upload(party: dict[str, Any]) -> tuple[int, str, Any, float]:
        raw, kind = multipart({"kind": "passport", "traveller_id": str(party["travellers"][0]["id"])}, jpeg())
        started = time.monotonic()
        status, ctype, body = call(f"{base}/api/v1/notices/{party['reference']}/documents", token=party["access_token"],
                                   raw=raw, content_type=kind)
        return status, ctype, body, time.monotonic() - started

    before = [upload(p) for p in parties[:2]]
    s3 = top.processes["s3"]
    s3.send_signal(signal.SIGSTOP)
    during = [upload(p) for p in parties[2:4]]
    s3.send_signal(signal.SIGCONT)
    after = [upload(p) for p in parties[4:]]
    refs = ",".join(f"'{p['reference']}'" for p in parties)
    rows = top.sql("SELECT d.content_name, d.preview_name FROM documents_document d JOIN notices_notice n ON "
                   f"n.id = d.notice_id WHERE n.reference IN ({refs})")
    keys = {o["Key"] for o in top.s3().list_objects_v2(Bucket="faults").get("Contents", [])}
    missing = [name for row in rows for name in row if name and name not in keys]
    ok = sum(1 for r in before + after if r[0] == 201)
    clear = sum(1 for r in during if r[0] == 503 and r[1].startswith("application/json"))
    reads = 0
    for party in parties:
        status, _k, _listing = call(f"{base}/api/v1/notices/{party['reference']}", token=party["access_token"])
        reads += status == 200
    return [
        "object store frozen (SIGSTOP) during 2 of 6 uploads",
        f"during: {[r[0] for r in during]} in {max(r[3] for r in during):.1f} s at most, "
        f"{clear} of {len(during)} a 503 in JSON ({during[0][2]['errors'][0]['code'] if clear else '?'})",
        f"before and after: {ok} of {len(before) + len(after)} stored",
        f"sent {len(parties)}, recorded {len(rows)}, lost {len(before) + len(after) - ok}, "
        f"half-stored (row without its objects) {len(missing)}; notices read after: {reads} of {len(parties)}",
    ]


def worker_killed(top: Topology) -> list[str]:
    drained = top.queue_drained()
    restarts = top.restarts
    (party,) = file_parties(f"http://127.0.0.1:{top.ports[0]}", 1)
    top.queue_drained()
    time.sleep(1)
    top.inbox.messages.clear()
    top.inbox.hold.set()
    status, _kind, _body = call(f"http://127.0.0.1:{top.ports[0]}/api/v1/notices/{party['reference']}/cancel", {},
                                party["access_token"])
    held = top.inbox.holding.wait(60)
    top.processes["worker"].send_signal(signal.SIGKILL)  # the supervisor starts a new one
    time.sleep(0.5)
    top.inbox.release.set()
    time.sleep(0.5)
    during = len(top.inbox.messages)
    time.sleep(3.5)  # the dead worker's lease runs out
    resumed = top.kordon("notifications", "resume").strip()  # what the scheduler runs every 5 minutes
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not top.inbox.messages:
        time.sleep(0.2)
    time.sleep(2)
    mine = [m for m in top.inbox.messages if b"cancel" in m.lower()]
    return [
        f"(the worker was started again {restarts} time(s) by its supervisor after the database restart; "
        f"queue drained: {drained})",
        f"cancellation {status}; worker killed (SIGKILL) while its mail was held at SMTP RCPT: {held}",
        f"messages when killed: {during}; after the lease, `kordon notifications resume`: {resumed!r}",
        f"sent 1 (the cancellation mail), delivered {len(mine)}, lost {1 - min(len(mine), 1)}, "
        f"duplicates {max(len(mine) - 1, 0)}",
    ]


def same_traveller(top: Topology, token: str) -> list[str]:
    parties = file_parties(f"http://127.0.0.1:{top.ports[0]}", 20)
    results: list[tuple[int, int]] = []
    for party in parties:
        barrier = threading.Barrier(2)
        answers: list[Any] = [None, None]

        def press(index: int, party: dict[str, Any] = party, barrier: threading.Barrier = barrier,
                  answers: list[Any] = answers) -> None:
            barrier.wait()
            answers[index] = call(f"http://127.0.0.1:{top.ports[index]}/api/v1/posts/kg-bordobo/stamps",
                                  stamp_body(party, str(uuid.uuid4())), token)

        threads = [threading.Thread(target=press, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        results.append((answers[0][0], answers[1][0]))
    refs = ",".join(f"'{p['reference']}'" for p in parties)
    count = top.sql(f"SELECT count(*) FROM posts_stamp s JOIN notices_notice n ON n.id = s.notice_id "
                    f"WHERE n.reference IN ({refs})")[0][0]
    pairs = Counter(tuple(sorted(r)) for r in results)
    return [
        f"{len(parties)} travellers, each stamped by both app servers at the same moment (different event_ids)",
        f"answer pairs: {dict(pairs)} (201 made it, 200 got the stamp already made)",
        f"sent {2 * len(parties)}, recorded {count} (one per traveller: {count == len(parties)}), lost "
        f"{len(parties) - count if count <= len(parties) else 0}, duplicates {max(count - len(parties), 0)}",
    ]


def run() -> list[str]:
    if os.geteuid() != 0:
        return ["faults: needs root (runs its own PostgreSQL cluster as postgres)"]
    lines: list[str] = []
    with topology() as top:
        token = top.kordon("createofficer", "faults-supervisor", "--post", "kg-bordobo",
                           "--role", "supervisor").strip().splitlines()[-1].split()[-1]
        for title, fault in (("1. PostgreSQL restarted under a stamping load", lambda: database_restart(top, token)),
                             ("2. object store unreachable during uploads", lambda: store_frozen(top)),
                             ("3. worker killed mid-task", lambda: worker_killed(top)),
                             ("4. two app servers stamp the same traveller at once", lambda: same_traveller(top, token))):
            print(title, flush=True)
            for line in fault():
                print(f"   {line}", flush=True)
                lines.append(line)
    return lines


def failed(lines: list[str]) -> list[str]:
    """The lines that report a loss, a duplicate, a half-stored document or an answer not JSON."""
    import re

    return [line for line in lines if re.search(r"(lost|duplicates|half-stored[^0-9]*|other than 2xx/503 JSON:) [1-9]",
                                                line)]


if __name__ == "__main__":
    bad = failed(run())
    print("faults: " + ("FAILED: " + "; ".join(bad) if bad else "nothing lost, nothing doubled"), flush=True)
    sys.exit(1 if bad else 0)
