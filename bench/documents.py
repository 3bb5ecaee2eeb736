"""Documents stored per second, and the peak memory of a worker storing them.

Each figure comes from a fresh worker process (Django set up and its URLs loaded, as a web worker
has them) that stores uploads through `kordon.documents.services.store_document`: sanitize
(decode, re-encode), encrypt content and preview, write both to local disk, insert the row. The
database is a throw-away SQLite file: the row is a small share of the work. Peak memory is the
worker's VmHWM (the most resident memory it ever had), target under 150 MB.

Run alone with `.venv/bin/python -m bench.documents`.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageFile

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = int(os.environ.get("BENCH_DOCUMENT_PHOTOS", "20"))
LIMIT = 10 * 1024 * 1024
ENV = {
    "KORDON_SECRET_KEY": "bench-secret-key", "KORDON_ALLOWED_HOSTS": "localhost", "KORDON_LOG_LEVEL": "ERROR",
    "KORDON_MASTER_KEY_ID": "bench", "KORDON_MASTER_KEY": "YmVuY2gtbWFzdGVyLWtleS1ub3QtYS1zZWNyZXQhISE=",
    "DJANGO_SETTINGS_MODULE": "kordon.settings",
}


# --- inputs ----------------------------------------------------------------------------------


def _noise(size: tuple[int, int], blur: int = 1) -> Image.Image:
    """A picture that compresses about as badly as a detailed photo (``blur`` > 1: a smoother one)."""
    small = (max(1, size[0] // blur), max(1, size[1] // blur))
    image = Image.merge("RGB", [Image.effect_noise(small, sigma) for sigma in (60, 70, 80)])
    return image if blur == 1 else image.resize(size)


def _encoded(image: Image.Image, fmt: str, **params: object) -> bytes:
    ImageFile.MAXBLOCK = 64 * 2**20  # progressive JPEG of a detailed picture needs one buffer for all of it
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def phone_photo() -> bytes:
    """A 12 MP (4000 x 3000) camera JPEG just under the 10 MB limit."""
    image = _noise((4000, 3000))
    for quality in range(92, 60, -2):
        data = _encoded(image, "JPEG", quality=quality)
        if len(data) <= LIMIT * 0.95:
            return data
    return data


def _at_limit(megapixels: float, make: Callable[[Image.Image], bytes]) -> bytes:
    """A 4:3 picture of ``megapixels``, as detailed as still fits under the upload limit."""
    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    return _sized((width, int(megapixels * 1e6) // width), make)


def _sized(size: tuple[int, int], make: Callable[[Image.Image], bytes]) -> bytes:
    """A picture of ``size``, as detailed as still fits under the upload limit."""
    for blur in (2, 4, 8, 16, 32, 64, 128):
        data = make(_noise(size, blur))
        if len(data) <= LIMIT * 0.95:
            return data
    return data


def worst_cases() -> dict[str, bytes]:
    """The most expensive file of each kind the pixel limits still accept (kordon.documents.limits)."""
    from kordon.documents import limits

    budget = limits.DECODE_BUDGET
    return {
        "baseline JPEG, 40 MP": _at_limit(39.5, lambda i: _encoded(i, "JPEG", quality=85)),
        "baseline JPEG, 3999 x 2999 (just under twice the output)": _sized(
            (3999, 2999), lambda i: _encoded(i, "JPEG", quality=90)),
        "progressive JPEG 4:2:0": _at_limit(budget / 5 / 1e6 * 0.98, lambda i: _encoded(
            i, "JPEG", quality=90, progressive=True)),
        "progressive JPEG 4:4:4": _at_limit(budget / 11 / 1e6 * 0.98, lambda i: _encoded(
            i, "JPEG", quality=90, progressive=True, subsampling=0)),
        "colour PNG": _at_limit(budget / 9 / 1e6 * 0.98, lambda i: _encoded(i, "PNG")),
        "transparent PNG": _at_limit(budget / 17 / 1e6 * 0.98, lambda i: _encoded(i.convert("RGBA"), "PNG")),
        "greyscale PNG": _at_limit(budget / 2 / 1e6 * 0.98, lambda i: _encoded(i.convert("L"), "PNG")),
        "WebP": _at_limit(budget / 22 / 1e6 * 0.98, lambda i: _encoded(i, "WEBP", quality=80)),
    }


# --- the worker ------------------------------------------------------------------------------


def _status(field: str) -> int:
    """A field of /proc/self/status in kB (VmRSS: resident now, VmHWM: the most ever resident)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def worker(sample: str, count: int) -> dict[str, float]:
    """In a fresh process: store ``sample`` ``count`` times as a passport copy; return the figures."""
    import django

    django.setup()
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - load every view module, as a serving worker has them
    from kordon.audit.services import TRAVELLER
    from kordon.documents.services import store_document
    from kordon.notices.models import Notice

    notice = Notice.objects.select_related("crossing").get()
    traveller = notice.travellers.get()
    baseline = _status("VmRSS")
    started = time.perf_counter()
    for _ in range(count):
        # As Django hands over an upload of more than 2.5 MB: a temporary file, read by the sanitizer.
        with open(sample, "rb") as upload:
            store_document(notice, kind="passport", upload=upload, actor=TRAVELLER, traveller_id=traveller.pk)
    elapsed = time.perf_counter() - started
    return {"per_second": count / elapsed, "seconds": elapsed, "baseline_mb": baseline / 1024,
            "peak_mb": _status("VmHWM") / 1024, "input_mb": Path(sample).stat().st_size / 2**20}


def _prepare(env: dict[str, str]) -> None:
    """Migrate a throw-away database and file one notice to attach documents to."""
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "from datetime import date, timedelta; from decimal import Decimal\n"
        "from kordon.crossings.demo import load_kyzyl_art; from kordon.notices.models import Notice, Traveller\n"
        "c = load_kyzyl_art(); d = c.directions.get(code='TJ-KG')\n"
        "n = Notice.objects.create(reference='BENCH00000', access_token_hash='0'*64, crossing=c, direction=d,"
        " expected_date=date.today() + timedelta(days=10), fee_total=Decimal('15'), fee_currency='USD')\n"
        "Traveller.objects.create(notice=n, surname='Bench', nationality='NLD', sex='F',"
        " date_of_birth=date(1980, 1, 1), document_number='B1234567', document_expiry=date(2035, 1, 1))\n"
    )
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True)


def _measure(env: dict[str, str], sample: Path, count: int) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-m", "bench.documents", "--worker", str(sample), str(count)],
                          env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the worker failed on {sample}:\n{done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run() -> list[str]:
    with tempfile.TemporaryDirectory(prefix="kordon-bench-documents-") as tmp:
        env = os.environ | ENV | {"KORDON_VAR_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        _prepare(env)
        photo = Path(tmp) / "photo.jpg"
        photo.write_bytes(phone_photo())
        figures = _measure(env, photo, PHOTOS)
        lines = [
            f"documents stored per second, one worker, a {figures['input_mb']:.1f} MB 12 MP phone photo "
            f"(decode, re-encode to 2000 px, encrypt content and preview, write to local disk, insert the row): "
            f"{figures['per_second']:.1f}/s ({PHOTOS} in {figures['seconds']:.1f} s)",
            f"peak resident memory of that worker: {figures['peak_mb']:.0f} MB "
            f"({figures['baseline_mb']:.0f} MB before the first upload; target < 150 MB)",
        ]
        for name, data in worst_cases().items():
            sample = Path(tmp) / "worst"
            sample.write_bytes(data)
            peak = _measure(env, sample, 1)
            lines.append(f"peak resident memory, one upload of the largest accepted {name} "
                         f"({peak['input_mb']:.1f} MB): {peak['peak_mb']:.0f} MB")
        return lines


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        print(json.dumps(worker(sys.argv[2], int(sys.argv[3]))))
    else:
        for line in run():
            print(line)
