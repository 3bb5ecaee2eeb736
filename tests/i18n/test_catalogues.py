"""Every user-facing text is marked for translation, and every catalogue translates all of it.

Three checks: template text outside translation tags; user-facing Python strings that are not
wrapped in gettext; and Django's makemessages run afresh, compared with the committed catalogues
(GNU gettext's msgcmp: nothing missing, untranslated or fuzzy, nothing left over).
"""

import ast
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
KORDON = ROOT / "kordon"
LANGUAGES = ("ru", "ky", "tg")
PLURAL_FORMS = {"ru": 3, "ky": 1, "tg": 2}  # Russian one/few/many; Kyrgyz and Tajik nouns do not change after numbers

# --- Templates ---------------------------------------------------------------------------------------

HIDE = "\x00"  # stands for a tag or variable: not text a person reads
WORDS_THAT_STAY = {"kordon", "UTC"}  # the product's name; the time zone's
SHOWN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "label"}
ADDRESS = re.compile(r"\S*/\S*")  # a path or URL in a mail: not words to translate
# A literal shown in place of a missing value; one word without spaces is a code (default:'entry').
LITERAL_FILTER_ARGUMENT = re.compile(r"\|(?:default|default_if_none|yesno):(\"[^\"]* [^\"]*\"|'[^']* [^']*')")


def _has_words(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", ADDRESS.sub(" ", text.replace(HIDE, " ")))
    return any(word not in WORDS_THAT_STAY for word in words)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value and _has_words(value):
                self.found.append(f'{name}="{value.replace(HIDE, "…")}"')

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip and _has_words(data):
            self.found.append(data.replace(HIDE, "…").strip())


def unmarked_template_text(source: str) -> list[str]:
    """Text a reader sees that is not inside {% translate %} or {% blocktranslate %}."""
    pieces, problems, inside = [], [], None
    for token in Lexer(source).tokenize():
        content = token.contents.strip()
        word = content.split(" ", 1)[0] if content else ""
        if inside:
            if token.token_type is TokenType.BLOCK and word == f"end{inside}":
                inside = None
            continue
        if token.token_type is TokenType.TEXT:
            pieces.append(token.contents)
            continue
        if token.token_type is TokenType.BLOCK and word in ("blocktranslate", "blocktrans", "comment"):
            inside = {"blocktrans": "blocktrans"}.get(word, word)
        if token.token_type is TokenType.VAR:
            problems += [f"{{{{ {content} }}}}" for m in LITERAL_FILTER_ARGUMENT.finditer(content) if _has_words(m.group(1))]
            pieces.append(HIDE)
        elif token.token_type is TokenType.BLOCK:
            pieces.append(" ")  # a tag may sit inside an HTML tag: <details{% if x %} open{% endif %}>
    parser = _Text()
    parser.feed("".join(pieces))
    parser.close()
    return problems + parser.found


def template_files() -> list[Path]:
    return sorted(p for p in KORDON.rglob("templates/**/*") if p.suffix in (".html", ".txt"))


def test_the_template_check_finds_unmarked_text():
    source = ('{% load i18n %}<h1>{% translate "Fine" %}</h1><p>Not marked {{ x }}</p>'
              '<img alt="A photo"><input placeholder="{% translate "Fine" %}">{{ y|default:"not now" }}{{ k|default:"entry" }}'
              '{% blocktranslate %}Fine {{ z }}{% endblocktranslate %}<script>const a = "ok";</script>kordon')
    assert unmarked_template_text(source) == ['{{ y|default:"not now" }}', "Not marked …", 'alt="A photo"']


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(KORDON)))
def test_every_template_text_is_marked_for_translation(path: Path):
    assert unmarked_template_text(path.read_text()) == []


# --- Python ------------------------------------------------------------------------------------------

TRANSLATING = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
               "npgettext", "npgettext_lazy", "gettext_noop", "format_lazy"}
# Where a call's argument is shown to a person: (callee, positions or keyword names).
SHOWN_ARGUMENTS: dict[str, tuple[int | str, ...]] = {
    "Problem": (2, "message"), "Refused.one": (2, "message"), "RefundOutcome": (1,), "Listing": (2, 3),
    "messages.success": (1,), "messages.error": (1,), "messages.info": (1,), "messages.warning": (1,),
    "ValidationError": (0, "message"), "forms.ValidationError": (0, "message"),
    "HttpResponseBadRequest": (0,), "_TooManyPixels": (0,),
    "admin.action": ("description",), "admin.display": ("description",), "problem_response": (3, "title"),

}
# Keywords shown on forms (model fields' help texts are the authority's notes in the admin, kept in English).
SHOWN_KEYWORDS = {"label", "help_text", "empty_label"}
# Operators' tools speak English: commands, system checks, the seal verifier's command line.
NOT_FOR_TRAVELLERS_OR_OFFICERS = ("migrations", "management", "cli.py", "verify_cli.py", "checks.py", "settings.py",
                                  "env.py")


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}".lstrip(".")
    return ""


def _plain_text(node: ast.AST | None) -> bool:
    """A literal (or f-string, or a sum with one) holding words, not passed through gettext."""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(re.search(r"[A-Za-z]{2}", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_plain_text(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):  # "..." % x is plain, _("...") % x is not
        return _plain_text(node.left) or (isinstance(node.op, ast.Add) and _plain_text(node.right))
    if isinstance(node, ast.IfExp):
        return _plain_text(node.body) or _plain_text(node.orelse)
    if isinstance(node, ast.Dict):
        return any(_plain_text(v) for v in node.values)
    if isinstance(node, ast.Tuple):
        return any(_plain_text(v) for v in node.elts)
    return False


def unmarked_python_text(source: str) -> list[str]:
    problems = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func).split(".")[-1] not in TRANSLATING:
            name = _name(node.func)
            wanted = SHOWN_ARGUMENTS.get(name, ())
            if name.endswith("Refused") and len(node.args) >= 2 and isinstance(node.args[0], ast.Constant):
                wanted = (1,)  # documents.sanitize.Refused(code, message)
            shown = [node.args[i] for i in wanted if isinstance(i, int) and i < len(node.args)]
            form_field = name.startswith("forms.")
            shown += [k.value for k in node.keywords if k.arg in wanted or (form_field and k.arg in SHOWN_KEYWORDS)]
            problems += [f"line {node.lineno}: {ast.unparse(arg)[:80]}" for arg in shown if _plain_text(arg)]
        if isinstance(node, ast.ClassDef) and any(_name(b).endswith("TextChoices") for b in node.bases):
            for item in node.body:
                choice = isinstance(item, ast.Assign) and isinstance(item.value, ast.Tuple) and len(item.value.elts) == 2
                if choice and _plain_text(item.value.elts[1]):  # type: ignore[attr-defined]
                    problems.append(f"line {item.lineno}: choice label {ast.unparse(item.value.elts[1])}")  # type: ignore[attr-defined]
    return problems


def python_files() -> list[Path]:
    return sorted(p for p in KORDON.rglob("*.py")
                  if not any(part in NOT_FOR_TRAVELLERS_OR_OFFICERS for part in p.relative_to(KORDON).parts))


def test_the_python_check_finds_unmarked_messages():
    source = '''
from django.utils.translation import gettext as _
class Colour(TextChoices):
    RED = "red", "Red"
    BLUE = "blue", _("Blue")
def f(x):
    Problem("field", "code", f"No {x} here")
    Problem("field", "code", _("Fine %(x)s") % {"x": x})
    Refused.one(None, "code", "Plain words.")
    messages.success(request, x)
    forms.CharField(label="Surname")
'''
    assert sorted(p.split(":")[0] for p in unmarked_python_text(source)) == ["line 11", "line 4", "line 7", "line 9"]


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(KORDON)))
def test_every_user_facing_python_message_is_marked_for_translation(path: Path):
    assert unmarked_python_text(path.read_text()) == []


# --- Catalogues --------------------------------------------------------------------------------------


def _gettext(*args: str) -> subprocess.CompletedProcess[str]:
    if not shutil.which(args[0]):
        pytest.fail(f"GNU gettext's {args[0]} is missing: `make install` installs it (Debian's gettext).")
    return subprocess.run(args, capture_output=True, text=True, check=False)


def _catalogue(language: str) -> Path:
    return KORDON / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_catalogue_has_no_untranslated_or_fuzzy_entries_and_its_formats_match(language: str):
    po = _catalogue(language)
    checked = _gettext("msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po))
    assert checked.returncode == 0, checked.stderr
    assert "fuzzy" not in checked.stderr and "untranslated" not in checked.stderr, checked.stderr
    assert _gettext("msgattrib", "--only-fuzzy", "--no-obsolete", str(po)).stdout == ""
    untranslated = _gettext("msgattrib", "--untranslated", "--no-obsolete", str(po)).stdout
    assert "msgid" not in untranslated.split("\n\n", 1)[-1], untranslated[:2000]
    assert f"nplurals={PLURAL_FORMS[language]};" in po.read_text()


def test_the_catalogues_hold_exactly_what_the_code_and_templates_mark(tmp_path, monkeypatch):
    """makemessages, run now, finds nothing the committed catalogues lack, and they hold nothing it did not find."""
    # On a copy: makemessages writes into every "locale" folder it walks past.
    source = tmp_path / "kordon"
    shutil.copytree(KORDON, source, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"))
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[source / "locale"]):
        call_command("makemessages", locale=list(LANGUAGES), extensions=["html", "txt", "py"], no_obsolete=True,
                     no_location=True, verbosity=0)
    for language in LANGUAGES:
        fresh = source / "locale" / language / "LC_MESSAGES" / "django.po"
        committed = _catalogue(language)
        lacking = _gettext("msgcmp", str(committed), str(fresh))
        assert lacking.returncode == 0, f"{language}: marked but not translated (run `make messages`):\n{lacking.stderr}"
        left_over = _gettext("msgcmp", "--use-untranslated", "--use-fuzzy", str(fresh), str(committed))
        assert left_over.returncode == 0, f"{language}: in the catalogue but no longer marked:\n{left_over.stderr}"
