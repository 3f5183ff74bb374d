"""MyST notebooks -> the ``.ipynb`` students open: folded explanations, links, hidden plot code.

JupyterLab, Notebook 7, VS Code and Colab render none of MyST's directives and roles, so the
release turns them into what every front end renders: a dropdown admonition becomes a
``<details>`` block, any other admonition a block quote, a ``{doc}`` reference a link (to the
notebook beside it, or to the published site), and a ``hide-input`` cell gets
``jupyter.source_hidden`` so its code starts folded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from medialit.release.settings import ReleaseSettings

SOURCE_HIDDEN_TAGS = ("hide-input", "hide-cell")
SETUP_TAG = "medialit-setup"
_FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z-]+)\}\s*(?P<title>.*)$")
_OPTION = re.compile(r"^:(?P<name>[a-z-]+):\s*(?P<value>.*)$")
_ROLE = re.compile(r"\{(?P<role>[a-z-]+)\}`(?P<body>[^`]+)`")
_LABELLED = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_TARGET_LINE = re.compile(r"^\([\w-]+\)=\s*$")
FOLDED_NOTE = "click to open"

# Resolves a {doc} target (a source path without suffix, from the repository root) to a link.
Linker = Callable[[str], tuple[str, str]]


def _directive(name: str, title: str, options: dict[str, str], body: list[str]) -> list[str]:
    """One MyST directive as markdown every notebook front end renders."""
    text = "\n".join(body).strip("\n")
    heading = title.strip() or name.replace("-", " ").capitalize()
    folded = name == "dropdown" or "dropdown" in options.get("class", "").split()
    if folded:
        summary = heading
        if not summary.lower().startswith("explanation"):
            summary = f"{summary} (an explanation)"
        return [
            "<details>",
            f"<summary><b>{summary}</b> ({FOLDED_NOTE})</summary>",
            "",
            text,
            "",
            "</details>",
        ]
    quoted = [f"> **{heading}**", ">"]
    quoted += [f"> {line}" if line else ">" for line in text.split("\n")]
    return quoted


def convert_markdown(text: str, link: Linker) -> str:
    r"""A MyST markdown cell as plain (CommonMark + HTML) markdown.

    >>> source = "Read {doc}`the dossier <dossier/index>`.\n\n```{admonition} Explanation\n"
    >>> source += ":class: dropdown\nBecause.\n```"
    >>> print(convert_markdown(source, lambda target: (f"https://site/{target}.html", "x")))
    Read [the dossier](https://site/dossier/index.html).
    <BLANKLINE>
    <details>
    <summary><b>Explanation</b> (click to open)</summary>
    <BLANKLINE>
    Because.
    <BLANKLINE>
    </details>
    """
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        opening = _FENCE.match(line)
        if opening and opening["name"] not in ("code-cell", "code", "code-block", "math"):
            fence = opening["fence"]
            index += 1
            options: dict[str, str] = {}
            while index < len(lines) and _OPTION.match(lines[index]):
                option = _OPTION.match(lines[index])
                assert option is not None
                options[option["name"]] = option["value"]
                index += 1
            body: list[str] = []
            depth = 0
            while index < len(lines):
                current = lines[index]
                if _FENCE.match(current) and current.startswith(fence[0]):
                    depth += 1
                elif current.strip() == fence and depth == 0:
                    break
                elif current.strip() == fence:
                    depth -= 1
                body.append(current)
                index += 1
            index += 1  # the closing fence
            inner = convert_markdown("\n".join(body), link).split("\n")
            out += _directive(opening["name"], opening["title"], options, inner)
            continue
        if _TARGET_LINE.match(line) or line.startswith("% "):
            index += 1
            continue
        out.append(_ROLE.sub(lambda match: _role(match, link), line))
        index += 1
    return "\n".join(out)


def _role(match: re.Match[str], link: Linker) -> str:
    body = match["body"]
    labelled = _LABELLED.match(body)
    text, target = (labelled["text"], labelled["target"]) if labelled else (None, body)
    if match["role"] == "doc":
        url, title = link(target.strip())
        return f"[{text or title}]({url})"
    return text or target  # {term}, {ref} and the like: their words


def page_title(path: Path) -> str | None:
    """The first level-1 heading of a markdown page, if the page exists."""
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("# "):
            return line[2:].strip()
    return None


def linker(root: Path, page: str, released: dict[str, str], settings: ReleaseSettings) -> Linker:
    """Links for the ``{doc}`` references of ``page`` (a source path without suffix): to the
    released notebook when it is in the release (``released`` maps page -> release path),
    else to the published site."""
    folder = Path(page).parent

    def resolve(target: str) -> tuple[str, str]:
        full = (folder / target).as_posix() if not target.startswith("/") else target[1:]
        parts: list[str] = []
        for part in full.split("/"):
            if part == "..":
                parts.pop() if parts else None
            elif part not in ("", "."):
                parts.append(part)
        resolved = "/".join(parts)
        stem = Path(resolved)
        title = (
            page_title(root / f"{resolved}.md")
            or (stem.parent.name if stem.name == "index" else stem.name)
            .replace("-", " ")
            .capitalize()
        )
        if resolved in released:
            own = Path(released[page]).parent
            return Path(os.path.relpath(released[resolved], own)).as_posix(), title
        return settings.page_url(resolved), title

    return resolve


def fold_code(cell: Any) -> None:
    """Fold the code of a plotting cell (``hide-input``) in every front end that reads
    ``jupyter.source_hidden`` (JupyterLab, Notebook 7, VS Code)."""
    tags = cell.get("metadata", {}).get("tags", [])
    if cell.get("cell_type") == "code" and any(tag in SOURCE_HIDDEN_TAGS for tag in tags):
        cell["metadata"].setdefault("jupyter", {})["source_hidden"] = True


def release_notebook(notebook: Any, link: Linker) -> Any:
    """A copy of ``notebook`` with its markdown converted, plot code folded, outputs cleared."""
    import copy

    released = copy.deepcopy(notebook)
    for cell in released.cells:
        if cell.cell_type == "markdown":
            cell.source = convert_markdown(cell.source, link)
        elif cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            fold_code(cell)
    released.metadata.pop("jupytext", None)
    released.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    released.metadata["language_info"] = {"name": "python"}
    return released
