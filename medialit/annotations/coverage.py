"""Coverage and consistency rules for a placed key: what every complete key must annotate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from medialit.annotations.key import Key, Problem, load_keys
from medialit.annotations.quotes import find_quotations
from medialit.annotations.schema import Annotation, CoverageException
from medialit.corpus import Corpus, default
from medialit.corpus.textnorm import fold

# Single-valued fields that two entries on the same span must not disagree on.
EXCLUSIVE_FIELDS = {
    "framing": ("frame", "frame_mode"),
    "sourcing": ("source_type", "quote_kind"),
    "claims": ("claim_kind", "check_worthiness", "voice", "marker"),
    "persuasion": (),
}


@dataclass(frozen=True)
class Gap:
    """Something in the article that a coverage rule says the key must annotate."""

    rule: str
    paragraph_id: str
    start: int
    end: int
    text: str


def _overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    return start < other_end and other_start < end


def _excused(gap: Gap, exception: CoverageException) -> bool:
    if exception.rule != gap.rule or exception.paragraph_id != gap.paragraph_id:
        return False
    return (
        exception.text is None
        or fold(exception.text) in fold(gap.text)
        or fold(gap.text) in fold(exception.text)
    )


def gaps(key: Key, corpus: Corpus | None = None) -> list[Gap]:
    """Everything the coverage rules require that the key does not annotate (before exceptions).

    >>> from medialit.annotations.key import load_key
    >>> gaps(load_key("putin-changed-stance"))
    []
    """
    source = corpus if corpus is not None else default()
    article = source.article(key.article_id)
    framing = key.layer("framing")
    claims = [a for a in key.layer("claims") if a.claim_kind is not None]
    sourcing = key.layer("sourcing")
    found: list[Gap] = []
    for paragraph in article.paragraphs:
        if not any(
            a.paragraph_id == paragraph.paragraph_id
            and a.frame is not None
            and (a.start, a.end) == (paragraph.start, paragraph.end)
            for a in framing
        ):
            found.append(
                Gap(
                    "paragraph_frame",
                    paragraph.paragraph_id,
                    paragraph.start,
                    paragraph.end,
                    paragraph.text,
                )
            )
    for sentence in article.sentences:
        if not any(_overlaps(sentence.start, sentence.end, a.start, a.end) for a in claims):
            found.append(
                Gap(
                    "sentence_claim",
                    sentence.paragraph_id,
                    sentence.start,
                    sentence.end,
                    sentence.text,
                )
            )
    for quote in find_quotations(article):
        if not any(_overlaps(quote.start, quote.end, a.start, a.end) for a in sourcing):
            found.append(
                Gap("direct_quote", quote.paragraph_id, quote.start, quote.end, quote.text)
            )
    for cue in source.link_cues(key.article_id).itertuples():
        ranges = [(a.start, a.end) for a in sourcing]
        ranges += [(a.source_start, a.source_end) for a in sourcing if a.source_start is not None]
        ranges += [(a.cue_start, a.cue_end) for a in sourcing if a.cue_start is not None]
        if not any(_overlaps(cue.start, cue.end, start, end) for start, end in ranges):
            found.append(Gap("link_cue", cue.paragraph_id, cue.start, cue.end, cue.anchor_text))
    return found


GAP_LAYER = {
    "paragraph_frame": "framing",
    "sentence_claim": "claims",
    "direct_quote": "sourcing",
    "link_cue": "sourcing",
}


def _pending(gap: Gap, key: Key) -> bool:
    """A draft's gap that an entry still marked todo covers: it is listed once, as that todo."""
    return any(
        entry.layer == GAP_LAYER[gap.rule] and _overlaps(gap.start, gap.end, entry.start, entry.end)
        for entry in key.unfinished
    )


def coverage_problems(key: Key, corpus: Corpus | None = None) -> list[Problem]:
    """Gaps not excused by a documented exception (nor pending: covered by a draft's todo
    entry), and exceptions that excuse nothing."""
    problems: list[Problem] = []
    open_gaps = gaps(key, corpus)
    used: set[int] = set()
    fixes = {
        "paragraph_frame": "add a framing entry without `span` (frame + frame_mode) for it",
        "sentence_claim": "add a claims entry with a claim_kind for this sentence",
        "direct_quote": "add a sourcing entry for this quotation (source, cue, source_type, "
        "quote_kind)",
        "link_cue": "add a sourcing entry whose span, source or cue includes this link text",
    }
    for gap in open_gaps:
        excuse = [n for n, e in enumerate(key.exceptions) if _excused(gap, e)]
        if excuse:
            used.update(excuse)
            continue
        if _pending(gap, key):
            continue
        problems.append(
            Problem(
                key.path,
                gap.paragraph_id,
                f"{gap.rule}: {gap.text[:80]!r} is not annotated: {fixes[gap.rule]}, or list it "
                "under `exceptions:` with the reason.",
            )
        )
    for number, exception in enumerate(key.exceptions):
        if number not in used:
            problems.append(
                Problem(
                    key.path,
                    f"exception #{number + 1} ({exception.paragraph_id})",
                    f"excuses nothing: no {exception.rule} gap matches it any more; remove it.",
                )
            )
    return problems


def contradictions(key: Key) -> list[Problem]:
    """Entries on the same span that disagree, unless one label is the other's alternative."""
    problems: list[Problem] = []
    groups: dict[tuple[str, int, int], list[Annotation]] = defaultdict(list)
    for annotation in key.annotations:
        groups[(annotation.layer, annotation.start, annotation.end)].append(annotation)
    for (layer, _, _), group in groups.items():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                if layer == "persuasion" and first.technique == second.technique:
                    problems.append(
                        Problem(
                            key.path,
                            f"entries {first.id!r} and {second.id!r}",
                            f"both mark {first.text[:60]!r} as {first.technique}: keep one.",
                        )
                    )
                for name in EXCLUSIVE_FIELDS[layer]:
                    a, b = getattr(first, name), getattr(second, name)
                    if a is None or b is None or a == b:
                        continue
                    if b in first.alternatives or a in second.alternatives:
                        continue
                    problems.append(
                        Problem(
                            key.path,
                            f"entries {first.id!r} and {second.id!r}",
                            f"give the span {first.text[:60]!r} different {name} ({a} vs {b}): "
                            "merge them into one entry, or list one label under the other's "
                            "`alternatives`.",
                        )
                    )
    return problems


def voice_problems(key: Key) -> list[Problem]:
    """Claims inside a direct quotation cannot be in the author's own voice."""
    problems: list[Problem] = []
    direct = [a for a in key.layer("sourcing") if a.quote_kind == "direct"]
    for claim in key.layer("claims"):
        if claim.voice != "author":
            continue
        for quote in direct:
            if quote.start <= claim.start and claim.end <= quote.end:
                problems.append(
                    Problem(
                        key.path,
                        f"entry {claim.id!r} ({claim.paragraph_id})",
                        f"voice is 'author' but the claim lies inside the direct quote of entry "
                        f"{quote.id!r} ({quote.source_name or quote.source}): use voice attributed "
                        "or endorsed.",
                    )
                )
                break
    return problems


def duplicate_paragraph_frames(key: Key) -> list[Problem]:
    """At most one paragraph-level framing entry per paragraph."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for annotation in key.layer("framing"):
        if annotation.span is not None:
            continue
        if annotation.paragraph_id in seen:
            problems.append(
                Problem(
                    key.path,
                    f"entry {annotation.id!r} ({annotation.paragraph_id})",
                    f"is a second paragraph-level framing entry (the first is "
                    f"{seen[annotation.paragraph_id]!r}): merge them; use secondary_frames.",
                )
            )
        seen[annotation.paragraph_id] = annotation.id
    return problems


def key_problems(key: Key, corpus: Corpus | None = None) -> list[Problem]:
    """Every rule a placed key must pass: coverage, contradictions, voices, one paragraph frame."""
    return [
        *coverage_problems(key, corpus),
        *contradictions(key),
        *voice_problems(key),
        *duplicate_paragraph_frames(key),
    ]


def check_all(corpus: Corpus | None = None) -> list[Problem]:
    """Load every key file and apply every rule; an empty list means all keys are sound."""
    from medialit.annotations.key import KeyFileError

    try:
        keys = load_keys(corpus)
    except KeyFileError as error:
        return list(error.problems)
    return [problem for key in keys.values() for problem in key_problems(key, corpus)]
