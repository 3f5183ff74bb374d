"""Pydantic models of the answer key: one entry, one key file, and an entry placed in the text."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from medialit.annotations import labels

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PARAGRAPH_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*:p\d{2,}$"
MAX_RATIONALE = 320

# Each label-valued field of an entry and the label set its values come from.
LABEL_FIELDS: dict[str, str] = {
    "frame": "frames",
    "secondary_frames": "frames",
    "entman_functions": "entman_functions",
    "frame_mode": "frame_modes",
    "source_type": "source_types",
    "quote_kind": "quote_kinds",
    "claim_kind": "claim_kinds",
    "check_worthiness": "check_worthiness",
    "voice": "voices",
    "marker": "stance_markers",
    "technique": "techniques",
}
LIST_FIELDS = ("secondary_frames", "entman_functions")
# The fields each layer may use; any other layer-specific field on an entry is a mistake.
LAYER_FIELDS: dict[str, tuple[str, ...]] = {
    "framing": ("frame", "secondary_frames", "entman_functions", "frame_mode"),
    "sourcing": ("source_type", "quote_kind", "source", "source_name", "cue"),
    "claims": ("claim_kind", "check_worthiness", "voice", "marker", "verification"),
    "persuasion": ("technique",),
}
# The single-valued field that an accepted alternative label stands in for, by label set.
ALTERNATIVE_FOR: dict[str, str] = {
    "frames": "frame",
    "entman_functions": "entman_functions",
    "frame_modes": "frame_mode",
    "source_types": "source_type",
    "quote_kinds": "quote_kind",
    "claim_kinds": "claim_kind",
    "check_worthiness": "check_worthiness",
    "voices": "voice",
    "stance_markers": "marker",
    "techniques": "technique",
}
# Which check-worthiness values fit which claim kind.
WORTHINESS_BY_KIND: dict[str, tuple[str, ...]] = {
    "verifiable_fact": ("unimportant_fact", "check_worthy"),
    "prediction": ("not_factual", "check_worthy"),
    "opinion": ("not_factual",),
    "prescription": ("not_factual",),
    "no_claim": ("not_factual",),
}
COVERAGE_RULES: dict[str, str] = {
    "paragraph_frame": "every paragraph has a paragraph-level framing entry",
    "sentence_claim": "every sentence overlaps a claims entry with a claim kind",
    "direct_quote": "every quotation the corpus finds overlaps a sourcing entry",
    "link_cue": "every hyperlink cue overlaps a sourcing entry's span, source or cue",
}


def _check_label(set_id: str, value: str, field: str) -> str:
    label_set = labels.label_set(set_id)
    if value not in label_set:
        raise ValueError(f"{field}: {label_set.unknown_message(value)}")
    return value


class Verification(BaseModel):
    """The verdict on a check-worthy claim, with the evidence and where it comes from.

    >>> Verification(verdict="unverified").verdict
    'unverified'
    >>> Verification(verdict="supported")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Verification
    ...
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    verdict: str
    evidence: str | None = None
    citations: list[str] = Field(default_factory=list)
    event_date: dt.date | None = None
    checked: dt.date | None = None

    @field_validator("verdict")
    @classmethod
    def _known_verdict(cls, value: str) -> str:
        return _check_label("verdicts", value, "verdict")

    @model_validator(mode="after")
    def _evidence_given(self) -> Verification:
        if self.verdict == "unverified":
            return self
        if not self.evidence:
            raise ValueError(
                f"verdict {self.verdict!r} needs `evidence`: one or two sentences saying what the "
                "sources show (or, for unverifiable, where you looked)."
            )
        if not self.citations:
            raise ValueError(
                f"verdict {self.verdict!r} needs `citations`: a list naming each source (author or "
                "body, title, date); use verdict 'unverified' if nothing has been checked yet."
            )
        if self.verdict == "overtaken_by_events" and self.event_date is None:
            raise ValueError(
                "verdict 'overtaken_by_events' needs `event_date`: the date of the events that "
                "settled the question (YYYY-MM-DD)."
            )
        return self


class KeyEntry(BaseModel):
    """One annotation in a key file, as an annotator writes it (no offsets: they are computed).

    >>> entry = KeyEntry(id="s01", paragraph_id="some-article:p03", layer="sourcing",
    ...                  span="the indispensable nation", source_type="official",
    ...                  quote_kind="direct", source="Madeline Albright", cue="described",
    ...                  rationale="Albright's words in quotation marks.")
    >>> entry.label_ids()
    ['official', 'direct']
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=ID_PATTERN, max_length=40)
    paragraph_id: str = Field(pattern=PARAGRAPH_ID_PATTERN)
    layer: str
    span: str | None = None
    occurrence: int = Field(default=1, ge=1)
    rationale: str = Field(min_length=1)
    alternatives: list[str] = Field(default_factory=list)
    # draft keys only: what the annotator still has to decide (the layer's rules wait until then)
    todo: str | None = Field(default=None, min_length=1)
    # framing
    frame: str | None = None
    secondary_frames: list[str] = Field(default_factory=list)
    entman_functions: list[str] = Field(default_factory=list)
    frame_mode: str | None = None
    # sourcing
    source_type: str | None = None
    quote_kind: str | None = None
    source: str | None = None
    source_name: str | None = None
    cue: str | None = None
    # claims
    claim_kind: str | None = None
    check_worthiness: str | None = None
    voice: str | None = None
    marker: str | None = None
    verification: Verification | None = None
    # persuasion
    technique: str | None = None

    SPECIFIC_FIELDS: ClassVar[tuple[str, ...]] = tuple(
        field for fields in LAYER_FIELDS.values() for field in fields
    )

    @property
    def article_id(self) -> str:
        """The article part of the paragraph id."""
        return self.paragraph_id.split(":", 1)[0]

    @field_validator("layer")
    @classmethod
    def _known_layer(cls, value: str) -> str:
        return _check_label("layers", value, "layer")

    @field_validator("rationale")
    @classmethod
    def _short_rationale(cls, value: str) -> str:
        if len(value) > MAX_RATIONALE:
            raise ValueError(
                f"rationale is {len(value)} characters; keep it to one sentence of at most "
                f"{MAX_RATIONALE} (put longer arguments in the codebook's decision guide)."
            )
        return value

    @field_validator("span", "source", "cue", "source_name")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError(
                "is empty: give the words exactly as the article has them, or leave the field out."
            )
        return value

    @model_validator(mode="before")
    @classmethod
    def _no_typed_offsets(cls, data: Any) -> Any:
        if isinstance(data, dict):
            typed = [name for name in ("start", "end", "offsets") if name in data]
            if typed and cls is KeyEntry:
                raise ValueError(
                    f"remove {', '.join(typed)}: offsets are computed from `span`, never typed."
                )
        return data

    @model_validator(mode="after")
    def _labels_fit_layer(self) -> KeyEntry:
        for field, set_id in LABEL_FIELDS.items():
            value = getattr(self, field)
            values = value if isinstance(value, list) else [] if value is None else [value]
            for item in values:
                _check_label(set_id, item, field)
            if field in LIST_FIELDS and len(set(values)) != len(values):
                raise ValueError(f"{field} lists a label twice: {values}.")
        foreign = [
            field
            for field in self.SPECIFIC_FIELDS
            if field not in LAYER_FIELDS[self.layer] and getattr(self, field) not in (None, [])
        ]
        if foreign:
            owners = {f: layer for layer, fs in LAYER_FIELDS.items() for f in fs}
            detail = ", ".join(f"{field} (a {owners[field]} field)" for field in foreign)
            raise ValueError(
                f"a {self.layer} entry cannot have {detail}; make a separate entry in that layer."
            )
        if self.todo is None:
            getattr(self, f"_check_{self.layer}")()
        self._check_alternatives()
        return self

    def _require(self, *fields: str) -> None:
        missing = [field for field in fields if getattr(self, field) in (None, [])]
        if missing:
            raise ValueError(f"a {self.layer} entry needs {', '.join(missing)}.")

    def _check_framing(self) -> None:
        if self.span is None:
            self._require("frame", "frame_mode")
        elif self.frame is None and not self.entman_functions:
            raise ValueError(
                "a framing entry with a span needs a frame or entman_functions (leave out `span` "
                "to frame the whole paragraph)."
            )
        if self.secondary_frames and self.frame is None:
            raise ValueError("secondary_frames need a primary `frame`.")
        if self.frame in self.secondary_frames:
            raise ValueError(f"{self.frame!r} is both the frame and a secondary frame.")

    def _check_sourcing(self) -> None:
        self._require("span", "source_type", "quote_kind")
        if self.source_type not in ("hyperlink_only", "vague") and self.source is None:
            raise ValueError(
                "a sourcing entry needs `source`: the words of the article that name the source "
                "(only a vague or hyperlink_only source may name no one)."
            )
        if self.source_type == "hyperlink_only" and self.cue is None:
            raise ValueError("a hyperlink_only entry needs `cue`: the link's anchor text.")

    def _check_claims(self) -> None:
        self._require("span")
        if (self.claim_kind is None) == (self.marker is None):
            raise ValueError(
                "a claims entry has either `claim_kind` (a statement) or `marker` (a hedge or "
                "booster), not both and not neither."
            )
        if self.marker is not None:
            extra = [
                f
                for f in ("check_worthiness", "voice", "verification")
                if getattr(self, f) is not None
            ]
            if extra:
                raise ValueError(f"a hedge or booster entry cannot have {', '.join(extra)}.")
            return
        self._require("check_worthiness", "voice")
        allowed = WORTHINESS_BY_KIND[self.claim_kind]
        if self.check_worthiness not in allowed:
            raise ValueError(
                f"check_worthiness {self.check_worthiness!r} does not fit claim_kind "
                f"{self.claim_kind!r}; use {' or '.join(allowed)} (or split the span into a fact "
                "and an opinion)."
            )
        if self.check_worthiness == "check_worthy" and self.verification is None:
            raise ValueError(
                "a check-worthy claim needs `verification` (at least `verdict: unverified`)."
            )
        if self.check_worthiness == "not_factual" and self.verification is not None:
            raise ValueError("a not_factual claim has nothing to verify; remove `verification`.")

    def _check_persuasion(self) -> None:
        self._require("span", "technique")

    def _check_alternatives(self) -> None:
        for alternative in self.alternatives:
            try:
                set_id = labels.set_of(alternative).id
            except labels.UnknownLabel as error:
                raise ValueError(f"alternatives: {error}") from None
            if set_id not in labels.LAYER_LABEL_SETS[self.layer] or set_id not in ALTERNATIVE_FOR:
                raise ValueError(
                    f"alternatives: {alternative!r} is a label of {set_id}, which a {self.layer} "
                    "entry does not use."
                )
            field = ALTERNATIVE_FOR[set_id]
            if getattr(self, field) in (None, []):
                raise ValueError(
                    f"alternatives: {alternative!r} would stand in for `{field}`, which this entry "
                    "does not set."
                )
            if alternative in self.label_ids():
                raise ValueError(f"alternatives: {alternative!r} is already one of the labels.")
        if len(set(self.alternatives)) != len(self.alternatives):
            raise ValueError("alternatives lists a label twice.")

    def label_ids(self) -> list[str]:
        """Every label id this entry gives (alternatives not included), in field order."""
        found: list[str] = []
        for field in LABEL_FIELDS:
            value = getattr(self, field)
            found.extend(value if isinstance(value, list) else [] if value is None else [value])
        if self.verification is not None:
            found.append(self.verification.verdict)
        return found

    def accepts(self, field: str, label_id: str) -> bool:
        """Whether ``label_id`` is a right answer for ``field``: the key's label or an alternative.

        >>> entry = KeyEntry(id="f01", paragraph_id="a:p01", layer="framing", frame="political",
        ...                  frame_mode="episodic", alternatives=["external_regulation"],
        ...                  rationale="Domestic politics.")
        >>> entry.accepts("frame", "external_regulation"), entry.accepts("frame", "economic")
        (True, False)
        """
        value = getattr(self, field)
        given = value if isinstance(value, list) else [] if value is None else [value]
        if label_id in given:
            return True
        set_id = LABEL_FIELDS.get(field)
        return (
            set_id is not None
            and ALTERNATIVE_FOR.get(set_id) == field
            and label_id in labels.label_set(set_id)
            and label_id in self.alternatives
        )


class CoverageException(BaseModel):
    """A documented exception to a coverage rule: what is left unannotated and why."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    rule: str
    paragraph_id: str = Field(pattern=PARAGRAPH_ID_PATTERN)
    text: str | None = None
    reason: str = Field(min_length=1)

    @field_validator("rule")
    @classmethod
    def _known_rule(cls, value: str) -> str:
        if value not in COVERAGE_RULES:
            raise ValueError(
                f"rule {value!r} is not a coverage rule; use one of "
                + ", ".join(COVERAGE_RULES)
                + "."
            )
        return value


class KeyFile(BaseModel):
    """One article's key file, ``sources/annotations/<article_id>.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    article_id: str = Field(pattern=ID_PATTERN)
    status: str = Field(pattern=r"^(pilot|draft|reviewed)$")
    annotators: list[str] = Field(min_length=1)
    reviewed_by: list[str] = Field(default_factory=list)
    entries: list[KeyEntry] = Field(min_length=1)
    exceptions: list[CoverageException] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> KeyFile:
        seen: set[str] = set()
        for entry in self.entries:
            if entry.id in seen:
                raise ValueError(f"entry id {entry.id!r} is used twice; ids must be unique.")
            seen.add(entry.id)
        for where in [*self.entries, *self.exceptions]:
            if where.paragraph_id.split(":", 1)[0] != self.article_id:
                raise ValueError(
                    f"paragraph_id {where.paragraph_id!r} is not in article {self.article_id!r}."
                )
        unfinished = [entry.id for entry in self.entries if entry.todo is not None]
        if unfinished and self.status != "draft":
            raise ValueError(
                f"entry {unfinished[0]!r} still has `todo` ({len(unfinished)} in all): finish them "
                "and remove `todo`, or keep `status: draft`."
            )
        if self.status == "reviewed" and not self.reviewed_by:
            raise ValueError("a reviewed key names its reviewers in `reviewed_by`.")
        return self


class Annotation(KeyEntry):
    """A key entry placed in the article: offsets and exact text computed through the corpus."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    source_start: int | None = None
    source_end: int | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    category: str | None = None
    linked: bool = False

    @model_validator(mode="after")
    def _offsets_in_order(self) -> Annotation:
        if self.end <= self.start or self.end - self.start != len(self.text):
            raise ValueError(f"offsets {self.start}-{self.end} do not fit the text {self.text!r}.")
        if self.technique is not None and self.category != labels.category_of(self.technique):
            raise ValueError(f"category must be {labels.category_of(self.technique)!r}.")
        return self

    @property
    def key(self) -> str:
        """A stable id for this annotation across the whole course: ``<article_id>/<entry id>``."""
        return f"{self.article_id}/{self.id}"
