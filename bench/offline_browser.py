"""The offline console in Chromium: seal checks per seal, as an offline post does them (seal.js: JSON,
RFC 8785, SHA-256 of the certificate and of the data, WebCrypto ES256, the withdrawn list and the
device's list). Run alone with `.venv/bin/python -m bench.offline_browser`.

Needs no server and no database: the page's origin is answered from kordon's static files by
Playwright's router, and the authority, signer and seal are made in memory. The withdrawn list has
1,000 ids and the device's list 10,000 notices, as a busy post holds.
"""

import hashlib
import json
import os
from pathlib import Path

from playwright.sync_api import Route, sync_playwright

from bench.seals import MESSAGE
from kordon.seals import authority
from kordon.seals.vdsnc import SEAL_TYPE, seal_id, sign_seal
from tests.browser.conftest import CHROMIUM, FLAGS
from tests.browser.offline import signer_json

CHECKS = int(os.environ.get("BENCH_BROWSER_SEAL_CHECKS", "3000"))
TARGET_MS = 2.0
ORIGIN = "http://localhost:9"  # localhost is a secure context, so WebCrypto is there; nothing listens
STATIC = Path(__file__).resolve().parent.parent / "kordon" / "posts" / "static"

MEASURE = """async ({checks, trust, notices, text}) => {
  const seal = await import("/static/posts/offline/seal.js");
  const loaded = await seal.loadTrust(trust);
  const byRef = new Map(notices.map((entry) => [entry.reference, [entry]]));
  let started = performance.now();
  const first = await seal.checkSeal(text, loaded, byRef);
  const cold = performance.now() - started;
  for (let i = 0; i < 50; i++) await seal.checkSeal(text, loaded, byRef);  // warm up the JIT
  started = performance.now();
  let last = null;
  for (let i = 0; i < checks; i++) last = await seal.checkSeal(text, loaded, byRef);
  return {reason: first.reason, last: last.reason, cold, total: performance.now() - started};
}"""


def _serve(route: Route) -> None:
    path = route.request.url.removeprefix(ORIGIN)
    if path.startswith("/static/"):
        file = STATIC / path.removeprefix("/static/")
        if file.is_file():
            route.fulfill(body=file.read_bytes(), content_type="text/javascript")
            return
    route.fulfill(body="<!doctype html><title>bench</title>", content_type="text/html")


def run() -> list[str]:
    root_key, root = authority.create_authority(country="KG", common_name="kordon bench seal authority KG")
    key, cert = authority.issue_signer(authority_key=root_key, authority_cert=root, common_name="bench signer KG")
    seal = sign_seal({"t": SEAL_TYPE, "v": 1, "is": "KGZ"}, MESSAGE, key, cert)
    withdrawn = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(1000)]
    notices = [{"reference": f"N{i:09d}", "seal_id": None} for i in range(9999)]
    notices.append({"reference": MESSAGE["ref"], "seal_id": seal_id(seal)})
    arguments = {"checks": CHECKS, "trust": {"signers": [signer_json(cert)], "revoked_seals": withdrawn},
                 "notices": notices, "text": json.dumps(seal, separators=(",", ":"), ensure_ascii=False)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        page.route(f"{ORIGIN}/**", _serve)
        page.goto(ORIGIN + "/post/")
        result = page.evaluate(MEASURE, arguments)
        version = browser.version
        browser.close()
    assert result["reason"] == result["last"] == "ok", result
    each = result["total"] / CHECKS
    met = "met" if each <= TARGET_MS else "MISSED"
    return [
        f"seal verification in the browser (Chromium {version}, seal.js + WebCrypto, one tab): "
        f"{each:.3f} ms per seal, {1000 / each:,.0f}/s over {CHECKS:,} checks (target <= {TARGET_MS:.0f} ms: {met})",
        f"the first check in a fresh tab (module compiled, key imported before): {result['cold']:.1f} ms",
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
