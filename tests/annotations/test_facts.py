"""One source of truth: keys and dossier pages cite the verified facts of sources/facts.yaml."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
import yaml

from medialit.annotations.facts import Fact, FactsFileError, _same, facts_cited, load_facts
from tests.shipped import SHIPPED_ARTICLES

ROOT = Path(__file__).resolve().parents[2]
DOSSIER = ROOT / "notebooks" / "dossier"
KEYS = sorted((ROOT / "sources" / "annotations").glob("*.yaml"))


def _norm(text: str) -> str:
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.split())


def _verifications() -> list[tuple[str, dict]]:
    found = []
    for path in KEYS:
        key = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in key["entries"]:
            if entry.get("verification"):
                found.append((f"{key['article_id']}/{entry['id']}", entry["verification"]))
    return found


def test_the_facts_load_and_every_fact_is_in_its_dossier_pages():
    facts = load_facts()
    assert len(facts) >= 15
    wrong = []
    for fact in facts.values():
        assert fact.dossier, f"{fact.id}: name the dossier page that gives this fact"
        for page in fact.dossier:
            path = DOSSIER / page
            if not path.is_file():
                wrong.append(f"{fact.id}: dossier page {page} does not exist")
                continue
            text = _norm(path.read_text(encoding="utf-8"))
            if _norm(fact.citation).rstrip(".") not in text:
                wrong.append(f"{fact.id}: {page} does not cite {fact.citation!r} word for word")
            wrong += [f"{fact.id}: {page} lacks {f!r}" for f in fact.figures if f not in text]
    assert wrong == [], "\n".join(wrong)


def test_key_evidence_agrees_with_the_facts_it_cites():
    facts = load_facts()
    wrong, used = [], set()
    for where, verification in _verifications():
        for fact in facts_cited(verification.get("citations", []), facts):
            used.add(fact.id)
            evidence = _norm(verification.get("evidence") or "")
            missing = [figure for figure in fact.figures if figure not in evidence]
            if missing:
                wrong.append(f"{where}: cites {fact.id} but its evidence lacks {missing}")
    assert wrong == [], "\n".join(wrong)


def test_the_shipped_keys_use_most_facts(shipped):
    """How many facts the five shipped keys cite (a fact of the shipped corpus, not a rule)."""
    shipped(*SHIPPED_ARTICLES)  # all five
    used = {
        fact.id
        for _, verification in _verifications()
        for fact in facts_cited(verification.get("citations", []), load_facts())
    }
    assert len(used) >= 10, "most facts should be used by the keys"


def test_no_key_cites_a_fact_in_other_words():
    facts = load_facts()
    wrong = []
    for where, verification in _verifications():
        for citation in verification.get("citations", []):
            if any(_same(citation, fact.citation) for fact in facts.values()):
                continue
            for fact in facts.values():
                close = difflib.SequenceMatcher(None, _norm(citation), _norm(fact.citation)).ratio()
                if close >= 0.92 and not _same(citation, fact.citation):
                    wrong.append(f"{where}: {citation!r} looks like {fact.id}; copy its citation")
    assert wrong == [], "\n".join(wrong)


def test_a_figure_that_disagrees_is_caught():
    fact = Fact("poll", "53% said so.", "Pollster, release, 2022.", figures=("53%",))
    assert fact.cited_by(["Pollster, release, 2022"])
    evidence = "The poll found 35% saying so."
    assert [f for f in fact.figures if f not in evidence] == ["53%"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- id: a\n  statement: S.\n", "`citation` is missing"),
        (
            "- id: a\n  statement: S.\n  citation: C.\n- id: a\n  statement: T.\n  citation: D.\n",
            "used twice",
        ),
        ("- id: a\n  statement: S.\n  citation: C.\n  verified: maybe\n", "`verified` must be"),
        ("id: a\n", "a YAML list"),
        ("- id: a\n  statement: [S.\n- id: b\n", r"facts.yaml, line 3: not valid YAML \("),
        ("- id: a\n  statement: S.\n  citation: C.\n  colour: red\n", "unknown field"),
    ],
)
def test_a_malformed_facts_file_names_the_problem(tmp_path, content, message):
    path = tmp_path / "facts.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FactsFileError, match=message):
        load_facts(path)


def test_a_missing_facts_file_says_how_to_create_it(tmp_path):
    with pytest.raises(FactsFileError, match=r"missing.yaml: no facts file; create it"):
        load_facts(tmp_path / "missing.yaml")
