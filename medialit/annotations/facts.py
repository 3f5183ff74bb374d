"""Verified facts (sources/facts.yaml): the one record that keys and dossier pages cite."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from medialit.corpus import Corpus, default
from medialit.yamlfile import read_yaml

FACTS_FILE = "facts.yaml"
VERIFIED = ("record", "recalled")
_FIELDS = {"id", "statement", "citation", "figures", "dossier", "verified"}


class FactsFileError(ValueError):
    """The facts file is malformed; the message names the file, the fact and the fix."""


@dataclass(frozen=True)
class Fact:
    """One verified fact and the primary record that shows it.

    >>> fact = Fact("x", "It rained.", "Met Office, daily report, 1 May 2020.", verified="record")
    >>> fact.cited_by(["Met Office, daily report, 1 May 2020."])
    True
    """

    id: str
    statement: str
    citation: str
    figures: tuple[str, ...] = ()
    dossier: tuple[str, ...] = ()
    verified: str = "record"
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    def cited_by(self, citations: list[str] | tuple[str, ...]) -> bool:
        """Whether a list of citations includes this fact's citation, word for word."""
        return any(_same(citation, self.citation) for citation in citations)


def _same(first: str, second: str) -> str:
    """Citations compare equal up to spacing, a final full stop and straight/curly quotes."""

    def norm(text: str) -> str:
        text = " ".join(text.split()).rstrip(".")
        for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
            text = text.replace(curly, straight)
        return text

    return norm(first) == norm(second)


def facts_path(corpus: Corpus | None = None) -> Path:
    """Where the facts file lives: ``facts.yaml`` in the corpus' sources folder."""
    return (corpus if corpus is not None else default()).root / FACTS_FILE


def load_facts(path: str | Path | None = None) -> dict[str, Fact]:
    """Every fact in the facts file, by id, in file order.

    >>> facts = load_facts()
    >>> facts["unga-68-262"].citation.startswith("United Nations General Assembly")
    True
    """
    path = Path(path) if path is not None else facts_path()
    raw = read_yaml(
        path, FactsFileError, missing="no facts file; create it (see sources/facts.yaml)."
    )
    if not isinstance(raw, list):
        raise FactsFileError(f"{path}: the file must be a YAML list of facts.")
    facts: dict[str, Fact] = {}
    for number, item in enumerate(raw, start=1):
        where = f"{path}, fact {number}"
        if not isinstance(item, dict):
            raise FactsFileError(f"{where}: each fact is a mapping with id, statement, citation.")
        unknown = set(item) - _FIELDS
        if unknown:
            raise FactsFileError(
                f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_FIELDS)}."
            )
        for name in ("id", "statement", "citation"):
            if not isinstance(item.get(name), str) or not item[name].strip():
                raise FactsFileError(f"{where}: `{name}` is missing or empty.")
        if item["id"] in facts:
            raise FactsFileError(f"{where}: the id {item['id']!r} is used twice; ids are unique.")
        verified = item.get("verified", "record")
        if verified not in VERIFIED:
            raise FactsFileError(f"{where}: `verified` must be one of {', '.join(VERIFIED)}.")
        facts[item["id"]] = Fact(
            id=item["id"],
            statement=item["statement"].strip(),
            citation=item["citation"].strip(),
            figures=tuple(str(figure) for figure in item.get("figures") or ()),
            dossier=tuple(item.get("dossier") or ()),
            verified=verified,
        )
    return facts


def facts_cited(citations: list[str] | tuple[str, ...], facts: dict[str, Fact]) -> list[Fact]:
    """The facts whose citation appears in a list of citations (a key entry's, say).

    >>> facts = {"a": Fact("a", "S.", "Body, title, 2020.")}
    >>> [fact.id for fact in facts_cited(["Body, title, 2020"], facts)]
    ['a']
    """
    return [fact for fact in facts.values() if fact.cited_by(citations)]
