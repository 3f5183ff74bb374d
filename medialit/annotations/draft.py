"""Draft a key for a new article: every paragraph and sentence stubbed, suggestions marked todo.

The draft is a valid key file with ``status: draft``. Each entry the machine wrote carries a
``todo`` saying what the annotator must decide or confirm; ``annotations check`` lists them.
"""

from __future__ import annotations

import re

import yaml

from medialit.annotations.attributions import find_attributions
from medialit.annotations.key import KEY_SUFFIX, Key, key_dir, place
from medialit.annotations.schema import KeyFile
from medialit.annotations.stubs import framing_stub_opening, quoted
from medialit.corpus import Article, Corpus
from medialit.corpus.textnorm import fold
from medialit.fileio import atomic_write_text

HEDGES = [
    "conceivably",
    "arguably",
    "perhaps",
    "maybe",
    "possibly",
    "probably",
    "likely",
    "unlikely",
    "apparently",
    "presumably",
    "seemingly",
    "seems",
    "seem",
    "appears",
    "appear",
    "might",
    "may",
    "could",
    "suggests",
    "somewhat",
]
BOOSTERS = [
    "clearly",
    "certainly",
    "undoubtedly",
    "obviously",
    "definitely",
    "surely",
    "indeed",
    "inevitably",
    "absolutely",
    "never",
    "always",
]
BOOSTER_PHRASES = (
    "no doubt",
    "of course",
    "in fact",
    "make no mistake",
    "beyond doubt",
    "virtually nil",
    "one hundred percent",
)
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|"
    r"percent|per cent)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|last week|"
    r"last month|last year)\b"
)
_EVENT = re.compile(
    r"\b(?:signed|imposed|expelled|met|announced|agreed|voted|passed|launched|deployed|"
    r"sanctioned|invaded|attacked|killed|elected|appointed|rejected|extended|published|"
    r"reported|carried|exported|held)\b",
    re.IGNORECASE,
)
_PREDICTION = re.compile(r"\b(?:will|would|is going to|are going to|is set to|is likely to)\b")
_PRESCRIPTION = re.compile(r"\b(?:must|should|ought to|needs to|need to|has to|have to)\b")


def claim_suggestion(sentence: str) -> tuple[str | None, str]:
    """A claim kind suggested by simple cues, and why (the annotator confirms or changes it).

    >>> claim_suggestion("The council voted on 3 February to keep the ferry.")[0]
    'verifiable_fact'
    >>> claim_suggestion("The ferry must run all winter.")[0]
    'prescription'
    """
    if _PRESCRIPTION.search(sentence):
        return "prescription", "a modal of obligation ('must', 'should')"
    if _PREDICTION.search(sentence) and not _DATE.search(sentence):
        return "prediction", "a future or conditional ('will', 'would')"
    cues = [
        name
        for name, pattern in (("a number", _NUMBER), ("a date", _DATE), ("an event verb", _EVENT))
        if pattern.search(sentence)
    ]
    if cues:
        return "verifiable_fact", " and ".join(cues)
    return None, ""


def _occurrence(paragraph_text: str, start: int, words: str) -> int | None:
    """Which occurrence of ``words`` in the paragraph starts at ``start`` (1 = the first), as
    the key loader counts them (quotes and spaces folded); None when the words occur once.

    >>> _occurrence("We may go, or we may not.", 17, "may"), _occurrence("We may go.", 3, "may")
    (2, None)
    """
    needle = fold(words)
    if fold(paragraph_text).count(needle) < 2:
        return None
    return fold(paragraph_text[:start]).count(needle) + 1


def _markers(text: str) -> list[tuple[int, str, str]]:
    found = []
    for phrase in BOOSTER_PHRASES:
        for match in re.finditer(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE):
            found.append((match.start(), match.group(0), "booster"))
    for words, marker in ((HEDGES, "hedge"), (BOOSTERS, "booster")):
        pattern = re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)
        for match in pattern.finditer(text):
            if not any(s <= match.start() < s + len(w) for s, w, _ in found):
                found.append((match.start(), match.group(0), marker))
    return sorted(found)


def draft_key(article: Article, annotator: str = "TODO: your name") -> str:
    """The text of a draft key for ``article`` (see the module docstring).

    >>> from medialit import corpus
    >>> text = draft_key(corpus.article("putin-changed-stance"))
    >>> text.count("layer: framing"), "status: draft" in text, "source_type: official" in text
    (16, True, True)
    """
    lines = [
        f"# Draft key for {article.title} (written by `annotations draft`).",
        "# Every entry with `todo` is a suggestion or a stub: decide, then delete the todo line.",
        "# `python -m medialit annotations check` lists what remains; set `status: pilot` (or",
        "# `reviewed`, with reviewed_by) when no todo is left.",
        f"article_id: {article.article_id}",
        "status: draft",
        f"annotators: [{quoted(annotator)}]",
        "",
        "entries:",
    ]
    found = find_attributions(article)
    for paragraph in article.paragraphs:
        number, opening = framing_stub_opening(paragraph)
        lines += [
            *opening,
            "  rationale: TODO",
            "  todo: choose frame and frame_mode for the paragraph, and write the rationale",
        ]
        if paragraph.kind == "heading":
            continue
        for attribution in (a for a in found if a.paragraph_id == paragraph.paragraph_id):
            local = attribution.start - paragraph.start
            lines += [
                f"- id: source-p{number}-{local}",
                f"  paragraph_id: {paragraph.paragraph_id}",
                "  layer: sourcing",
                f"  span: {quoted(attribution.content)}",
            ]
            occurrence = _occurrence(paragraph.text, local, attribution.content)
            if occurrence:
                lines.append(f"  occurrence: {occurrence}")
            if attribution.source:
                lines.append(f"  source: {quoted(attribution.source)}")
            if attribution.cue:
                lines.append(f"  cue: {quoted(attribution.cue)}")
            lines += [
                f"  source_type: {attribution.source_type}",
                f"  quote_kind: {attribution.quote_kind}",
                "  rationale: TODO",
                f"  todo: confirm source, cue, source_type and quote_kind (finder's confidence "
                f"{attribution.confidence:.2f}) and write the rationale",
            ]
        for sentence in (s for s in article.sentences if s.paragraph_id == paragraph.paragraph_id):
            kind, why = claim_suggestion(sentence.text)
            lines += [
                f"- id: claim-p{number}-s{sentence.number:02d}",
                f"  paragraph_id: {paragraph.paragraph_id}",
                "  layer: claims",
                f"  span: {quoted(sentence.text)}",
            ]
            if kind:
                lines.append(f"  claim_kind: {kind}")
            todo = f"confirm claim_kind (suggested for {why}); " if kind else "choose claim_kind; "
            if kind == "verifiable_fact":
                lines += [
                    "  check_worthiness: check_worthy",
                    "  verification: {verdict: unverified}",
                ]
                todo += "is it check-worthy? if so verify it; "
            lines += ["  rationale: TODO", f"  todo: {todo}set voice and write the rationale"]
            for offset, words, marker in _markers(sentence.text):
                local = sentence.start - paragraph.start + offset
                lines += [
                    f"- id: marker-p{number}-{local}",
                    f"  paragraph_id: {paragraph.paragraph_id}",
                    "  layer: claims",
                    f"  span: {quoted(words)}",
                ]
                occurrence = _occurrence(paragraph.text, local, words)
                if occurrence:
                    lines.append(f"  occurrence: {occurrence}")
                lines += [
                    f"  marker: {marker}",
                    "  rationale: TODO",
                    f"  todo: confirm that '{words}' is a {marker} here (from the word list), "
                    "or delete the entry",
                ]
    return "\n".join(lines) + "\n"


PLACEHOLDER = "TODO"  # what a draft writes where the annotator must write something


def left_to_do(key: Key) -> list[str]:
    """What is left before a key is finished, one line each: every entry with a ``todo``, every
    rationale still ``TODO``, annotators not named, and a draft's status.

    >>> from medialit.annotations.key import load_key
    >>> left_to_do(load_key("putin-changed-stance"))
    []
    """
    left = [f"{entry.id} ({entry.paragraph_id}): {entry.todo}" for entry in key.unfinished]
    left += [
        f"{entry.id} ({entry.paragraph_id}): write the rationale (it is still {PLACEHOLDER})"
        for entry in key.annotations
        if entry.rationale.strip() == PLACEHOLDER
    ]
    if any(PLACEHOLDER in name for name in key.annotators):
        left.append("annotators: name who annotated the key")
    if key.status == "draft":
        left.append("status: draft; set pilot (or reviewed, with reviewed_by) when nothing is left")
    return left


class DraftExists(FileExistsError):
    """A key file is already there; the message says how to replace it."""


def write_draft(corpus: Corpus, article_id: str, *, force: bool = False) -> Key:
    """Write the draft key into the key folder atomically, checked first; refuse to replace a
    key unless ``force``. Returns the draft as loaded."""
    target = key_dir(corpus) / f"{article_id}{KEY_SUFFIX}"
    if target.exists() and not force:
        raise DraftExists(
            f"{target}: a key file is already there. Fix: edit it, or run with --force to "
            "replace it with a new draft (its entries are lost)"
        )
    text = draft_key(corpus.article(article_id))
    key = place(KeyFile.model_validate(yaml.safe_load(text)), target, corpus)
    atomic_write_text(target, text)
    return key
