"""The pages' scripts hold no sentences of their own: what they show comes from a translated block of the page.

Each script reads its texts from a hidden element of the page (`<div id="mrz-text" hidden>` with
`<span data-t="key">{% translate "…" %}</span>`, see notices/_mrz_text.html); those blocks are templates,
so test_catalogues.py checks that their texts are marked and translated. Here: no script has an
English sentence in a string, and every key a script asks for is in its block.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KORDON = ROOT / "kordon"
SENTENCE = re.compile(r"[A-Za-z]{2,}[,:]?\s+[A-Za-z]{2,}")  # two words: text a person reads
MARKUP = re.compile(r"<[^>]*>|\0")
NOT_TEXT = {"use strict"}
# One word put straight on the page ("Camera") is text too.
ONTO_THE_PAGE = re.compile(r"(textContent|innerText|innerHTML|title|placeholder|alt|ariaLabel|value)\s*[+]?=\s*$")
INTERNAL = re.compile(r"throw new \w+\(\s*$")  # an exception's message for the developer, never shown


def js_literals(source: str) -> list[tuple[int, str, str]]:
    """(line, text, code before it) of every string and template literal; `${…}` becomes \\0."""
    found: list[tuple[int, str, str]] = []
    n = len(source)

    def string(i: int, quote: str) -> int:
        start = i
        i += 1
        while i < n and source[i] != quote:
            i += 2 if source[i] == "\\" else 1
        found.append((source.count("\n", 0, start) + 1, source[start + 1:i], source[max(0, start - 40):start]))
        return i + 1

    def template(i: int) -> int:
        start, text = i, []
        i += 1
        while i < n and source[i] != "`":
            if source[i] == "\\":
                text.append(source[i:i + 2])
                i += 2
            elif source.startswith("${", i):
                text.append("\0")
                i = code(i + 2, inside_braces=True)
            else:
                text.append(source[i])
                i += 1
        found.append((source.count("\n", 0, start) + 1, "".join(text), source[max(0, start - 40):start]))
        return i + 1

    def code(i: int, inside_braces: bool = False) -> int:
        depth = 0
        while i < n:
            c = source[i]
            if source.startswith("//", i):
                end = source.find("\n", i)
                i = n if end < 0 else end
            elif source.startswith("/*", i):
                i = source.index("*/", i) + 2
            elif c in "\"'":
                i = string(i, c)
            elif c == "`":
                i = template(i)
            elif c == "{":
                depth, i = depth + 1, i + 1
            elif c == "}" and inside_braces and depth == 0:
                return i + 1
            else:
                depth, i = depth - (c == "}"), i + 1
        return i

    code(0)
    return found


def shown(text: str, before: str) -> bool:
    """Words a person would read: not markup, not "use strict", not an exception's message."""
    if ONTO_THE_PAGE.search(before) and re.search(r"[A-Za-z]{2}", text):
        return True
    return bool(SENTENCE.search(MARKUP.sub(" ", text))) and text not in NOT_TEXT and not INTERNAL.search(before)


def scripts() -> list[Path]:
    return sorted(KORDON.rglob("static/**/*.js"))


def test_the_literal_finder_sees_sentences_in_strings_and_templates():
    source = """// A comment, not text
    "use strict";
    const a = "Camera is off";  /* not this */ button.textContent = "Camera";
    el.textContent = `Sent ${n} of ${total ? `all the ${x}` : "none"}`;
    throw new Oops("an internal reason");
    const ok = t("stop_camera"), sel = '[data-t="x"]', html = "<div data-shell></div>";"""
    literals = [(line, text) for line, text, before in js_literals(source) if shown(text, before)]
    assert literals == [(3, "Camera is off"), (3, "Camera"), (4, "all the \0"), (4, "Sent \0 of \0")]


@pytest.mark.parametrize("path", scripts(), ids=lambda p: str(p.relative_to(KORDON)))
def test_a_script_has_no_sentences_of_its_own(path: Path):
    sentences = [f"line {line}: {text.replace(chr(0), '${…}')!r}"
                 for line, text, before in js_literals(path.read_text()) if shown(text, before)]
    assert sentences == [], "put these in the page's text block (see this module's docstring)"


BLOCK = re.compile(r"#([\w-]+) \[data-t=")
KEY = re.compile(r"""\bt\(\s*["'`]([\w]+)(\$\{)?""")
COUNTED = re.compile(r"""\bcounted\(\s*["']([\w]+)["']""")


def _templates_with(block_id: str) -> list[Path]:
    return [p for p in KORDON.rglob("templates/**/*.html") if f'id="{block_id}"' in p.read_text()]


@pytest.mark.parametrize("path", [p for p in scripts() if BLOCK.search(p.read_text())],
                         ids=lambda p: str(p.relative_to(KORDON)))
def test_every_text_a_script_asks_for_is_in_its_block(path: Path):
    source = path.read_text()
    [block_id] = set(BLOCK.findall(source))
    [block] = _templates_with(block_id)
    keys = set(re.findall(r'data-t="(\w+)"', block.read_text()))
    missing = []
    for key, prefix in KEY.findall(source):
        if prefix:
            if not any(k.startswith(key) for k in keys):
                missing.append(f"{key}…")
        elif key not in keys:
            missing.append(key)
    missing += [f"{key}_other" for key in COUNTED.findall(source) if f"{key}_other" not in keys]
    assert missing == [], f"{path.name} asks {block.relative_to(KORDON)} for texts it lacks"


def _after(path: Path, folder: str) -> str:
    parts = path.relative_to(KORDON).parts
    return "/".join(parts[parts.index(folder) + 1:])


def test_each_script_that_reads_a_block_is_given_it_where_it_is_loaded():
    """A page that loads the script includes its block, else the script would show its keys."""
    problems = []
    for path in scripts():
        blocks = set(BLOCK.findall(path.read_text()))
        if not blocks:
            continue
        [block] = _templates_with(blocks.pop())
        include = _after(block, "templates")  # "notices/_mrz_text.html"
        static = _after(path, "static")  # "notices/mrz.js"
        for page in KORDON.rglob("templates/**/*.html"):
            text = page.read_text()
            if f"'{static}'" in text and include not in text:
                problems.append(f"{page.relative_to(KORDON)} loads {static} without {include}")
    assert problems == []
