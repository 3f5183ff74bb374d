"""Find attributions (source, cue, content) in an article from the text's own signals.

The finder reads quotation marks, reporting verbs, "according to", link cues, role nouns and
vague plurals; it uses no trained model. It drafts the sourcing layer of a key
(``annotations draft``) and is measured against the expert keys by
``benchmarks/attributions.py``. Every row is a suggestion for an annotator to check.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import pandas as pd

from medialit.annotations.quotes import find_quotations
from medialit.annotations.source_types import (
    DOCUMENT,
    EXPERT,
    MEDIA,
    NAMED,
    OFFICIAL,
    POLL,
    PRONOUN,
    VAGUE,
    source_type,
)
from medialit.corpus import Article, Corpus, default

COLUMNS = [
    "article_id",
    "paragraph_id",
    "start",
    "end",
    "source",
    "cue",
    "content",
    "quote_kind",
    "source_type",
    "confidence",
]

_VERBS = [
    "said",
    "says",
    "say",
    "stated",
    "states",
    "told",
    "tells",
    "added",
    "adds",
    "argued",
    "argues",
    "claimed",
    "claims",
    "noted",
    "notes",
    "warned",
    "warns",
    "stressed",
    "stresses",
    "underscored",
    "indicated",
    "announced",
    "reported",
    "reports",
    "wrote",
    "writes",
    "insisted",
    "insists",
    "affirmed",
    "affirms",
    "asserted",
    "explained",
    "declared",
    "alleged",
    "alleging",
    "alleges",
    "acknowledged",
    "admitted",
    "conceded",
    "believes",
    "believe",
    "estimate",
    "estimates",
    "maintained",
    "maintains",
    "suggested",
    "suggests",
    "urged",
    "revealed",
    "confirmed",
    "denied",
    "proposed",
    "hinted",
    "hinting",
    "emphasised",
    "emphasized",
    "emphasising",
    "emphasizing",
    "stating",
    "saying",
    "conveyed",
    "reiterated",
    "recalled",
    "accused",
    "described",
    "predicted",
    "concluded",
    "concluding",
    "contemplated",
    "contended",
    "observed",
    "pointed",
    "remarked",
    "signalled",
    "signaled",
    "sees",
    "see",
    "thinks",
    "think",
    "feel",
    "feels",
    "fear",
    "fears",
    "expect",
    "expects",
    "realizes",
    "realises",
    "found",
    "finds",
    "shows",
    "showed",
    "show",
]
_VERB = r"(?:" + "|".join(sorted(_VERBS, key=len, reverse=True)) + r")"
_STATE = (
    r"(?:is|are|was|were)\s+(?:certain|convinced|confident|sure|adamant)"
    r"|(?:share|shares|shared)\s+the\s+(?:perspective|view|belief|assessment)"
    r"|(?:had|has|have)\s+hopes"
)
_CUE = rf"(?:(?:had|has|have)\s+)?(?:also\s+)?(?:{_VERB}(?:\s+out)?|{_STATE})"
# <source> <cue> [that|:|,] <content>
_FORWARD = re.compile(
    rf"(?P<source>\b(?:[A-Z][\w.’'-]*|(?:the|a|an|many|some|several|most|his|her|its|their)\b)"
    rf"[^.;:!?“”\"]{{0,120}}?)\s+(?P<cue>{_CUE})\b(?:\s+that\b|\s*[:,])?\s*(?P<content>.+)",
)
# “...,” <cue> <source>   |   “...,” <source> <cue>
_AFTER_QUOTE = re.compile(
    rf"[”\"’']\s*,?\s*(?:(?P<cue1>{_VERB})\s+(?P<source1>[A-Za-z][^.;:,“”\"]{{1,80}})"
    rf"|(?P<source2>he|she|they|it|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,3}})\s+(?P<cue2>{_VERB}))"
)
_ACCORDING = re.compile(r"\b(?P<cue>[Aa]ccording to)\s+(?P<source>[^,.;:“”\"]{2,90})")
_SAID_LEAD = re.compile(
    rf"^(?P<cue>(?i:{_VERB}|to quote|quoting))\s+(?P<source>[^:,.]{{2,90}})\s*[:,]\s*$"
)
# 'which allegedly provided support to ...': a charge whose accuser the text does not name.
_ALLEGEDLY = re.compile(r"\b(?:allegedly|reportedly|purportedly)\s+(?P<content>[^,;:.]+)", re.I)
_TRAILING_PHRASE = re.compile(r"\s+(?:after|before|on|in|at|during|when|while|as|last)\b.*$")
_IDIOM = re.compile(
    r"easier said than done|needless to say|that is to say|so to say|^that said|having said that",
    re.I,
)
_TRAILING_LEAD = re.compile(
    rf"(?P<source>[A-Z][^.;:!?“”\"]{{0,90}}?)\s+(?P<cue>{_CUE})(?:\s+[^.;:!?“”\"]{{0,40}})?\s*[:,]?$"
)
_CLAUSE_BREAK = re.compile(
    r".*(?:[,(]|\b(?:and|but|while|which|who|as|when|after|since|that)\b)\s*"
)


@dataclass
class Attribution:
    """One attribution found in the text, with body offsets of its content."""

    article_id: str
    paragraph_id: str
    start: int
    end: int
    source: str | None
    cue: str | None
    content: str
    quote_kind: str
    source_type: str
    confidence: float


def _source_phrase(raw: str) -> str:
    """The noun phrase right before a cue: cut at the last clause break."""
    raw = re.sub(r",\s*(?:who|which)\b[^,]*,?\s*$", "", raw.strip())
    text = _CLAUSE_BREAK.sub("", raw.strip())
    return text.strip(" ,;—–-") or raw.strip()


class _Finder:
    def __init__(self, article: Article) -> None:
        self.article = article
        self.found: list[Attribution] = []
        self.last_named: str | None = None
        self.quotes = find_quotations(article)
        self.attributed_sentences: set[str] = set()

    def add(self, sentence_id, paragraph_id, start, end, source, cue, kind, confidence, context=""):
        body = self.article.body
        while start < end and body[start] in " ,:;":
            start += 1
        while end > start and body[end - 1] in " ,;:":
            end -= 1
        if end - start < 2 or any(a.start < end and start < a.end for a in self.found):
            return
        source = source.strip(" ,:;") if source else None
        resolved = self.last_named if source and PRONOUN.match(source) else source
        stype, sure = source_type(resolved or source, context)
        if resolved and NAMED.search(resolved) and stype in ("official", "expert", "media"):
            self.last_named = resolved
        self.attributed_sentences.add(sentence_id)
        self.found.append(
            Attribution(
                self.article.article_id,
                paragraph_id,
                start,
                end,
                source or None,
                cue.strip() if cue else None,
                body[start:end],
                kind,
                stype,
                round(confidence * (0.5 + 0.5 * sure), 2),
            )
        )

    def kind_of(self, start: int, end: int) -> str:
        inside = [q for q in self.quotes if q.start < end and start < q.end]
        if not inside:
            return "indirect"
        covered = sum(min(q.end, end) - max(q.start, start) for q in inside)
        return "direct" if covered >= 0.8 * (end - start) else "mixed"

    def run(self) -> list[Attribution]:
        sentences = self.article.sentences
        by_paragraph: dict[str, list] = {}
        for sentence in sentences:
            by_paragraph.setdefault(sentence.paragraph_id, []).append(sentence)
        previous = None
        for paragraph in self.article.paragraphs:
            own = by_paragraph.get(paragraph.paragraph_id, [])
            if paragraph.kind == "quote":
                self.block_quote(paragraph, previous)
            elif paragraph.kind != "heading":
                for sentence in own:
                    self.sentence(sentence)
            previous = own[-1] if own else previous
        self.leftover_quotes()
        self.links()
        return sorted(self.found, key=lambda a: a.start)

    def block_quote(self, paragraph, lead) -> None:
        source, cue = _lead(lead.text) if lead is not None else (None, None)
        inside = _AFTER_QUOTE.search(paragraph.text)
        if source is None and inside is not None:  # “...,” said X. “...”
            source = _TRAILING_PHRASE.sub("", inside["source1"] or inside["source2"])
            cue = inside["cue1"] or inside["cue2"]
        self.add(
            paragraph.paragraph_id + ".s01",
            paragraph.paragraph_id,
            paragraph.start,
            paragraph.end,
            source,
            cue,
            "direct",
            0.9 if source else 0.5,
            lead.text if lead is not None else "",
        )

    def sentence(self, sentence) -> None:
        text, base = sentence.text, sentence.start
        args = (sentence.sentence_id, sentence.paragraph_id)
        for match in _AFTER_QUOTE.finditer(text):
            quote = next(
                (q for q in reversed(self.quotes) if q.start < base + match.start() + 1 <= q.end),
                None,
            )
            if quote is not None:
                source = _TRAILING_PHRASE.sub("", match["source1"] or match["source2"])
                cue = match["cue1"] or match["cue2"]
                self.add(*args, quote.start, quote.end, source, cue, "direct", 0.9, text)
        if _IDIOM.search(text):
            return
        if (according := _ACCORDING.search(text)) is not None:
            before = text[: according.start()].rstrip(" ,")
            rest = text[according.end() :].strip()
            if rest.startswith(":"):
                return  # the content is the quotation that follows
            if rest == "":
                if len(before.split()) >= 4:
                    start, end = base, base + len(before)
                else:
                    return  # the content is the block quotation that follows
            else:
                start, end = base + according.end(), sentence.end
            kind = self.kind_of(start, end)
            self.add(*args, start, end, according["source"], according["cue"], kind, 0.8, text)
            return
        if _SAID_LEAD.match(text.strip()) or text.rstrip().endswith((":", ",")):
            return  # a lead-in: block_quote takes the quotation below
        found_before = len(self.found)
        for match in _FORWARD.finditer(text):
            source = _source_phrase(match["source"])
            if not match["content"].strip(" .”\"’'") or not _plausible_source(source):
                continue
            start = base + match.start("content")
            kind = self.kind_of(start, sentence.end)
            strong = bool(OFFICIAL.search(source) or NAMED.search(source) or VAGUE.search(source))
            self.add(
                *args,
                start,
                sentence.end,
                source,
                match["cue"],
                kind,
                0.75 if strong else 0.5,
                text,
            )
            break
        if len(self.found) == found_before and (alleged := _ALLEGEDLY.search(text)):
            start, end = base + alleged.start("content"), base + alleged.end("content")
            self.add(*args, start, end, None, "allegedly", "indirect", 0.6, text)

    def leftover_quotes(self) -> None:
        """Quotation marks with no cue found: still someone's words (or a scare quote)."""
        for quote in self.quotes:
            if any(a.start <= quote.start < a.end for a in self.found):
                continue
            sentence = next(
                (s for s in self.article.sentences if s.start <= quote.start < s.end), None
            )
            paragraph = self.article.paragraph(int(quote.paragraph_id.rsplit(":p", 1)[1]))
            source = cue = None
            confidence = 0.4
            if quote.start == paragraph.start and paragraph.number > 1:
                lead = [s for s in self.article.sentences if s.end <= paragraph.start]
                if lead:
                    source, cue = _lead(lead[-1].text)
                    confidence = 0.85 if source else confidence
            if source is None and sentence is not None:
                source = self.known_source(sentence.text, quote.start)
            self.add(
                sentence.sentence_id if sentence else "",
                quote.paragraph_id,
                quote.start,
                quote.end,
                source,
                cue,
                "direct",
                confidence,
                sentence.text if sentence else "",
            )

    def known_source(self, text: str, before: int) -> str | None:
        """A person named in the sentence, preferring one quoted earlier (nearest first)."""
        earlier = sorted((f for f in self.found if f.start < before), key=lambda f: -f.start)
        for found in earlier:
            if found.source and found.source_type in ("official", "expert", "media"):
                names = NAMED.findall(found.source)
                surname = (
                    names[-1].split()[-1].removesuffix("’s").removesuffix("'s") if names else ""
                )
                if len(surname) > 2 and re.search(rf"\b{re.escape(surname)}\b", text):
                    return surname
        names = NAMED.findall(text)
        return re.sub(r"[’']s$", "", names[0]) if names else None

    def links(self) -> None:
        """A link with no attribution in its sentence: the link is the only pointer to a source."""
        for cue in self.article.meta.link_cues:
            paragraph = self.article.paragraphs[cue.paragraph - 1]
            start, end = paragraph.start + cue.start, paragraph.start + cue.end
            sentence = next((s for s in self.article.sentences if s.start <= start < s.end), None)
            if any(a.start < end and start < a.end for a in self.found) or any(
                a.source and cue.anchor_text in a.source for a in self.found
            ):
                continue
            same = [
                a
                for a in self.found
                if sentence is not None and sentence.start <= a.start < sentence.end and a.source
            ]
            self.found.append(
                Attribution(
                    self.article.article_id,
                    paragraph.paragraph_id,
                    start,
                    end,
                    same[0].source if same else None,
                    cue.anchor_text,
                    cue.anchor_text,
                    "indirect",
                    same[0].source_type if same else "hyperlink_only",
                    0.5 if same else 0.6,
                )
            )


def _lead(text: str) -> tuple[str | None, str | None]:
    """The source and cue of a sentence that introduces a quotation below it ('X said:')."""
    tail = text.rstrip()
    if not tail.endswith((":", ",")):
        return None, None
    match = _SAID_LEAD.search(tail) or _TRAILING_LEAD.search(tail)
    if match:
        return _source_phrase(match["source"]), match["cue"]
    according = _ACCORDING.search(tail)
    if according is not None:
        return according["source"], according["cue"]
    return None, None


def _plausible_source(source: str) -> bool:
    """A subject that can speak: a name, a role, a body, a vague plural; not a clause."""
    words = source.split()
    return (
        0 < len(words) <= 14
        and not source.lower().startswith(("it ", "this ", "there ", "that "))
        and bool(
            NAMED.search(source)
            or OFFICIAL.search(source)
            or VAGUE.search(source)
            or EXPERT.search(source)
            or DOCUMENT.search(source)
            or MEDIA.search(source)
            or POLL.search(source)
            or PRONOUN.match(source)
            or source[:1].isupper()
        )
    )


def find_attributions(article: Article) -> list[Attribution]:
    """Every attribution the finder sees in ``article``, in text order."""
    return _Finder(article).run()


def attributions(article_id: str, corpus: Corpus | None = None) -> pd.DataFrame:
    """The attributions of one article as a table, one row each (offsets into the body).

    >>> table = attributions("putin-changed-stance")
    >>> list(table.columns) == COLUMNS, set(table["quote_kind"]) <= {"direct", "indirect", "mixed"}
    (True, True)
    """
    article = (corpus or default()).article(article_id)
    rows = [asdict(found) for found in find_attributions(article)]
    return pd.DataFrame(rows, columns=COLUMNS)
