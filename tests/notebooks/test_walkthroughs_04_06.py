"""Facts that notebooks 04-06 state about the keys, the topic index and the corpus still hold.

The shared harness (test_notebooks.py) runs the notebooks and checks quotations, objectives and
self-checks; this file checks what their prose asserts about data that can change: a key that is
re-annotated, a topic index that is edited, a self-check answer that is a public fact.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from medialit import corpus
from medialit.annotations.key import annotations
from medialit.render.topics import load_topics, student_edition_keys

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
WORKED = "putin-changed-stance"
# Labels notebook 04 gives, in its prose, to spans of the worked-example key ("Why these labels?",
# the worked example and the frame section), which the key must agree with.
LABELLED_IN_04 = {
    "imminent military threats on four fronts": "obfuscation",
    "the Chinese threat": "loaded_language",
    "another blow to Chinese ambitions": "repetition",
    "a sinking economy": "exaggeration_minimisation",
    "speaks massive volumes about the true Russian intentions": "exaggeration_minimisation",
}
PARAGRAPH_ID = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)+):p(\d{2})")
MARKED_QUOTE = re.compile(r"“(?P<quote>[^“”]+)”\s*\(`(?P<paragraph>[a-z0-9-]+:p\d{2})`\)")


@pytest.fixture(scope="module")
def worked_key():
    if WORKED not in student_edition_keys(corpus.default()):
        pytest.fail(
            f"notebook 04 presents {WORKED} as the published worked-example key, but "
            "sources/topics.yaml does not list it under student_edition_keys: update one"
        )
    return annotations(WORKED)


def test_the_labels_notebook_04_names_are_the_keys(worked_key):
    persuasion = worked_key[worked_key["layer"] == "persuasion"]
    for words, technique in LABELLED_IN_04.items():
        found = persuasion[persuasion["text"] == words]
        assert len(found) == 1, f"the {WORKED} key has no persuasion entry for {words!r}"
        assert found["technique"].iloc[0] == technique, (
            f"notebook 04 calls {words!r} {technique}; the key now says "
            f"{found['technique'].iloc[0]}: update the notebook's prose"
        )


def test_what_notebook_04_says_the_key_leaves_alone(worked_key):
    persuasion = worked_key[worked_key["layer"] == "persuasion"]
    forcefully = corpus.locate(
        "Russia has been forcefully pushed to sell its defence equipment", WORKED
    )
    overlapping = persuasion[
        (persuasion["start"] < forcefully.end) & (persuasion["end"] > forcefully.start)
    ]
    assert overlapping.empty, "self-check q04-technique says the key finds no technique there"
    assert persuasion[persuasion["paragraph_id"] == f"{WORKED}:p11"].empty, (
        "notebook 04 says the key finds no technique in p11"
    )
    frames = worked_key[(worked_key["layer"] == "framing") & worked_key["frame"].notna()]
    p08 = frames[frames["paragraph_id"] == f"{WORKED}:p08"]
    assert "security_defense" in set(p08["frame"]), "q04-frame-or-technique names this frame"


def graded_persuasion_paragraphs() -> set[str]:
    """The paragraph ids the persuasion exercise set names (empty when it is not there)."""
    source = ROOT / "exercises" / "persuasion.md"
    if not source.exists():
        return set()
    text = source.read_text(encoding="utf-8")
    return {f"{article}:p{number}" for article, number in PARAGRAPH_ID.findall(text)}


def test_graded_paragraph_search_finds_ids():
    """The search used below is not vacuous: it finds the ids an exercise names."""
    sample = "Read `putin-changed-stance:p02` and russia-china-resist:p11."
    found = {f"{a}:p{n}" for a, n in PARAGRAPH_ID.findall(sample)}
    assert found == {"putin-changed-stance:p02", "russia-china-resist:p11"}


def test_notebook_04_labels_no_graded_span():
    """Notebook 04 names techniques. No article quotation it marks may lie in a persuasion entry
    of a key that the student edition does not publish, or in a paragraph that the persuasion
    exercise set asks about: either would give a graded answer away."""
    published = set(student_edition_keys(corpus.default()))
    unpublished = annotations(layer="persuasion")
    unpublished = unpublished[~unpublished["article_id"].isin(published)]
    graded_paragraphs = graded_persuasion_paragraphs()
    text = (NOTEBOOKS / "04-how-it-persuades.md").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", text)
    leaks = []
    for match in MARKED_QUOTE.finditer(text):
        if match["paragraph"] in graded_paragraphs:
            leaks.append(f"“{match['quote']}” ({match['paragraph']}, asked in the exercises)")
            continue
        article_id = match["paragraph"].split(":")[0]
        if article_id in published:
            continue
        where = corpus.locate(match["quote"], article_id)
        hit = unpublished[
            (unpublished["article_id"] == article_id)
            & (unpublished["start"] < where.end)
            & (unpublished["end"] > where.start)
        ]
        if not hit.empty:
            leaks.append(f"“{match['quote']}” ({match['paragraph']}, in an unpublished key)")
    assert not leaks, "notebook 04 discusses graded spans: " + "; ".join(leaks)


def test_self_check_public_facts_of_notebooks_05_06():
    """Notebook 06's answers are facts its own page and the dossier state, not the key's."""
    checks = yaml.safe_load((NOTEBOOKS / "self_checks.yaml").read_text(encoding="utf-8"))
    page = (NOTEBOOKS / "06-who-is-behind-it.md").read_text(encoding="utf-8")
    poll = (NOTEBOOKS / "dossier" / "cbs-poll-2022-02.md").read_text(encoding="utf-8")
    who = checks["q06-who-judged"]["answer"]
    assert "Global Engagement Center" in who and "Global Engagement Center" in page
    assert f'53% chose "{checks["q06-trace-poll-wording"]["answer"]}"' in poll
    assert checks["q06-whose-reply"]["answer"].startswith("no")
    assert "could not verify a reply" in " ".join(page.split())
    assert "rejects that description" not in page, "the course verified no reply by the founder"
    q06 = [entry for entry in checks.values() if entry["notebook"] == "06-who-is-behind-it"]
    assert all(entry["check"] == "choice" for entry in q06), "lateral reading, not counting"


def test_topic_facts_notebook_05_states():
    topics = load_topics(corpus.default(), strict=False)
    for topic_id in ("killer-remark", "nato-ukraine", "russia-china", "sanctions", "india-quad"):
        assert topic_id in topics, f"notebook 05 shows the topic {topic_id!r}"
    killer = topics["killer-remark"].paragraphs
    assert len(killer["russia-china-resist"]) == 12, "notebook 05 says twelve paragraphs"
    assert len(killer["united-states-rebalance"]) == 1, "notebook 05 says one paragraph"
    assert list(topics["india-quad"].paragraphs) == [WORKED], (
        "notebook 05 says only one article discusses India and the Quad"
    )
    assert "putin-changed-stance:p02" in topics["india-quad"].paragraph_ids


def test_the_compare_cell_of_notebook_05_builds_its_widget():
    """The live widget cell is skipped when the book runs the notebook; build it here instead."""
    import ast

    import jupytext

    from medialit.widgets import compare

    notebook = jupytext.read(NOTEBOOKS / "05-same-story-different-frames.md")
    calls = [
        node
        for cell in notebook.cells
        if cell.cell_type == "code" and "skip-execution" in cell.metadata.get("tags", [])
        for node in ast.walk(ast.parse(cell.source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "compare"
    ]
    assert len(calls) == 1, "notebook 05 has one skipped cell that calls compare()"
    arguments = {keyword.arg: ast.literal_eval(keyword.value) for keyword in calls[0].keywords}
    widget = compare(**arguments)
    heading = widget.view.value.split('class="ml-cmp-heading">', 1)[1].split("</h3>", 1)[0]
    assert "killer" in heading, f"the widget opens on the killer-remark topic, not {heading!r}"
    assert 'data-article-id="russia-china-resist"' in widget.view.value
    assert "ml-o-key" not in widget.view.value, "the cell shows no answer key (source='mine')"
