"""The deployment's files: the Compose file validates (`docker compose config`), the image runs as a
user, nginx accepts the proxy's configuration, the scheduler runs each job when due and only then."""

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = dict(line.split("=", 1) for line in (ROOT / "deploy/compose.env.example").read_text().splitlines()
               if line and not line.startswith("#"))


def compose() -> list[str]:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.skip("neither `docker compose` nor Debian's docker-compose is installed (make compose-tool)")


def config(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "master.key").write_text("not-a-key")
    environment = {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
                   "KORDON_MASTER_KEY_PATH": str(tmp_path / "master.key")} | env
    return subprocess.run([*compose(), "-f", str(ROOT / "compose.yaml"), "--project-directory", str(ROOT), "config"],
                          env=environment, capture_output=True, text=True, timeout=60, check=False)


def test_the_compose_file_validates_with_the_full_topology(tmp_path):
    done = config(tmp_path, **EXAMPLE | {"KORDON_MASTER_KEY_PATH": str(tmp_path / "master.key")})
    assert done.returncode == 0, done.stderr
    for service in ("postgres:", "minio:", "migrate:", "app1:", "app2:", "worker:", "scheduler:", "proxy:"):
        assert f"  {service}" in done.stdout
    assert "443" in done.stdout and "kordon-documents" in done.stdout


def test_the_compose_file_refuses_to_run_without_its_secrets(tmp_path):
    done = config(tmp_path, **{k: v for k, v in EXAMPLE.items() if k != "KORDON_SECRET_KEY"})
    assert done.returncode != 0 and "KORDON_SECRET_KEY" in done.stderr


def test_the_image_runs_as_a_user_not_root():
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any("--require-hashes" in line for line in lines)
    assert "slim" in next(line for line in reversed(lines) if line.startswith("FROM "))


@pytest.mark.skipif(not shutil.which("nginx"), reason="Debian's nginx is not installed (make prod-local installs it)")
def test_nginx_accepts_the_proxy_configuration(tmp_path, monkeypatch):
    from deploy import prodlocal

    monkeypatch.setattr(prodlocal, "DIR", tmp_path)
    prodlocal.certificate()
    path = prodlocal.nginx_config()
    done = subprocess.run(["nginx", "-t", "-c", str(path), "-p", str(tmp_path)], capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    site = (tmp_path / "nginx/site.conf").read_text()
    assert "location = /metrics { return 404; }" in site and "$request_uri" not in site and "$uri" not in site


def test_the_scheduler_runs_each_job_when_due(tmp_path, monkeypatch):
    from deploy import scheduler

    calls = []
    monkeypatch.setattr(scheduler, "STATE", tmp_path / "state.json")
    monkeypatch.setattr(scheduler, "jobs", lambda: {"overdue": ["true", "overdue"], "retention": ["true", "ret"],
                                                    "broken": ["false"]})
    real_run = subprocess.run
    monkeypatch.setattr(scheduler.subprocess, "run", lambda cmd, **kw: calls.append(cmd[-1]) or real_run(cmd, **kw))
    morning = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    assert scheduler.run_due(morning) == ["overdue"]  # the daily ones wait for 02:30
    assert scheduler.run_due(morning.replace(minute=3)) == []  # overdue: every 5 minutes
    after = morning.replace(hour=2, minute=40)
    assert scheduler.run_due(after) == ["overdue", "retention"]
    assert scheduler.run_due(after.replace(hour=23)) == ["overdue"]  # retention: once a day
    assert "broken" not in json.loads((tmp_path / "state.json").read_text())  # a failed job is tried again
    assert calls.count("false") == 2  # due on both daily runs, since it never succeeded
