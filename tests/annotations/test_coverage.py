"""Coverage and consistency rules: each one fails on a key that breaks it, and exceptions work."""

from __future__ import annotations

import re

import pytest

from medialit.annotations.coverage import (
    contradictions,
    coverage_problems,
    duplicate_paragraph_frames,
    gaps,
    key_problems,
    voice_problems,
)
from medialit.annotations.key import load_key

from .conftest import write_key


def entries_of(text: str) -> list[str]:
    """The pilot key's entries as YAML chunks (each starts with '- id:')."""
    body = text.split("entries:\n", 1)[1]
    return [chunk for chunk in re.split(r"(?m)^(?=- id: )", body) if chunk.startswith("- id:")]


def header_of(text: str) -> str:
    return text.split("entries:\n", 1)[0] + "entries:\n"


def key_without(sources, corpus, pilot_text, *entry_ids, extra: str = "", add: str = ""):
    kept = [
        chunk
        for chunk in entries_of(pilot_text)
        if chunk.split("\n", 1)[0].removeprefix("- id: ").strip() not in entry_ids
    ]
    path = write_key(sources, "".join(kept) + add + extra, header=header_of(pilot_text))
    return load_key(path, corpus)


def test_the_pilot_key_is_complete(sources, corpus, pilot_text):
    key = key_without(sources, corpus, pilot_text)
    assert gaps(key, corpus) == []
    assert key_problems(key, corpus) == []


def test_a_paragraph_without_a_frame(sources, corpus, pilot_text):
    key = key_without(sources, corpus, pilot_text, "frame-p05")
    (problem,) = coverage_problems(key, corpus)
    assert problem.place == "putin-changed-stance:p05"
    assert problem.message.startswith("paragraph_frame:")
    assert "add a framing entry" in problem.message


def test_a_sentence_without_a_claim(sources, corpus, pilot_text):
    key = key_without(sources, corpus, pilot_text, "claim-p11-1")
    (problem,) = coverage_problems(key, corpus)
    assert problem.message.startswith("sentence_claim:") and "Thus, coupled" in problem.message


def test_a_quotation_without_a_sourcing_entry_and_its_exception(sources, corpus, pilot_text):
    key = key_without(sources, corpus, pilot_text, "source-p07-striking")
    (problem,) = coverage_problems(key, corpus)
    assert problem.message.startswith("direct_quote:") and "striking" in problem.message
    exception = (
        "exceptions:\n- rule: direct_quote\n  paragraph_id: putin-changed-stance:p07\n"
        "  text: “striking”\n  reason: A scare quote with no speaker.\n"
    )
    key = key_without(sources, corpus, pilot_text, "source-p07-striking", extra=exception)
    assert coverage_problems(key, corpus) == []


def test_a_stale_exception_is_reported(sources, corpus, pilot_text):
    exception = (
        "exceptions:\n- rule: sentence_claim\n  paragraph_id: putin-changed-stance:p11\n"
        "  reason: Not needed any more.\n"
    )
    key = key_without(sources, corpus, pilot_text, extra=exception)
    (problem,) = coverage_problems(key, corpus)
    assert "excuses nothing" in problem.message


def test_link_cues_must_be_covered(sources, corpus):
    header = "article_id: russia-china-resist\nstatus: draft\nannotators: [t]\nentries:\n"
    frame = (
        "- id: f1\n  paragraph_id: russia-china-resist:p21\n  layer: framing\n"
        "  frame: political\n  frame_mode: episodic\n  rationale: T.\n"
    )
    path = write_key(sources, frame, header=header, name="russia-china-resist.yaml")
    found = {gap.text for gap in gaps(load_key(path, corpus), corpus) if gap.rule == "link_cue"}
    assert "passed legislation" in found
    link = (
        "- id: s1\n  paragraph_id: russia-china-resist:p21\n  layer: sourcing\n"
        "  span: allowing Putin to run for president for two more 6-year terms\n"
        "  cue: passed legislation\n  source_type: hyperlink_only\n  quote_kind: indirect\n"
        "  rationale: T.\n"
    )
    path = write_key(sources, frame + link, header=header, name="russia-china-resist.yaml")
    key = load_key(path, corpus)
    assert key.entry("s1").linked
    found = {gap.text for gap in gaps(key, corpus) if gap.rule == "link_cue"}
    assert "passed legislation" not in found


def test_contradictory_labels_on_one_span(sources, corpus, pilot_text):
    clash = (
        "- id: clash\n  paragraph_id: putin-changed-stance:p16\n  layer: claims\n"
        "  span: Russia’s ambitions guide its national interest.\n"
        "  claim_kind: prediction\n  check_worthiness: not_factual\n  voice: author\n"
        "  rationale: A second opinion.\n"
    )
    key = key_without(sources, corpus, pilot_text, add=clash)
    (problem,) = contradictions(key)
    assert "'claim-p16-1' and 'clash'" in problem.place
    assert "different claim_kind (opinion vs prediction)" in problem.message
    allowed = clash.replace("  rationale:", "  alternatives: [opinion]\n  rationale:")
    key = key_without(sources, corpus, pilot_text, add=allowed)
    assert contradictions(key) == []


def test_the_same_technique_twice_on_one_span(sources, corpus, pilot_text):
    twice = (
        "- id: again\n  paragraph_id: putin-changed-stance:p02\n  layer: persuasion\n"
        "  span: the Chinese wormhole\n  technique: loaded_language\n  rationale: Again.\n"
    )
    key = key_without(sources, corpus, pilot_text, add=twice)
    (problem,) = contradictions(key)
    assert "keep one" in problem.message


def test_a_claim_inside_a_direct_quote_cannot_be_the_authors(sources, corpus, pilot_text):
    text = pilot_text.replace(
        "  span: It is unfortunate that many attempts are being made to unnecessarily bring "
        "bilateral issues into the SCO agenda.\n  claim_kind: opinion\n  check_worthiness: "
        "not_factual\n  voice: attributed",
        "  span: It is unfortunate that many attempts are being made to unnecessarily bring "
        "bilateral issues into the SCO agenda.\n  claim_kind: opinion\n  check_worthiness: "
        "not_factual\n  voice: author",
    )
    assert text != pilot_text
    key = key_without(sources, corpus, text)
    (problem,) = voice_problems(key)
    assert "claim-p04-1" in problem.place and "Narendra Modi" in problem.message


def test_one_paragraph_frame_per_paragraph(sources, corpus, pilot_text):
    second = (
        "- id: frame-p03-again\n  paragraph_id: putin-changed-stance:p03\n"
        "  layer: framing\n  frame: external_regulation\n  frame_mode: episodic\n"
        "  rationale: Twice.\n"
    )
    key = key_without(sources, corpus, pilot_text, add=second)
    (problem,) = duplicate_paragraph_frames(key)
    assert "second paragraph-level framing entry" in problem.message


@pytest.mark.parametrize("entry_id", ["frame-p10", "claim-p10-2", "source-p10-bronk"])
def test_each_rule_catches_its_own_gap(sources, corpus, pilot_text, entry_id):
    key = key_without(sources, corpus, pilot_text, entry_id)
    assert key_problems(key, corpus), f"removing {entry_id} should leave a gap"
