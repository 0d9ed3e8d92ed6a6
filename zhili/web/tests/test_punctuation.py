"""Chinese text uses full-width punctuation: no half-width , ; : ? ! ( ) between two Chinese
characters, and no label that ends in a half-width colon or comma, in what a user reads:
the templates' text and user-facing attributes, the Python string literals (messages, form
errors, API descriptions, documents, demo data) and the strings of the pages' scripts.

Left out, as the fixer that wrote the full-width marks leaves them (its rules are the same;
it is kept outside the repository, see the issue 12 notes): template tags and variables,
<script> and <style>, attributes that are not read by people, docstrings in English, raw and
byte strings, regular expressions, English prose, tests, and any line marked ``punct-ok``
where a half-width mark is meant."""

import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CHINESE = rf"[{HAN}\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff1f\u201c\u201d]"
CUT = "\x00"  # where a tag, a variable or a field was: the end of a label
HALF_WIDTH = re.compile(
    rf"(?<={CHINESE})[,;:?!()](?={CHINESE})"  # between two Chinese characters
    rf"|(?<=[{HAN}])[,:](?=$|{CUT})"  # a label's colon or comma: 来电人称:
)
MARK = "punct-ok"

# What the templates show besides text: the attributes people read.
ATTRIBUTES = r"title|placeholder|alt|aria-label|hx-confirm|data-confirm|content|label"
TEMPLATE_SKIP = re.compile(
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}"
    r"|<(script|style)\b.*?</\1\s*>|<!--.*?-->",
    re.S | re.I,
)
TAG = re.compile(r"<[^>]*>", re.S)
ATTRIBUTE = re.compile(rf"""\s(?:{ATTRIBUTES})\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)

REGEX_LIKE = re.compile(rf"\(\?|\\[dswDSWbB]|\)[?*+]|\[[^\]]*[{HAN}][^\]]*\]|\.\*|\.\+")
FIELD = re.compile(r"\{\{|\}\}|\{(?:[^{}]|\{[^{}]*\})*\}|%\(\w+\)\w|%[sd]")
OPENING = re.compile(r"""([A-Za-z]*)('\'\'|\"\"\"|'|")""")
ESCAPE = re.compile(r"\\.", re.S)
JS_STRING = re.compile(
    r"""//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`""", re.S
)


def is_english(text: str) -> bool:
    """Three ASCII words in a row: prose in English, which keeps its own punctuation."""
    run = 0
    for chunk in text.split():
        run = run + 1 if chunk.isascii() and re.search("[A-Za-z]", chunk) else 0
        if run == 3:
            return True
    return False


def offences(text: str) -> list[str]:
    return [
        text[max(0, m.start() - 8) : m.end() + 8].replace(CUT, "·")
        for m in HALF_WIDTH.finditer(text)
    ]


def template_texts(source: str) -> list[tuple[int, str]]:
    """(line, text) for each line of a template's text, and for each attribute people read."""
    blank = TEMPLATE_SKIP.sub(lambda m: CUT + "\n" * m.group(0).count("\n"), source)
    marked = {n for n, line in enumerate(source.splitlines(), start=1) if MARK in line}
    out: list[tuple[int, str]] = []
    for tag in TAG.finditer(blank):
        line = blank.count("\n", 0, tag.start()) + 1
        out.extend((line, a or b) for a, b in ATTRIBUTE.findall(tag.group(0)))
    text = TAG.sub(lambda m: CUT + "\n" * m.group(0).count("\n"), blank)
    out.extend(enumerate(text.splitlines(), start=1))
    return [(line, text) for line, text in out if line not in marked]


def python_texts(source: str) -> list[tuple[int, str]]:
    """(line, body) for each string literal a user may read; a docstring in Chinese is one
    (django-ninja shows it as the API operation's description)."""
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type not in (tokenize.NL, tokenize.COMMENT)
    ]
    lines = source.splitlines()
    starts = (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING)
    out: list[tuple[int, str]] = []
    for k, tok in enumerate(tokens):
        if tok.type != tokenize.STRING:
            continue
        if any(MARK in lines[row - 1] for row in range(tok.start[0], tok.end[0] + 1)):
            continue
        opening = OPENING.match(tok.string)
        assert opening, tok.string
        prefix, quote = opening.groups()
        body = tok.string[len(prefix) + len(quote) : -len(quote)]
        if set(prefix.lower()) & {"r", "b"} or REGEX_LIKE.search(body):
            continue
        before, after = tokens[k - 1] if k else None, tokens[k + 1]
        docstring = (before is None or before.type in starts) and after.type in (
            tokenize.NEWLINE,
            tokenize.ENDMARKER,
        )
        if docstring and (is_english(body) or "\n\n" in body.strip()):
            continue  # a docstring for programmers
        body = FIELD.sub(CUT, ESCAPE.sub("", body))
        if not is_english(body):
            out.append((tok.start[0], body))
    return out


def script_texts(source: str) -> list[tuple[int, str]]:
    out = []
    for m in JS_STRING.finditer(source):
        literal = m.group(0)
        if literal.startswith("/") or MARK in source[m.start() : source.find("\n", m.end())]:
            continue
        body = re.sub(r"\$\{[^}]*\}", CUT, literal[1:-1])
        if not is_english(body):
            out.append((source.count("\n", 0, m.start()) + 1, body))
    return out


def _tracked(pattern: str) -> list[Path]:
    files = sorted((ROOT / "zhili").glob(pattern))
    return [p for p in files if "tests" not in p.parts and "node_modules" not in p.parts]


READERS = {
    "templates": ("**/templates/**/*.html", template_texts),
    "python": ("**/*.py", python_texts),
    "scripts": ("**/static/**/*.js", script_texts),
}


@pytest.mark.parametrize("kind", READERS)
def test_no_half_width_punctuation_between_chinese_characters(kind: str) -> None:
    pattern, reader = READERS[kind]
    files = _tracked(pattern)
    if kind == "python":
        files += sorted((ROOT / "config").glob("*.py"))
    assert files
    found = [
        f"{path.relative_to(ROOT)}:{line}: {snippet}"
        for path in files
        for line, text in reader(path.read_text(encoding="utf-8"))
        for snippet in offences(text)
    ]
    assert not found, "half-width punctuation in Chinese text (use ，：；（）？！):\n" + "\n".join(
        found
    )


def test_no_half_width_colon_added_by_a_stylesheet() -> None:
    """A label's colon drawn by CSS (`dt::after { content: ":" }`) follows Chinese text too."""
    found = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in _tracked("**/static/**/*.css")
        for m in re.finditer(r"""content:\s*["'][,:;]\s*["']""", path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("reader", "source"),
    [
        (template_texts, "<p>您好,刘海燕</p>"),  # punct-ok
        (template_texts, "<dt>来电人称:</dt>"),  # punct-ok
        (template_texts, "<span>评价:{{ case.rating }}</span>"),  # punct-ok
        (template_texts, '<input placeholder="如:噪音">'),  # punct-ok
        (template_texts, "<h2>附件(共{{ n }}件)</h2>"),  # punct-ok
        (python_texts, 'raise InvalidInput("请填写标题(不超过200字)")\n'),  # punct-ok
        (python_texts, 'note = f"处理意见:{reply}"\n'),  # punct-ok
        (python_texts, 'def cases():\n    """可见范围内的工单,最新受理的在前。"""\n'),  # punct-ok
        (script_texts, 'label.textContent = "无法定位,请填写地址";'),  # punct-ok
        (script_texts, "say(`上报成功,工单编号 ${no}`);"),  # punct-ok
    ],
)
def test_the_check_finds_half_width_marks(reader, source: str) -> None:
    assert [snippet for _, text in reader(source) for snippet in offences(text)]


@pytest.mark.parametrize(
    ("reader", "source"),
    [
        (template_texts, "<p>您好，刘海燕</p><dd>{{ lat }}, {{ lng }}</dd>"),
        (template_texts, '{{ x|yesno:"停用,启用" }}<a href="/?q=路灯,不亮">查看</a>'),  # punct-ok
        (template_texts, "<script>const a = '中,文';</script><p>时间 10:30</p>"),  # punct-ok
        (template_texts, "<p>中,文</p>{# punct-ok #}"),
        (python_texts, 'WORK = re.compile(r"([、，,和])上班")\n'),
        (python_texts, 'def f():\n    """Intake through the API: 甲,乙 (受理)."""\n'),
        (python_texts, 'says = "sequence: 第二十二条 before, 第二十七条 after"'),  # punct-ok
        (python_texts, 'x = "路灯, 不亮"  # punct-ok\n'),
        (script_texts, "// a comment: 中,文\nconst s = `${a},${b}`;"),  # punct-ok
    ],
)
def test_the_check_leaves_code_and_english_alone(reader, source: str) -> None:
    assert not [snippet for _, text in reader(source) for snippet in offences(text)]
