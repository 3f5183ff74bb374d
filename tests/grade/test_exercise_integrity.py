"""No graded item gives its answer away.

Two places show answers to students: the articles whose key the student edition publishes
(``student_edition_keys`` in sources/topics.yaml, read with ``medialit.render.topics``) and the
labelled examples on the codebook pages (read with ``medialit.annotations.examples``). A graded
item may neither refer to a published-key article nor grade words that a codebook page shows.

What an item refers to: its ``article_id``, every paragraph or sentence id in its question (the
cells from the previous item up to its own cell, its metadata and its key), every article id or
title named there. What it grades:

- span and annotation items: the key spans;
- a set whose answers are sentence or paragraph ids: those, and the paragraphs it asks about;
- label, set and reflection items: the sentences holding words the question quotes, the
  sentences it names, and (for a set of names) the sentences of its paragraphs that name an
  answer; when it points at nothing finer, the paragraphs it names;
- number and code items: nothing (their answers are computed, not read off a passage).

An example gives an item away when its words overlap the words the item grades.

A label item's key must also be what the reviewed expert key (sources/annotations) says about
the words it grades, with the alternatives the expert key accepts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from medialit import corpus
from medialit.annotations import labels
from medialit.annotations.examples import (
    CodebookExample,
    codebook_examples,
    notebook_examples,
)
from medialit.annotations.key import annotations
from medialit.annotations.schema import LABEL_FIELDS
from medialit.assign.build import build_set
from medialit.assign.source import exercise_sources, item_specs, read_source
from medialit.corpus.textnorm import fold
from medialit.render.topics import student_edition_keys

REPO = Path(__file__).parents[2]
ARTICLE_ID = r"[a-z0-9]+(?:-[a-z0-9]+)+"
# russia-china-resist:p04, ...:p09.s03, and ranges written "`x:p04` to `:p10`"
REFERENCE = re.compile(
    rf"(?P<article>{ARTICLE_ID}):p(?P<paragraph>\d{{2,}})(?:\.s(?P<sentence>\d{{2,}}))?"
    rf"(?:`?\s+to\s+`?(?:{ARTICLE_ID})?:p(?P<last>\d{{2,}}))?"
)
UNIT = re.compile(rf"^{ARTICLE_ID}:p\d{{2,}}(?:\.s\d{{2,}})?$")
QUOTED = re.compile(r"\"([^\"\n]{3,})\"|“([^”\n]{3,})”")
TITLE_WORDS = 6  # an article named by the first words of its title


@dataclass(frozen=True)
class Question:
    """A graded item with the text that asks it: ``prose`` (markdown and title, where quoted
    words are looked for) and ``text`` (every cell of its section and its metadata)."""

    where: str
    item: Any  # medialit.grade.bundle.Item, or a stand-in with the same attributes
    prose: str
    text: str
    meta: dict[str, Any]  # the item's metadata as written (``labels`` names its label set)


@dataclass(frozen=True)
class Passage:
    """Words an item grades: an article and character offsets into its body."""

    article_id: str
    start: int
    end: int
    what: str


def questions_of(path: Path) -> list[Question]:
    """Each item of one instructor source, with the cells that ask it (as ``assign`` builds it)."""
    source = read_source(path)
    exercise, _texts, _release = build_set(source)
    items = {item.id: item for item in exercise.items}
    found, previous = [], 0
    for number, meta, _cell in item_specs(source):
        cells = source.notebook.cells[previous:number]
        previous = number
        prose = "\n\n".join(c.source for c in cells if c.cell_type == "markdown")
        prose += "\n\n" + str(meta.get("title", ""))
        prose = re.sub(r"(?<!\n)\n(?!\n)", " ", prose)  # a quotation may wrap onto the next line
        text = "\n".join(c.source for c in cells) + "\n" + json.dumps(meta, ensure_ascii=False)
        item = items[meta["id"]]
        found.append(Question(f"{source.set_id} {item.id}", item, prose, text, meta))
    return found


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return [q for path in exercise_sources(REPO / "exercises") for q in questions_of(path)]


def key_strings(item: Any) -> list[str]:
    key = item.key if isinstance(item.key, list | tuple) else [item.key]
    return [value for value in key if isinstance(value, str)]


def paragraph_ids(question: Question) -> list[str]:
    """The paragraphs a question names, ranges expanded, in order of appearance."""
    named: list[str] = []
    for match in REFERENCE.finditer(question.text):
        first = int(match["paragraph"])
        last = int(match["last"]) if match["last"] else first
        for number in range(first, last + 1):
            paragraph_id = f"{match['article']}:p{number:02d}"
            if paragraph_id not in named:
                named.append(paragraph_id)
    return named


def sentence_ids(question: Question) -> set[str]:
    return {m[0] for m in REFERENCE.finditer(question.text) if m["sentence"] and not m["last"]}


def referenced_articles(question: Question) -> set[str]:
    """Every article the item or its question refers to, by id, paragraph, key or title."""
    item, ids = question.item, set(corpus.default().ids())
    found = {item.article_id} & ids
    found |= {paragraph_id.split(":")[0] for paragraph_id in paragraph_ids(question)}
    found |= {
        a for a in ids if re.search(rf"(?<![a-z0-9-]){re.escape(a)}(?![a-z0-9-])", question.text)
    }
    found |= {
        value.split(":")[0] for value in key_strings(item) if UNIT.match(value) or value in ids
    }
    prose = fold(question.prose).lower()
    titles = corpus.articles().set_index("article_id")["title"]
    found |= {
        a
        for a, title in titles.items()
        if " ".join(fold(title).lower().split()[:TITLE_WORDS]) in prose
    }
    return found & ids


def _unit_span(unit_id: str) -> Passage:
    article_id = unit_id.split(":")[0]
    table = corpus.sentences(article_id) if ".s" in unit_id else corpus.paragraphs(article_id)
    column = "sentence_id" if ".s" in unit_id else "paragraph_id"
    row = table[table[column] == unit_id]
    if row.empty:
        raise AssertionError(f"{unit_id} is not a paragraph or sentence of the corpus")
    return Passage(article_id, int(row["start"].iloc[0]), int(row["end"].iloc[0]), unit_id)


def _sentences_at(article_id: str, start: int, end: int) -> list[Passage]:
    table = corpus.sentences(article_id)
    hit = table[(table["start"] < end) & (table["end"] > start)]
    return [_unit_span(sentence_id) for sentence_id in hit["sentence_id"]]


def graded_passages(question: Question) -> list[Passage]:
    """The words the item grades (see the module docstring)."""
    item = question.item
    if item.kind in ("number", "code"):
        return []
    if item.kind in ("span", "annotation"):
        return [Passage(item.article_id, s["start"], s["end"], s["text"]) for s in item.key]
    paragraphs = paragraph_ids(question)
    units = [value for value in key_strings(item) if UNIT.match(value)]
    if units:  # answers are sentence ids: every sentence of the paragraphs asked about is judged
        return list(dict.fromkeys(_unit_span(unit) for unit in [*units, *paragraphs]))
    articles = {p.split(":")[0] for p in paragraphs} or referenced_articles(question)
    finer = [_unit_span(sentence_id) for sentence_id in sentence_ids(question)]
    for match in QUOTED.finditer(question.prose):
        words = match[1] or match[2]
        for article_id in sorted(articles):
            for place in corpus.locate_all(words, article_id):
                if not paragraphs or place.paragraph_id in paragraphs:
                    finer += _sentences_at(article_id, place.start, place.end)
    if item.kind == "set":
        names = [*key_strings(item), *(v for vs in (item.aliases or {}).values() for v in vs)]
        for paragraph_id in paragraphs:
            article_id = paragraph_id.split(":")[0]
            table = corpus.sentences(article_id)
            for row in table[table["paragraph_id"] == paragraph_id].itertuples():
                sentence = fold(row.text).lower()
                if any(re.search(rf"\b{re.escape(fold(n).lower())}\b", sentence) for n in names):
                    finer.append(_unit_span(row.sentence_id))
    passages = finer or [_unit_span(paragraph_id) for paragraph_id in paragraphs]
    return list(dict.fromkeys(passages))  # each once, in order


def example_place(example: CodebookExample) -> Passage:
    """Where a codebook example's words stand (in the paragraph it is cited to)."""
    article_id = example.paragraph_id.split(":")[0]
    for place in corpus.locate_all(example.quote, article_id):
        if place.paragraph_id == example.paragraph_id:
            return Passage(article_id, place.start, place.end, example.quote)
    raise AssertionError(
        f"{example.where}: {example.quote!r} is not in "
        f"{example.paragraph_id}; fix the quote or its paragraph id"
    )


def public_key_leaks(questions: list[Question], published: list[str]) -> list[str]:
    leaks = []
    for question in questions:
        for article_id in sorted(referenced_articles(question) & set(published)):
            leaks.append(
                f"{question.where} ({question.item.title}) refers to {article_id}, whose key "
                "the student edition publishes: move the item to another article"
            )
    return leaks


def example_leaks(questions: list[Question], examples: list[CodebookExample]) -> list[str]:
    places = [(example, example_place(example)) for example in examples if example.paragraph_id]
    leaks = []
    for question in questions:
        for graded in graded_passages(question):
            for example, shown in places:
                if (
                    shown.article_id == graded.article_id
                    and shown.start < graded.end
                    and shown.end > graded.start
                ):
                    leaks.append(
                        f"{question.where} ({question.item.title}) grades {graded.what[:60]!r}, "
                        f"which {example.where} shows as "
                        f"{example.quote[:60]!r} ({example.paragraph_id}): choose another passage"
                    )
    return leaks


def expert_disagreements(question: Question) -> list[str]:
    """For a label item: where its key or alternatives differ from the expert key's entries on
    the words it grades (an entry's value, plus its alternatives from the same label set)."""
    set_id = question.meta.get("labels")
    if question.item.kind != "label" or not set_id:
        return []
    fields = {"verdicts": "verdict"}
    for name, label_set_id in LABEL_FIELDS.items():  # frames: the main frame, not secondary ones
        fields.setdefault(label_set_id, name)
    field, label_set = fields[set_id], labels.label_set(set_id)
    found: dict[str, set[str]] = {}  # value -> the alternatives its entries accept
    for graded in graded_passages(question):
        table = annotations(graded.article_id)
        hit = table[(table["start"] < graded.end) & (table["end"] > graded.start)]
        for row in hit.itertuples():
            value = getattr(row, field)
            values = value if isinstance(value, list | tuple) else [value]
            for one in (v for v in values if isinstance(v, str)):
                accepted = {a for a in (row.alternatives or ()) if a in label_set}
                found.setdefault(one, set()).update(accepted)
    key, alternatives = question.item.key, set(question.meta.get("alternatives") or [])
    if key not in found:
        return [f"{question.where}: key {key!r}, but the expert key has {sorted(found)} there"]
    problems = []
    if alternatives - found[key] - set(found):
        extra = sorted(alternatives - found[key] - set(found))
        problems.append(f"{question.where}: alternatives {extra} are not in the expert key")
    if found[key] - alternatives:
        missing = sorted(found[key] - alternatives)
        problems.append(f"{question.where}: the expert key also accepts {missing}; add them")
    return problems


# The real exercises.


def test_no_item_refers_to_an_article_whose_key_is_published(questions) -> None:
    published = student_edition_keys(corpus.default())  # may be empty: then nothing can leak
    leaks = public_key_leaks(questions, published)
    assert not leaks, "\n".join(leaks)


def test_no_item_grades_words_a_codebook_page_shows(questions) -> None:
    examples = codebook_examples()
    assert examples, "no codebook examples found: this check would see nothing"
    leaks = example_leaks(questions, examples)
    assert not leaks, "\n".join(leaks)


def test_no_item_grades_words_a_notebook_quotes(questions) -> None:
    """The walk-throughs are worked examples too: an item whose answer is words of the article (a
    span or annotation item) must not ask for words a notebook quotes. (A notebook quoting a
    paragraph gives away no label, so label items are held only to the codebook's examples,
    which show each quote with its label.)"""
    examples = notebook_examples()
    assert examples, "no notebook quotations found: this check would see nothing"
    worded = [q for q in questions if q.item.kind in ("span", "annotation")]
    leaks = example_leaks(worded, examples)
    assert not leaks, "\n".join(leaks)


def test_label_keys_agree_with_the_expert_key(questions) -> None:
    checked = [q for q in questions if q.item.kind == "label"]
    assert checked, "no label items: this check would see nothing"
    problems = [problem for question in checked for problem in expert_disagreements(question)]
    assert not problems, "\n".join(problems)


def test_every_passage_item_names_what_it_grades(questions) -> None:
    """An item that reads a passage must point at one, or the checks above see nothing."""
    assert {q.item.kind for q in questions} >= {"label", "span", "set", "annotation"}
    for question in questions:
        if question.item.kind in ("label", "span", "annotation"):
            assert graded_passages(question), (
                f"{question.where} names no passage it grades: give the paragraph or sentence id"
            )


# The checks can fail: planted leaks are caught.


def planted(kind: str, prose: str, key: Any, **fields: Any) -> Question:
    item = SimpleNamespace(
        id="q9",
        kind=kind,
        title="planted",
        key=key,
        article_id=fields.get("article_id"),
        aliases=fields.get("aliases", {}),
    )
    return Question("planted q9", item, prose, prose + "\n" + json.dumps(fields), fields)


def test_a_question_on_a_published_key_article_is_caught() -> None:
    published = student_edition_keys(corpus.default()) or corpus.default().ids()[:1]
    paragraph_id = corpus.article(published[0]).paragraphs[1].paragraph_id
    by_id = planted("label", f"Read `{paragraph_id}`. Which technique?", "loaded_language")
    title = corpus.article(published[0]).meta.title
    by_title = planted("reflection", f"In *{title}*, explain the claim.", None)
    annotation = planted("annotation", "Mark the quotes.", [], article_id=published[0])
    leaks = public_key_leaks([by_id, by_title, annotation], published)
    assert len(leaks) == 3 and all(published[0] in leak for leak in leaks)


def test_an_item_that_grades_a_codebook_example_is_caught() -> None:
    examples = [e for e in codebook_examples() if e.paragraph_id]
    example = examples[0]
    shown = example_place(example)
    span = planted(
        "span",
        "Copy the words.",
        [{"start": shown.start, "end": shown.end, "text": shown.what}],
        article_id=shown.article_id,
    )
    words = example.quote.split()
    quoted = " ".join(words[: max(2, len(words) // 2)])
    label = planted("label", f'`{example.paragraph_id}` says "{quoted}". Which label?', "x")
    paragraph = planted("set", f"List the techniques of `{example.paragraph_id}`.", ["x", "y"])
    leaks = example_leaks([span, label, paragraph], [example])
    assert len(leaks) == 3, leaks


def test_words_elsewhere_in_the_paragraph_are_not_a_leak() -> None:
    """A question that quotes other words of the example's paragraph grades other sentences."""
    for example in codebook_examples():
        if not example.paragraph_id:
            continue
        shown = example_place(example)
        table = corpus.sentences(shown.article_id)
        rows = table[table["paragraph_id"] == example.paragraph_id]
        other = rows[(rows["end"] <= shown.start) | (rows["start"] >= shown.end)]
        others = [e for e in codebook_examples() if e.paragraph_id == example.paragraph_id]
        if other.empty or len(others) > 1:
            continue
        words = " ".join(other["text"].iloc[0].split()[:5])
        label = planted("label", f'`{example.paragraph_id}` says "{words}". Which label?', "x")
        assert graded_passages(label) and not example_leaks([label], [example])
        return
    pytest.fail("no codebook example with a second sentence in its paragraph to test against")


def test_a_label_key_the_expert_key_does_not_hold_is_caught(questions) -> None:
    persuasion = next(
        q for q in questions if q.item.kind == "label" and q.meta["labels"] == "techniques"
    )
    assert not expert_disagreements(persuasion)
    wrong = planted("label", persuasion.prose, "whataboutism", labels="techniques")
    extra = planted(
        "label",
        persuasion.prose,
        persuasion.item.key,
        labels="techniques",
        alternatives=["slogans"],
    )
    assert "the expert key has" in expert_disagreements(wrong)[0]
    assert "not in the expert key" in expert_disagreements(extra)[0]
