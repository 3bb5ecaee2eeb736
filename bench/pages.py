"""Page weights: what a traveller's phone downloads for each page, compressed, with everything the
page loads (styles, scripts, images), served as in production (gunicorn, DEBUG off, WhiteNoise with
hashed, precompressed static files). Budgets: the filing form ≤ 60 KB, every traveller page ≤ 100 KB,
and nothing from another host. Run alone with `.venv/bin/python -m bench.pages`.

Needs no benchmark database: a fresh SQLite database in a temporary directory, the demo crossing,
one notice filed over the API.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlparse

from bench import harness

FORM_BUDGET = 60 * 1024
PAGE_BUDGET = 100 * 1024
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"')


# Keeps cookies like a phone's browser: the notice's link trades its token for one (kordon.notices.links).
_BROWSER = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())


@dataclass(frozen=True)
class Fetched:
    url: str
    size: int  # bytes on the wire (compressed when the server compresses)
    encoding: str
    cache_control: str


def fetch(url: str) -> tuple[Fetched, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip"})  # noqa: S310 - our own server
    with _BROWSER.open(request, timeout=30) as response:
        body = response.read()
        return Fetched(url, len(body), response.headers.get("Content-Encoding", "identity"),
                       response.headers.get("Cache-Control", "")), body


def html_of(url: str) -> str:
    with _BROWSER.open(url, timeout=30) as response:
        return str(response.read().decode())


def weigh(base: str, path: str) -> tuple[int, list[Fetched], list[str]]:
    """The page and each asset it refers to: total compressed bytes, the parts, and foreign hosts."""
    page, _ = fetch(base + path)
    parts, foreign = [page], []
    for ref in sorted(set(ASSET.findall(html_of(base + path)))):
        if ref.startswith("data:"):
            continue
        url = urljoin(base + path, ref)
        if urlparse(url).netloc != urlparse(base).netloc:
            foreign.append(url)
            continue
        parts.append(fetch(url)[0])
    return sum(p.size for p in parts), parts, foreign


def _prepare(tmp: Path) -> dict[str, str]:
    env = os.environ | harness.SERVER_ENV | {
        "DATABASE_URL": f"sqlite:///{tmp / 'pages.sqlite3'}", "KORDON_VAR_DIR": str(tmp),
        "DJANGO_SETTINGS_MODULE": "kordon.settings", "KORDON_RATE_LIMITS": "false",
    }
    kordon = str(Path(sys.executable).parent / "kordon")
    for command in (["migrate", "--no-input", "-v0"], ["loaddemo"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([kordon, *command], env=env, check=True, cwd=harness.ROOT, capture_output=True)
    return env


def _file_notice(base: str) -> str:
    day = (date.today() + timedelta(days=8)).isoformat()
    body = {"crossing": "kyzyl-art", "direction": "TJ-KG", "expected_date": day,
            "contact": {"email": "anna@example.org"}, "travellers": [{
                "surname": "Eriksson", "given_names": "Anna", "nationality": "NLD", "sex": "F",
                "date_of_birth": "1980-01-31", "document_number": "NX4HK2LP1", "document_expiry": "2031-01-01"}]}
    request = urllib.request.Request(base + "/api/v1/notices", json.dumps(body).encode(),  # noqa: S310 - ours
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own local server
        filed = json.loads(response.read())
    with _BROWSER.open(f"{base}/notices/{filed['reference']}/{filed['access_token']}/", timeout=30) as opened:
        return urlparse(opened.url).path  # the link was exchanged: the notice's token-free page


def run() -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory(prefix="kordon-bench-pages-") as tmp:
        env = _prepare(Path(tmp)) | {"KORDON_LOG_LEVEL": "ERROR"}
        with harness.gunicorn(workers=1, env=env) as base:
            pages = {"home": "/", "crossing page": "/crossings/kyzyl-art/",
                     "filing form": "/notices/new/?crossing=kyzyl-art", "status look-up": "/status/",
                     "notice page": _file_notice(base), "filing form (ru)": "/ru/notices/new/?crossing=kyzyl-art"}
            for name, path in pages.items():
                total, parts, foreign = weigh(base, path)
                budget = FORM_BUDGET if name.startswith("filing form") else PAGE_BUDGET
                verdict = "within" if total <= budget and not foreign else "OVER"
                detail = ", ".join(f"{Path(urlparse(p.url).path).name if n else 'html'} {p.size / 1024:.1f} "
                                   f"({p.encoding})" for n, p in enumerate(parts))
                lines.append(f"{name}: {total / 1024:.1f} KB compressed, {verdict} the {budget // 1024} KB budget"
                             f"{'; FOREIGN HOSTS ' + ', '.join(foreign) if foreign else ''} [{detail}]")
            static = [p for p in weigh(base, "/notices/new/?crossing=kyzyl-art")[1] if "/static/" in p.url]
            for part in static[:1]:
                lines.append(f"static files: hashed names ({Path(urlparse(part.url).path).name}), "
                             f"Cache-Control: {part.cache_control}")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
