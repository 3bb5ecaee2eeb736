"""`kordon intake smtp --port N`: receive mail for the crossing's intake address over SMTP (or LMTP)."""

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Intake by email: an SMTP (or LMTP) listener the site's mail server hands intake mail to."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        smtp = actions.add_parser("smtp", help="Listen for mail to the intake address")
        smtp.add_argument("--port", type=int, default=2525)
        smtp.add_argument("--host", default="127.0.0.1", help="Address to listen on (default: local only)")
        smtp.add_argument("--lmtp", action="store_true", help="Speak LMTP (for a local mail server) instead of SMTP")

    def handle(self, *args: Any, **options: Any) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.lmtp import LMTP

        from kordon.intake.mail import MAX_MESSAGE_BYTES, Receiver

        factory = {"server_class": LMTP} if options["lmtp"] else {}
        controller = Controller(Receiver(), hostname=options["host"], port=options["port"],
                                data_size_limit=MAX_MESSAGE_BYTES + 1024, **factory)  # type: ignore[arg-type]
        stopped = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stopped.set())
        controller.start()
        self.stdout.write(f"Receiving intake mail on {options['host']}:{options['port']}", ending="\n")
        self.stdout.flush()
        stopped.wait()
        controller.stop()
