"""WCAG 2.2 A and AA, checked by axe-core (vendored, tests only) on every page the browser tests open.

    assert_accessible(page)              # the page as it is now, any language
    assert_accessible(page, "ru")        # ... and <html lang="ru">

The `page` fixture (conftest) remembers every document the browser loaded and fails a test that
left one of them unchecked, so a new page cannot slip past: call this after each navigation.
"""

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# Each document announces itself once, from the browser: the fixture collects these.
ANNOUNCE = """
window.__kordonDocument = Math.random().toString(36).slice(2);
document.addEventListener("DOMContentLoaded", () => console.debug("kordon-document " + window.__kordonDocument));
"""

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\\s+/g, " "))}));
}"""


@dataclass
class Visits:
    """Documents loaded (id, address) and the ids axe has checked."""

    loaded: list[tuple[str, str]] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)

    def unchecked(self) -> list[str]:
        return [url for doc, url in self.loaded if doc not in self.checked and url.startswith("http")]


def assert_accessible(page: Page, language: str | None = None) -> None:
    """Wait for the page to settle first: a test asserts on what it sees before calling this."""
    page.wait_for_load_state("load")
    if language is not None:
        assert page.locator("html").get_attribute("lang") == language, f"{page.url} is not marked as {language}"
    # Evaluated over the DevTools protocol, so the page's Content-Security-Policy does not apply:
    # axe is never part of what kordon serves.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    visits: Visits | None = getattr(page, "_kordon_visits", None)
    if visits is not None:
        visits.checked.add(page.evaluate("() => window.__kordonDocument"))
    lines = [f"{v['id']} ({v['impact']}): {v['help']}\n      " + "\n      ".join(v["nodes"]) for v in violations]
    assert not violations, f"axe found {len(violations)} WCAG violations on {page.url}:\n  " + "\n  ".join(lines)
