"""The daily and frequent jobs, for machines without systemd timers or cron (containers, prod-local).

    python -m deploy.scheduler

Every minute it looks at what is due: `kordon overdue` and `kordon notifications resume` (sends a
killed worker left unfinished) every KORDON_OVERDUE_MINUTES (5), and once a
day after KORDON_DAILY_AT (UTC, "02:30") `kordon retention` and, when the root's key is on this machine
(KORDON_AUTHORITY_KEY, its passphrase in KORDON_AUTHORITY_PASSPHRASE), `kordon seals renew-crl`. When
each job last ran is kept in KORDON_SCHEDULER_STATE, so a restart neither skips nor repeats a day.
Each job is safe to run twice (they claim rows with conditional updates), so two schedulers are not
a fault, only wasted work. With systemd, use the timers of docs/deploy.md instead.
"""

import json
import logging
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

log = logging.getLogger("kordon.scheduler")
STATE = Path(os.environ.get("KORDON_SCHEDULER_STATE", "/var/lib/kordon/scheduler.json"))
KORDON = str(Path(sys.executable).parent / "kordon")
OVERDUE_SECONDS = int(os.environ.get("KORDON_OVERDUE_MINUTES", "5")) * 60
DAILY_AT = os.environ.get("KORDON_DAILY_AT", "02:30")
running = True


def jobs() -> dict[str, list[str]]:
    found = {"overdue": [KORDON, "overdue"], "notifications": [KORDON, "notifications", "resume"],
             "retention": [KORDON, "retention"]}
    key = os.environ.get("KORDON_AUTHORITY_KEY", "")
    if key and Path(key).exists():
        found["renew-crl"] = [KORDON, "seals", "renew-crl", "--authority-key", key]
    return found


def due(name: str, last: float, now: datetime) -> bool:
    if name in ("overdue", "notifications"):
        return now.timestamp() - last >= OVERDUE_SECONDS
    hour, minute = (int(part) for part in DAILY_AT.split(":"))
    today_at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return now >= today_at and last < today_at.timestamp()


def run_due(now: datetime) -> list[str]:
    state = json.loads(STATE.read_text()) if STATE.exists() else {}
    ran = []
    for name, command in jobs().items():
        if not due(name, float(state.get(name, 0)), now):
            continue
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        outcome = "ok" if done.returncode == 0 else f"failed ({done.returncode}): {done.stderr.strip()[-500:]}"
        print(json.dumps({"name": "kordon.scheduler", "job": name, "outcome": outcome,
                          "output": done.stdout.strip()[-500:], "at": now.isoformat()}), flush=True)
        if done.returncode == 0:
            state[name] = now.timestamp()
            ran.append(name)
    STATE.parent.mkdir(parents=True, exist_ok=True)
    STATE.write_text(json.dumps(state))
    return ran


def stop(signum: int, frame: FrameType | None) -> None:
    global running
    running = False


def main() -> int:
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while running:
        run_due(datetime.now(UTC))
        for _ in range(60):
            if not running:
                break
            time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
