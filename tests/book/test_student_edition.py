"""The student edition holds no instructor page, key text or solution, in any file of the site."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from medialit.render.objectives import exercise_sources
from medialit.render.sitecheck import text_files

ROOT = Path(__file__).resolve().parents[2]
# Third-party files copied into every site: not ours, large, and never holding course text.
THIRD_PARTY = (
    "_static/medialit-vendor/",
    "_static/scripts/",
    "_static/styles/",
    "_static/vendor/",
    "_static/locales/",
)
KEY_FIELDS = {"rationale", "evidence", "reason"}
SOLUTION_FIELDS = {"solution", "solutions", "key", "answer", "expected"}
SOLUTION_BLOCK = re.compile(r"#\s*BEGIN SOLUTION\s*\n(.*?)#\s*END SOLUTION", re.DOTALL)
SOLUTION_DIRECTIVE = re.compile(
    r"^(`{3,}|:{3,})\{solution\}[^\n]*\n(.*?)^\1\s*$", re.DOTALL | re.MULTILINE
)
MIN_LENGTH = 24  # shorter strings (a label, a name) may rightly appear in the student edition


def normalise(text: str) -> str:
    """Lower-case words only: quotes, dashes, markup and spacing never hide a match.

    >>> normalise("It’s a <em>“test”</em> -- of\\n  sorts.")
    'it s a test of sorts'
    """
    text = re.sub(r"<[^>]+>", " ", html.unescape(text))
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def _strings(value, fields: set[str], inside: bool = False) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, fields, inside or str(key).lower() in fields)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, fields, inside)
    elif inside and isinstance(value, str):
        yield value


def key_texts(root: Path) -> list[str]:
    """The rationales, evidence and reasons written in the answer keys."""
    texts = []
    for path in sorted((root / "sources" / "annotations").glob("*.y*ml")):
        texts += _strings(yaml.safe_load(path.read_text(encoding="utf-8")), KEY_FIELDS)
    return [text for text in texts if len(normalise(text)) >= MIN_LENGTH]


def solution_texts(root: Path) -> dict[Path, list[str]]:
    """For each exercise source, the solution text it holds (code blocks, solution directives,
    and the values of solution/key/answer fields in data files)."""
    found = {}
    for path in exercise_sources(root):
        text = path.read_text(encoding="utf-8")
        solutions = [match for match in SOLUTION_BLOCK.findall(text)]
        solutions += [body for _, body in SOLUTION_DIRECTIVE.findall(text)]
        if path.suffix in {".yaml", ".yml"}:
            solutions += _strings(yaml.safe_load(text), SOLUTION_FIELDS)
        elif path.suffix in {".json", ".ipynb"}:
            solutions += _strings(json.loads(text), SOLUTION_FIELDS)
        found[path] = [item for item in solutions if len(normalise(str(item))) >= MIN_LENGTH]
    return found


def guide_sentences(root: Path) -> list[str]:
    """Prose lines of the instructor guide, long enough to be distinctive, that no student page
    also contains (a line the guide shares with a student page is no leak)."""
    student_sources = normalise(
        "\n".join(
            path.read_text(encoding="utf-8")
            for path in sorted((root / "book").rglob("*.md"))
            if "instructor" not in path.relative_to(root / "book").parts
        )
    )
    lines = []
    for path in sorted((root / "book" / "instructor").glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            prose = line.strip() and not line.lstrip().startswith(("#", "|", "`", ":", "-", "<!"))
            if prose and len(normalise(line)) >= 60 and normalise(line) not in student_sources:
                lines.append(line)
    return lines


@pytest.fixture(scope="module")
def student_text(student_site: Path) -> str:
    parts = []
    for path in text_files(student_site):
        relative = path.relative_to(student_site).as_posix()
        if not relative.startswith(THIRD_PARTY):
            parts.append(normalise(path.read_text(encoding="utf-8", errors="replace")))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def instructor_text(instructor_site: Path) -> str:
    return "\n".join(
        normalise(path.read_text(encoding="utf-8", errors="replace"))
        for path in text_files(instructor_site)
        if not path.relative_to(instructor_site).as_posix().startswith(THIRD_PARTY)
    )


def test_no_instructor_page_is_built_into_the_student_edition(student_site, instructor_site):
    assert not (student_site / "book" / "instructor").exists()
    assert (instructor_site / "book" / "instructor" / "index.html").is_file()
    assert not list(student_site.rglob("*instructor*")), "no file named for instructors"


def test_the_guide_text_is_only_in_the_instructor_edition(student_text, instructor_text):
    sentences = guide_sentences(ROOT)
    assert len(sentences) > 50
    found_in_instructor = [line for line in sentences if normalise(line) in instructor_text]
    # Most prose lines render verbatim; proves the search finds what it looks for.
    assert len(found_in_instructor) > len(sentences) * 0.8
    leaked = [line for line in sentences if normalise(line) in student_text]
    assert leaked == [], f"instructor guide text in the student edition: {leaked[:3]}"


def test_no_key_text_is_in_the_student_edition(student_text, instructor_text):
    texts = key_texts(ROOT)
    assert texts, "sources/annotations holds no key text to look for"
    leaked = [text for text in texts if normalise(text) in student_text]
    assert leaked == [], f"{len(leaked)} key rationales in the student edition, e.g. {leaked[0]!r}"
    # Positive control: the instructor edition's annotated readers do show the rationales.
    shown = [text for text in texts if normalise(text) in instructor_text]
    assert len(shown) > len(texts) / 2, f"only {len(shown)} of {len(texts)} found for instructors"


def test_no_solution_is_in_the_student_edition(student_text, instructor_text, student_site):
    sources = solution_texts(ROOT)
    unreadable = [path for path, solutions in sources.items() if not solutions]
    assert not unreadable, (
        f"{unreadable[0]}: no solution found in this exercise source. Fix: teach "
        "solution_texts in tests/book/test_student_edition.py the exercises' solution format, so "
        "that this test can see what must not leak"
    )
    leaked = [
        (path, text)
        for path, solutions in sources.items()
        for text in solutions
        if normalise(text) in student_text
    ]
    assert leaked == [], f"solutions in the student edition: {leaked[:2]}"
    # Positive controls: the exercises are in the student edition (except the reading checks,
    # which say `student_page: false` and reach students as notebooks when they are due); their
    # solutions are shown (folded) in the instructor edition.
    on_site = [p for p in sources if "\n  student_page: false" not in p.read_text(encoding="utf-8")]
    assert len(on_site) < len(sources)
    pages = {page.stem for page in (student_site / "book" / "exercises").glob("*.html")}
    assert pages == {path.stem for path in on_site}
    for path, solutions in sources.items():
        assert any(normalise(text) in instructor_text for text in solutions), path


def test_the_leak_search_finds_a_planted_key(tmp_path: Path, student_text):
    """The search is not vacuous: a rationale copied into a page would be found."""
    key = tmp_path / "sources" / "annotations"
    key.mkdir(parents=True)
    article_line = "Cite a paragraph by its id, for example"
    (key / "planted.yaml").write_text(yaml.safe_dump({"entries": [{"rationale": article_line}]}))
    texts = key_texts(tmp_path)
    assert texts and any(normalise(text) in student_text for text in texts)
