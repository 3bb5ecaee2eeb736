"""A worker killed while sending leaves the notification to the next worker: exactly one message arrives."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from tests.conftest import SmtpInbox, free_port

KORDON = str(Path(sys.executable).parent / "kordon")

FILE_AND_CANCEL = """
from datetime import timedelta
from kordon.crossings.models import Crossing, Post
from kordon.notices import services
from kordon.notices.services import NoticeInput, TravellerInput
from datetime import date
crossing = Crossing.objects.get(slug="kyzyl-art")
day = Post.objects.get(code="kg-bordobo").local_today() + timedelta(days=8)
t = TravellerInput("Eriksson", "Anna", "NLD", "F", date(1980, 1, 31), "NX4HK2LP1", date(2031, 1, 1))
filed = services.file_notice(NoticeInput(crossing, "TJ-KG", day, [t], email="anna@example.org"))
services.cancel_notice(filed.notice)
"""


class StallingInbox(SmtpInbox):
    """Holds the first delivery at RCPT until released, so the test can kill the sender mid-send."""

    def __init__(self) -> None:
        super().__init__()
        self.sending = threading.Event()
        self.release = threading.Event()
        self.stalled = False

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if not self.stalled:
            self.stalled = True
            self.sending.set()
            self.release.wait(30)
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_send_killed_midway_is_sent_once_after_the_worker_restarts(tmp_path):
    inbox = StallingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KORDON_", "DJANGO_", "DATABASE_URL"))}
    env = clean | {"KORDON_DEBUG": "true", "KORDON_VAR_DIR": str(tmp_path),
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}", "KORDON_EMAIL_HOST": "127.0.0.1",
                   "KORDON_EMAIL_PORT": str(controller.port), "KORDON_NOTIFY_LEASE_SECONDS": "2"}

    def kordon(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([KORDON, *args], env=env, capture_output=True, text=True, timeout=120, check=True)

    try:
        kordon("migrate", "-v0")
        kordon("loaddemo")
        kordon("shell", "-c", FILE_AND_CANCEL)
        worker = subprocess.Popen([KORDON, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert inbox.sending.wait(60), "the worker never started sending"
        worker.send_signal(signal.SIGKILL)  # no clean shutdown: the process dies in the middle of SMTP
        worker.wait(10)
        inbox.release.set()
        time.sleep(0.5)
        assert inbox.messages == []

        time.sleep(2)  # the dead worker's lease runs out
        assert "Queued 1 notifications" in kordon("notifications", "resume").stdout
        kordon("db_worker", "--batch", "--no-startup-delay")
        kordon("notifications", "resume")
        kordon("db_worker", "--batch", "--no-startup-delay")
    finally:
        inbox.release.set()
        controller.stop()
    [message] = inbox.messages
    assert "is cancelled" in message["Subject"]
    assert message["To"] == "anna@example.org"
