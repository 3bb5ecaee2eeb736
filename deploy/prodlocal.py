"""`make prod-local`: kordon's production topology on this machine, from Debian and PyPI packages.

    python -m deploy.prodlocal start   # PostgreSQL database, bucket, two app servers, worker, scheduler, nginx
    python -m deploy.prodlocal check   # end to end through TLS: health, file, upload, stamp on both servers
    python -m deploy.prodlocal stop    # stop what `start` started (by the pids it wrote)

Everything lives in var/prod-local/ (PROD_LOCAL_DIR): the generated secrets (kordon.env, mode 600),
the certificate, nginx's configuration, logs and pid files. The machine's PostgreSQL gets a role and a
database of its own (`runuser -u postgres`); documents go to the S3-protocol server the suite uses
(moto), in a bucket of their own. Ports: PROD_LOCAL_PORT (TLS, default 18443), the app servers on the
next ones of PROD_LOCAL_APP_PORT (18101, 18102), the bucket on PROD_LOCAL_S3_PORT (19000).
"""

import base64
import json
import os
import secrets
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DIR = Path(os.environ.get("PROD_LOCAL_DIR", ROOT / "var" / "prod-local"))
TLS_PORT = int(os.environ.get("PROD_LOCAL_PORT", "18443"))
APP_PORTS = [int(os.environ.get("PROD_LOCAL_APP_PORT", "18101")) + i for i in range(2)]
S3_PORT = int(os.environ.get("PROD_LOCAL_S3_PORT", "19000"))
DB_NAME = DB_USER = os.environ.get("PROD_LOCAL_DB", "kordon_local")
BUCKET = "kordon-documents"
BASE = f"https://localhost:{TLS_PORT}"


def log(text: str) -> None:
    print(f"prod-local: {text}", flush=True)


# ---------------------------------------------------------------------------------------------
# Configuration, generated once


def settings() -> dict[str, str]:
    """The servers' environment (var/prod-local/kordon.env): secrets made on the first start, kept after."""
    path = DIR / "kordon.env"
    if not path.exists():
        DIR.mkdir(parents=True, exist_ok=True)
        values = {
            "KORDON_SECRET_KEY": secrets.token_urlsafe(50),
            "KORDON_ALLOWED_HOSTS": "localhost,127.0.0.1",
            "KORDON_CSRF_TRUSTED_ORIGINS": BASE,
            "KORDON_BEHIND_TLS_PROXY": "true",
            "KORDON_BASE_URL": BASE,
            "DATABASE_URL": f"postgres://{DB_USER}:{secrets.token_hex(16)}@127.0.0.1:5432/{DB_NAME}",
            "KORDON_S3_BUCKET": BUCKET,
            "KORDON_S3_ENDPOINT_URL": f"http://127.0.0.1:{S3_PORT}",
            "KORDON_S3_ACCESS_KEY": "kordon-local", "KORDON_S3_SECRET_KEY": secrets.token_hex(16),
            "KORDON_S3_REGION": "eu-central-1",
            "KORDON_MASTER_KEY_ID": f"local-{date.today():%Y%m%d}",
            "KORDON_MASTER_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            "KORDON_SEAL_KEY_PASSPHRASE": secrets.token_urlsafe(24),
            "KORDON_AUTHORITY_PASSPHRASE": secrets.token_urlsafe(24),
            "KORDON_METRICS_TOKEN": secrets.token_urlsafe(24),
            "KORDON_VAR_DIR": str(DIR / "var"),
            "KORDON_LOG_LEVEL": "INFO",
        }
        old = os.umask(0o077)
        try:
            path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
        finally:
            os.umask(old)
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line and not line.startswith("#"))
    return {k: v for k, v in pairs}


def environment() -> dict[str, str]:
    return {"PATH": f"{BIN}:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(DIR), "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "kordon.settings", "PYTHONPATH": str(ROOT)} | settings()


def kordon(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "kordon"), *args], env=environment(), cwd=ROOT, check=check,
                          capture_output=True, text=True)


# ---------------------------------------------------------------------------------------------
# The pieces


def database() -> None:
    url = settings()["DATABASE_URL"]
    password = url.split(":")[2].split("@")[0]
    sql = (f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{DB_USER}') THEN "
           f"CREATE ROLE {DB_USER} LOGIN PASSWORD '{password}'; ELSE ALTER ROLE {DB_USER} PASSWORD '{password}'; "
           "END IF; END $$;")
    as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_postgres, "psql", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True)
    found = subprocess.run([*as_postgres, "psql", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"],
                           check=True, capture_output=True, text=True).stdout.strip()
    if not found:
        subprocess.run([*as_postgres, "createdb", "-O", DB_USER, DB_NAME], check=True)
    log(f"PostgreSQL database {DB_NAME} (role {DB_USER}) ready")


def certificate() -> Path:
    cert, key = DIR / "tls.crt", DIR / "tls.key"
    if not cert.exists():
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "90", "-subj",
                        "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
        key.chmod(0o600)
    return cert


NGINX = """# Written by deploy/prodlocal.py from deploy/nginx/kordon.conf's pattern.
worker_processes 1;
pid {dir}/nginx/master.pid;  # not nginx.pid: that file is the one `spawn` keeps
error_log {dir}/logs/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {dir}/nginx/body; proxy_temp_path {dir}/nginx/proxy;
    fastcgi_temp_path {dir}/nginx/fastcgi; uwsgi_temp_path {dir}/nginx/uwsgi; scgi_temp_path {dir}/nginx/scgi;
    include {upstreams};
    include {site};
}}
"""


def nginx_config() -> Path:
    for sub in ("nginx", "logs"):
        (DIR / sub).mkdir(parents=True, exist_ok=True)
    upstreams = DIR / "nginx" / "upstreams.conf"
    upstreams.write_text("upstream kordon {\n" + "".join(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=5s;\n"
                                                        for p in APP_PORTS) + "    keepalive 32;\n}\n")
    site = (ROOT / "deploy" / "nginx" / "kordon.conf").read_text()
    site = (site.replace("listen 443 ssl;", f"listen 127.0.0.1:{TLS_PORT} ssl;")
            .replace("listen [::]:443 ssl;", "")
            .replace("/etc/ssl/kordon/tls.crt", str(DIR / "tls.crt")).replace("/etc/ssl/kordon/tls.key", str(DIR / "tls.key"))
            .replace("/var/log/nginx/kordon-access.log", str(DIR / "logs" / "nginx-access.log")))
    (DIR / "nginx" / "site.conf").write_text(site)
    path = DIR / "nginx" / "nginx.conf"
    path.write_text(NGINX.format(dir=DIR, upstreams=upstreams, site=DIR / "nginx" / "site.conf"))
    return path


def spawn(name: str, cmd: list[str], env: dict[str, str] | None = None) -> None:
    pidfile = DIR / f"{name}.pid"
    if pidfile.exists() and alive(int(pidfile.read_text())):
        log(f"{name} already runs (pid {pidfile.read_text().strip()})")
        return
    (DIR / "logs").mkdir(parents=True, exist_ok=True)
    out = (DIR / "logs" / f"{name}.log").open("ab")
    process = subprocess.Popen(cmd, cwd=ROOT, env=env or environment(), stdout=out, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    pidfile.write_text(str(process.pid))
    log(f"{name} started (pid {process.pid}, log {DIR / 'logs' / (name + '.log')})")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def wait_http(url: str, seconds: float = 60, context: ssl.SSLContext | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=3, context=context):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {seconds:.0f} s") from None
            time.sleep(0.3)


def bucket() -> None:
    import boto3

    values = settings()
    client = boto3.client("s3", endpoint_url=values["KORDON_S3_ENDPOINT_URL"], region_name=values["KORDON_S3_REGION"],
                          aws_access_key_id=values["KORDON_S3_ACCESS_KEY"],
                          aws_secret_access_key=values["KORDON_S3_SECRET_KEY"])
    names = [b["Name"] for b in client.list_buckets().get("Buckets", [])]
    if BUCKET not in names:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": values["KORDON_S3_REGION"]})
    log(f"bucket {BUCKET} ready at {values['KORDON_S3_ENDPOINT_URL']}")


def seals_and_accounts() -> None:
    authority = DIR / "authority-kg.key"  # in production: on the offline machine of key custody (docs/deploy.md)
    if not authority.exists():
        kordon("seals", "init-authority", "--country", "KG", "--name", "Kyrgyz border service (prod-local)",
               "--key-out", str(authority))
        kordon("seals", "new-signer", "--authority-key", str(authority))
    tokens = DIR / "tokens.json"
    if not tokens.exists():
        made = {}
        for username, role in (("local-officer", "officer"), ("local-supervisor", "supervisor")):
            done = kordon("createofficer", username, "--post", "kg-bordobo", "--role", role)
            made[role] = done.stdout.strip().splitlines()[-1].split()[-1]
        old = os.umask(0o077)
        try:
            tokens.write_text(json.dumps(made))
        finally:
            os.umask(old)
    log("seal authority, signer and two officer accounts ready")


def start() -> None:
    DIR.mkdir(parents=True, exist_ok=True)
    settings()
    database()
    spawn("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(S3_PORT)])
    wait_http(f"http://127.0.0.1:{S3_PORT}/")
    bucket()
    kordon("migrate", "--no-input", "-v0")
    kordon("collectstatic", "--no-input", "-v0")
    kordon("loaddemo")
    seals_and_accounts()
    gunicorn = [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "kordon.wsgi"]
    for index, port in enumerate(APP_PORTS):
        spawn(f"app{index + 1}", gunicorn, environment() | {
            "KORDON_BIND": f"127.0.0.1:{port}", "KORDON_WORKERS": "2", "KORDON_PROC_NAME": f"kordon-app{index + 1}",
            "PROMETHEUS_MULTIPROC_DIR": str(DIR / f"metrics-app{index + 1}")})
    spawn("worker", [str(BIN / "kordon"), "db_worker", "--no-reload"])
    spawn("scheduler", [str(BIN / "python"), "-m", "deploy.scheduler"], environment() | {
        "KORDON_AUTHORITY_KEY": str(DIR / "authority-kg.key"), "KORDON_SCHEDULER_STATE": str(DIR / "scheduler.json")})
    for port in APP_PORTS:
        wait_http(f"http://127.0.0.1:{port}/health/live")
    certificate()
    spawn("nginx", ["nginx", "-c", str(nginx_config()), "-p", str(DIR), "-g", "daemon off;"], os.environ.copy())
    wait_http(f"{BASE}/health/live", context=tls())
    log(f"serving {BASE}/ (certificate {DIR / 'tls.crt'}); check with `make prod-local-check`")


def stop() -> None:
    for name in ("nginx", "scheduler", "worker", "app2", "app1", "s3"):
        pidfile = DIR / f"{name}.pid"
        if not pidfile.exists():
            continue
        pid = int(pidfile.read_text())
        if alive(pid):
            os.killpg(pid, signal.SIGTERM)
            for _ in range(100):
                if not alive(pid):
                    break
                time.sleep(0.1)
            log(f"{name} stopped")
        pidfile.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# The end-to-end check


def tls() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(DIR / "tls.crt"))


def call(method: str, url: str, body: Any = None, token: str = "", *, raw: bytes | None = None,
         content_type: str = "application/json") -> tuple[int, dict[str, str], Any]:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", content_type)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    context = tls() if url.startswith("https") else None
    try:
        with urllib.request.urlopen(request, timeout=30, context=context) as answer:
            status, headers, text = answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as refused:
        status, headers, text = refused.code, dict(refused.headers), refused.read()
    kind = headers.get("Content-Type", "")
    return status, headers, json.loads(text) if kind.startswith("application/json") else text


def expect(what: str, ok: bool, detail: Any = "") -> None:
    print(f"  {'ok ' if ok else 'FAILED'} {what}" + (f": {detail}" if detail and not ok else ""), flush=True)
    if not ok:
        raise SystemExit(1)


def jpeg() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 "Content-Type: image/jpeg\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def file_notice() -> dict[str, Any]:
    """File a party of two for the first date the crossing takes (lead time, open days)."""
    people = [{"surname": "Eriksson", "given_names": "Anna", "nationality": "NLD", "sex": "F",
               "date_of_birth": "1980-01-31", "document_number": f"NX{secrets.token_hex(3).upper()}",
               "document_expiry": "2031-01-01"} for _ in range(2)]
    people[1]["given_names"] = "Lars"
    last: Any = None
    for ahead in range(6, 30):
        body = {"crossing": "kyzyl-art", "direction": "TJ-KG", "expected_date": (date.today() + timedelta(days=ahead)).isoformat(),
                "contact": {"email": "anna@example.org"}, "travellers": people, "vehicle": None}
        status, _headers, last = call("POST", f"{BASE}/api/v1/notices", body)
        if status == 201:
            return dict(last)
    raise SystemExit(f"filing was refused for every date: {last}")


def check() -> None:
    import boto3

    values = settings()
    tokens = json.loads((DIR / "tokens.json").read_text())
    print(f"prod-local check against {BASE}", flush=True)
    status, headers, body = call("GET", f"{BASE}/health/ready")
    expect("ready through the TLS proxy (database, migrations, bucket)", status == 200, body)
    expect("the answer carries a request id", bool(headers.get("X-Request-ID")))
    expect("HSTS on the TLS answer", "max-age" in headers.get("Strict-Transport-Security", ""), headers)
    status, _h, _b = call("GET", f"{BASE}/metrics", token=values["KORDON_METRICS_TOKEN"])
    expect("metrics are not served through the proxy", status == 404, status)
    status, _h, text = call("GET", f"http://127.0.0.1:{APP_PORTS[0]}/metrics", token=values["KORDON_METRICS_TOKEN"])
    expect("metrics on the internal port with the token", status == 200 and b"kordon_http_requests_total" in text)

    notice = file_notice()
    expect(f"notice {notice['reference']} filed through the proxy", True)
    payload, kind = multipart({"kind": "passport", "traveller_id": str(notice["travellers"][0]["id"])}, "passport.jpg",
                              jpeg())
    status, _h, document = call("POST", f"{BASE}/api/v1/notices/{notice['reference']}/documents",
                                token=notice["access_token"], raw=payload, content_type=kind)
    expect("passport photo uploaded", status == 201, document)
    client = boto3.client("s3", endpoint_url=values["KORDON_S3_ENDPOINT_URL"], region_name=values["KORDON_S3_REGION"],
                          aws_access_key_id=values["KORDON_S3_ACCESS_KEY"],
                          aws_secret_access_key=values["KORDON_S3_SECRET_KEY"])
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    newest = max(objects, key=lambda o: o["LastModified"]) if objects else None
    stored = client.get_object(Bucket=BUCKET, Key=newest["Key"])["Body"].read() if newest else b""
    expect("the document is in the bucket, encrypted (no JPEG inside)", bool(stored) and b"JFIF" not in stored)
    status, _h, _read = call("GET", f"{BASE}/api/v1/notices/{notice['reference']}/documents/{document['id']}",
                            token=notice["access_token"])
    expect("and reads back through the proxy", status == 200, status)

    servers: set[str] = set()
    event_ids = []
    for person in notice["travellers"]:
        event_id = str(uuid.uuid4())
        body = {"reference": notice["reference"], "document_number": person["document_number"],
                "event_id": event_id, "reason": "prod-local check: admitted ahead of the listed date"}
        status, headers, stamp = call("POST", f"{BASE}/api/v1/posts/kg-bordobo/stamps", body, tokens["supervisor"])
        expect(f"stamp of {person['given_names']} (via {headers.get('X-Upstream')})", status == 201, stamp)
        servers.add(headers.get("X-Upstream", ""))
        event_ids.append((event_id, body))
    expect("the two stamps were made by the two app servers", len(servers) == 2, servers)
    for port in APP_PORTS:  # the same stamp again, on each server directly: the same stamp answered, none added
        status, _h, again = call("POST", f"http://127.0.0.1:{port}/api/v1/posts/kg-bordobo/stamps", event_ids[0][1],
                                 tokens["supervisor"])
        expect(f"a replay on 127.0.0.1:{port} returns the same stamp", status == 200 and
               again.get("event_id") == event_ids[0][0], (status, again))
    status, _h, party = call("GET", f"{BASE}/api/v1/notices/{notice['reference']}", token=notice["access_token"])
    expect("the notice is entered, once", status == 200 and party.get("status") == "entered", party.get("status"))
    print("prod-local check: all passed", flush=True)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "start"
    {"start": start, "stop": stop, "check": check}[command]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
