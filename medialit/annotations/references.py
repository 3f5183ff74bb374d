"""Every place the course names an article or quotes it, checked against the corpus.

After an article is removed (or its text re-ingested), notebooks, exercise items, codebook
examples, the topic index and the keys may name an article that is gone, a paragraph that no
longer exists, or a quotation that is no longer verbatim. :func:`reference_problems` lists them
all, with the file and line; ``annotations check --references`` prints the list and the book
build fails on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from medialit.annotations.examples import codebook_examples, notebook_examples
from medialit.corpus import Corpus
from medialit.corpus.locate import locate_all as locate_all_in

_ID = r"[a-z0-9]+(?:-[a-z0-9]+)+"
PARAGRAPH_REF = re.compile(rf"(?<![\w/-])(?P<article>{_ID}):p(?P<number>\d{{2,}})(?:\.s\d{{2,}})?")
# Places where a bare article id is certainly meant: article_id fields and arguments, and the
# corpus functions that take an article id first.
_STRONG = (
    re.compile(rf"\barticle_id\s*[:=]\s*[\"']?(?P<article>{_ID})\b"),
    re.compile(
        r"\b(?:article|articles|paragraphs|sentences|link_cues|attributions|load_key|quotations)"
        rf"\(\s*[\"'](?P<article>{_ID})[\"']"
    ),
)
_LIST = re.compile(rf"\[\s*[\"']{_ID}[\"'](?:\s*,\s*[\"']{_ID}[\"'])+\s*,?\s*\]")
# Hand-written material that may name articles (generated pages are rebuilt from the corpus).
SCANNED = ("notebooks", "exercises", "book")
GENERATED = ("book/articles", "book/exercises", "book/instructor/readers", "book/_generated")


@dataclass(frozen=True)
class Reference:
    """One reference that no longer fits the corpus: where it is and what to do."""

    path: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.path} line {self.line}: {self.problem}"


def _files(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder in SCANNED:
        for path in sorted([*(root / folder).rglob("*.md"), *(root / folder).rglob("*.yaml")]):
            relative = path.relative_to(root).as_posix()
            if not relative.startswith(GENERATED) and relative != "book/instructor/objectives.md":
                found.append(path)
    return found


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _known_ids(root: Path, texts: dict[Path, str], corpus: Corpus) -> set[str]:
    """Article ids the material uses: the corpus' ids and any id in a certain context."""
    known = set(corpus.ids())
    for text in texts.values():
        known.update(m["article"] for m in PARAGRAPH_REF.finditer(text))
        for pattern in _STRONG:
            known.update(m["article"] for m in pattern.finditer(text))
    known.update(path.stem for path in (corpus.root / "annotations").glob("*.yaml"))
    return known


def _scan_text(shown: str, text: str, corpus: Corpus, known: set[str]) -> list[Reference]:
    ids = set(corpus.ids())
    problems: dict[tuple[int, str], Reference] = {}
    named_on: set[tuple[int, str]] = set()  # (line, article id) already reported

    def report(index: int, problem: str, article_id: str = "") -> None:
        line = _line(text, index)
        if article_id:
            named_on.add((line, article_id))
        problems.setdefault((line, problem), Reference(shown, line, problem))

    for match in PARAGRAPH_REF.finditer(text):
        article_id, number = match["article"], int(match["number"])
        if article_id not in ids:
            if article_id in known:
                problem = f"names {match.group(0)}, but {article_id!r} is not in the corpus"
                report(match.start(), problem, article_id)
            continue
        total = len(corpus.article(article_id).paragraphs)
        if not 1 <= number <= total:
            problem = f"names {match.group(0)}, but {article_id} has paragraphs p01 to p{total:02d}"
            report(match.start(), problem)
    for pattern in _STRONG:
        for match in pattern.finditer(text):
            if match["article"] not in ids:
                problem = f"names the article {match['article']!r}, which is not in the corpus"
                report(match.start(), problem, match["article"])
    for match in _LIST.finditer(text):
        named = re.findall(rf"[\"']({_ID})[\"']", match.group(0))
        if any(name in ids for name in named):
            for name in named:
                if name not in ids:
                    problem = f"lists the article {name!r}, which is not in the corpus"
                    report(match.start(), problem, name)
    missing = sorted(known - ids, key=len, reverse=True)
    if missing:
        mention = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, missing)) + r")(?![\w-])")
        for match in mention.finditer(text):
            if (_line(text, match.start()), match.group(0)) not in named_on:
                problem = f"names the article {match.group(0)!r}, which is not in the corpus"
                report(match.start(), problem, match.group(0))
    return list(problems.values())


def _quote_problems(root: Path, corpus: Corpus) -> list[Reference]:
    problems: list[Reference] = []
    examples = [
        *codebook_examples(root / "book" / "codebook"),
        *notebook_examples(root / "notebooks"),
    ]
    for example in examples:
        if not example.paragraph_id:
            continue
        article_id = example.paragraph_id.split(":", 1)[0]
        if article_id not in corpus.ids():
            continue  # reported by the paragraph-id scan
        places = {
            location.paragraph_id for location in locate_all_in(corpus, example.quote, article_id)
        }
        if example.paragraph_id not in places:
            where = f"; it is in {', '.join(sorted(places))}" if places else ""
            problems.append(
                Reference(
                    f"{example.folder}/{example.page}",
                    example.line,
                    f"quotes “{example.quote[:60]}” as {example.paragraph_id}, but that paragraph "
                    f"does not hold these words verbatim{where}",
                )
            )
    return problems


def _topic_problems(root: Path, corpus: Corpus) -> list[Reference]:
    path = corpus.root / "topics.yaml"
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        return []  # the topic loader reports syntax errors with their place
    problems: list[Reference] = []
    ids = set(corpus.ids())
    for article_id in data.get("student_edition_keys") or []:
        if article_id not in ids:
            index = text.find(str(article_id))
            problems.append(
                Reference(
                    "sources/topics.yaml",
                    _line(text, max(index, 0)),
                    f"student_edition_keys lists {article_id!r}, which is not in the corpus",
                )
            )
    for topic in data.get("topics") or []:
        if not isinstance(topic, dict):
            continue
        for article_id, numbers in (topic.get("paragraphs") or {}).items():
            index = text.find(f"{article_id}:", text.find(f"id: {topic.get('id')}"))
            line = _line(text, max(index, 0))
            if article_id not in ids:
                problems.append(
                    Reference(
                        "sources/topics.yaml",
                        line,
                        f"topic {topic.get('id')!r} lists paragraphs of {article_id!r}, "
                        "which is not in the corpus: remove the line",
                    )
                )
                continue
            total = len(corpus.article(article_id).paragraphs)
            for number in numbers or []:
                digits = str(number).lstrip("p")
                if digits.isdigit() and not 1 <= int(digits) <= total:
                    problems.append(
                        Reference(
                            "sources/topics.yaml",
                            line,
                            f"topic {topic.get('id')!r} lists {article_id}:{number}, but the "
                            f"article has paragraphs p01 to p{total:02d}",
                        )
                    )
    return problems


def _key_problems(root: Path, corpus: Corpus) -> list[Reference]:
    return [
        Reference(
            f"sources/annotations/{path.name}",
            1,
            f"is the key of {path.stem!r}, which is not in the corpus: delete it with the article",
        )
        for path in sorted((corpus.root / "annotations").glob("*.yaml"))
        if path.stem not in corpus.ids()
    ]


def reference_problems(root: str | Path, corpus: Corpus | None = None) -> list[Reference]:
    """Every reference in the course material at ``root`` that does not fit the corpus.

    >>> from medialit.corpus import default
    >>> reference_problems(default().root.parent, default())
    []
    """
    root = Path(root)
    corpus = corpus if corpus is not None else Corpus(root / "sources")
    texts = {path: path.read_text(encoding="utf-8") for path in _files(root)}
    known = _known_ids(root, texts, corpus)
    problems: list[Reference] = []
    for path, text in texts.items():
        problems += _scan_text(path.relative_to(root).as_posix(), text, corpus, known)
    problems += _quote_problems(root, corpus)
    problems += _topic_problems(root, corpus)
    problems += _key_problems(root, corpus)
    return sorted(set(problems), key=lambda r: (r.path, r.line, r.problem))
