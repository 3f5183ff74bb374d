"""Text a student controls, made safe to store and show: valid UTF-8, no control characters.

Folder and file names may hold bytes that are not UTF-8 (Python keeps them as lone
surrogates), answers may hold lone surrogates, and either may hold control characters (a
newline that splits a CSV row, an ANSI escape that rewrites a terminal, a bidi override that
reorders what a reader sees). Everything the grader writes goes through :func:`printable`,
which removes terminal escape sequences whole (not only their ESC, which would leave "[31m"
behind). Where feedback is rendered as markdown or HTML (feedback files, Gradescope), it is
written through :func:`markdown_text`, so a student's ``<script>`` or ``[link](...)`` shows as
the characters typed, never as markup.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Formatting characters that reorder or hide text (bidi controls, zero-width marks).
INVISIBLE = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0xFEFF)}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Terminal escape sequences (ECMA-48): CSI (ESC [ or the 8-bit CSI), OSC and other string
# commands up to their terminator (BEL or ESC \\), charset designations, and 2-byte escapes.
ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x9d\x9e\x9f\x98])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]|~])")  # emphasis, code, links, tables, strike
MARKDOWN_LINE_START = re.compile(r"^(\s*\d*)([#+\-=.)])")  # headings, lists, rules


def strip_ansi(text: str) -> str:
    """``text`` without terminal escape sequences (colours, cursor moves, hyperlinks, titles).

    >>> strip_ansi("\\x1b[31mred\\x1b[0m \\x1b]8;;http://x\\x07link\\x1b]8;;\\x07 ok")
    'red link ok'
    """
    if "\x1b" not in text and not any("\x90" <= c <= "\x9f" for c in text):
        return text
    return ANSI.sub("", text)


def markdown_text(text: str) -> str:
    """Plain text made safe to place in markdown (which may hold HTML) as one paragraph: it
    renders as the characters given. HTML is escaped as entities, the markdown punctuation
    that makes emphasis, code, links or tables with backslashes; line breaks become spaces,
    so no line of it can start a heading, a list, a quote or a code block.

    >>> print(markdown_text("<b>x</b> [a](b) *c*\\n# h"))
    &lt;b&gt;x&lt;/b&gt; \\[a\\](b) \\*c\\* # h
    >>> print(markdown_text("1. first"))
    1\\. first
    """
    flat = " ".join(printable(text, keep="\n").split("\n"))
    escaped = MARKDOWN_INLINE.sub(r"\\\1", flat)
    escaped = MARKDOWN_LINE_START.sub(r"\1\\\2", escaped, count=1)
    return html.escape(escaped, quote=False)  # ">" too: no quote block can start


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: str, *, keep: str = "\n", ansi: bool = True) -> str:
    """``text`` with undecodable bytes, lone surrogates, control and invisible formatting
    characters written as escapes (``\\xff``, ``\\ud800``, ``\\x1b``); ``keep`` lists the
    control characters left as they are.

    Terminal escape sequences are removed whole first, unless ``ansi=False`` (names, which
    must show distinct however they are written, keep them as escapes).

    >>> printable("ok \\udcff\\x1b[31m\\ud800 line\\nnext")
    'ok \\\\xff\\\\ud800 line\\nnext'
    >>> printable("a\\x1b[31mb", ansi=False)
    'a\\\\x1b[31mb'
    """
    if text.isprintable() and text.isascii():
        return text
    if ansi:
        text = strip_ansi(text)
    out = []
    for char in text:
        if char in keep:
            out.append(char)
        elif char in INVISIBLE or unicodedata.category(char) in ("Cc", "Cs"):
            out.append(_escape(char))
        else:
            out.append(char)
    return "".join(out)


def safe_name(name: str) -> tuple[str, str | None]:
    """A folder or file name as the outputs show it, and why it is not plain text (or None).

    Backslashes are escaped too, so two different names never show the same.

    >>> safe_name("ada")
    ('ada', None)
    >>> safe_name("bad\\udcffname\\n")
    ('bad\\\\xffname\\\\x0a', 'it holds bytes that are not UTF-8 text and control characters')
    """
    reasons = []
    if any(0xDC80 <= ord(c) <= 0xDCFF for c in name):
        reasons.append("bytes that are not UTF-8 text")
    elif any(unicodedata.category(c) == "Cs" for c in name):
        reasons.append("lone surrogate characters")
    if any(unicodedata.category(c) == "Cc" or c in INVISIBLE for c in name):
        reasons.append("control characters")
    shown = printable(name.replace("\\", "\\\\"), keep="", ansi=False)
    return shown, ("it holds " + " and ".join(reasons)) if reasons else None


def csv_cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (``=HYPERLINK(...)``, ``@SUM``):
    such cells get a leading apostrophe; plain numbers such as ``-2`` are left alone.

    >>> csv_cell("=HYPERLINK(\\"http://x\\")"), csv_cell("-2.5"), csv_cell("ada")
    ('\\'=HYPERLINK("http://x")', '-2.5', 'ada')
    """
    if not text.startswith(FORMULA_STARTS):
        return text
    try:
        float(text)
        return text
    except ValueError:
        return "'" + text
