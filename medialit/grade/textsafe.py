"""Text a student controls, made safe to store and show: valid UTF-8, no control characters.

Folder and file names may hold bytes that are not UTF-8 (Python keeps them as lone
surrogates), answers may hold lone surrogates, and either may hold control characters (a
newline that splits a CSV row, an ANSI escape that rewrites a terminal, a bidi override that
reorders what a reader sees). Everything the grader writes goes through :func:`printable`.
"""

from __future__ import annotations

import unicodedata

# Formatting characters that reorder or hide text (bidi controls, zero-width marks).
INVISIBLE = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0xFEFF)}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: str, *, keep: str = "\n") -> str:
    """``text`` with undecodable bytes, lone surrogates, control and invisible formatting
    characters written as escapes (``\\xff``, ``\\ud800``, ``\\x1b``); ``keep`` lists the
    control characters left as they are.

    >>> printable("ok \\udcff\\x1b[31m\\ud800 line\\nnext")
    'ok \\\\xff\\\\x1b[31m\\\\ud800 line\\nnext'
    """
    if text.isprintable() and text.isascii():
        return text
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
    shown = printable(name.replace("\\", "\\\\"), keep="")
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
