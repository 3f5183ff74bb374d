"""The key-entry schema: each rule accepts good entries and rejects bad ones, saying why."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from medialit.annotations.schema import KeyEntry, KeyFile, Verification

P = "putin-changed-stance:p04"
BASE = {"id": "e1", "paragraph_id": P, "rationale": "Because."}
FRAMING = {**BASE, "layer": "framing", "frame": "legality", "frame_mode": "episodic"}
SOURCING = {
    **BASE,
    "layer": "sourcing",
    "span": "Modi said",
    "source": "Modi",
    "cue": "said",
    "source_type": "official",
    "quote_kind": "direct",
}
CLAIM = {
    **BASE,
    "layer": "claims",
    "span": "Modi said",
    "claim_kind": "opinion",
    "check_worthiness": "not_factual",
    "voice": "author",
}
TECHNIQUE = {**BASE, "layer": "persuasion", "span": "Modi said", "technique": "loaded_language"}


def rejects(data: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        KeyEntry.model_validate(data)


@pytest.mark.parametrize("data", [FRAMING, SOURCING, CLAIM, TECHNIQUE])
def test_good_entries_pass(data):
    entry = KeyEntry.model_validate(data)
    assert entry.article_id == "putin-changed-stance"
    assert entry.label_ids()


def test_unknown_layer_and_labels():
    rejects({**FRAMING, "layer": "frames"}, "not one of the layers")
    rejects({**FRAMING, "frame": "security"}, "Did you mean 'security_defense'")
    rejects({**SOURCING, "source_type": "offical"}, "Did you mean 'official'")
    rejects({**TECHNIQUE, "technique": "loaded"}, "not one of the persuasion techniques")


def test_offsets_cannot_be_typed():
    rejects({**SOURCING, "start": 3, "end": 9}, "offsets are computed from `span`")


def test_fields_of_another_layer_are_refused():
    rejects({**FRAMING, "technique": "repetition"}, "a persuasion field")
    rejects({**CLAIM, "source_type": "official"}, "a sourcing field")


def test_required_fields_per_layer():
    rejects({k: v for k, v in FRAMING.items() if k != "frame_mode"}, "needs frame_mode")
    rejects({**FRAMING, "span": "Modi said", "frame": None}, "needs a frame or entman_functions")
    rejects({k: v for k, v in SOURCING.items() if k != "source"}, "needs `source`")
    rejects({k: v for k, v in SOURCING.items() if k != "span"}, "needs span")
    rejects({k: v for k, v in TECHNIQUE.items() if k != "technique"}, "needs technique")
    rejects({**CLAIM, "marker": "hedge"}, "not both and not neither")
    rejects({k: v for k, v in CLAIM.items() if k != "voice"}, "needs voice")


def test_vague_and_link_sources_may_name_no_one():
    KeyEntry.model_validate({**SOURCING, "source": None, "source_type": "vague"})
    KeyEntry.model_validate({**SOURCING, "source": None, "source_type": "hyperlink_only"})
    rejects(
        {**SOURCING, "source": None, "cue": None, "source_type": "hyperlink_only"}, "needs `cue`"
    )


def test_markers_carry_no_claim_fields():
    KeyEntry.model_validate({**BASE, "layer": "claims", "span": "seem", "marker": "hedge"})
    rejects(
        {**BASE, "layer": "claims", "span": "seem", "marker": "hedge", "voice": "author"},
        "cannot have voice",
    )


def test_check_worthiness_must_fit_the_claim_kind():
    rejects({**CLAIM, "check_worthiness": "check_worthy"}, "does not fit claim_kind 'opinion'")
    rejects({**CLAIM, "claim_kind": "verifiable_fact"}, "does not fit claim_kind")


def test_check_worthy_claims_need_a_verification():
    fact = {**CLAIM, "claim_kind": "verifiable_fact", "check_worthiness": "check_worthy"}
    rejects(fact, "needs `verification`")
    entry = KeyEntry.model_validate({**fact, "verification": {"verdict": "unverified"}})
    assert entry.verification.verdict == "unverified"
    rejects({**CLAIM, "verification": {"verdict": "unverified"}}, "nothing to verify")


def test_verdicts_need_evidence_citations_and_dates():
    with pytest.raises(ValidationError, match="needs `evidence`"):
        Verification(verdict="supported")
    with pytest.raises(ValidationError, match="needs `citations`"):
        Verification(verdict="contradicted", evidence="The treaty says otherwise.")
    with pytest.raises(ValidationError, match="needs `event_date`"):
        Verification(verdict="overtaken_by_events", evidence="Invasion.", citations=["x"])
    with pytest.raises(ValidationError, match="not one of the verdicts"):
        Verification(verdict="true")
    done = Verification(
        verdict="overtaken_by_events",
        evidence="Invasion.",
        citations=["x"],
        event_date="2022-02-24",
    )
    assert done.event_date.isoformat() == "2022-02-24"


def test_alternatives():
    entry = KeyEntry.model_validate({**FRAMING, "alternatives": ["external_regulation"]})
    assert entry.accepts("frame", "external_regulation")
    assert entry.accepts("frame", "legality")
    assert not entry.accepts("frame", "economic")
    assert not entry.accepts("frame_mode", "external_regulation")
    rejects({**FRAMING, "alternatives": ["legality"]}, "already one of the labels")
    rejects({**FRAMING, "alternatives": ["direct"]}, "does not use")
    rejects({**FRAMING, "alternatives": ["nonsense"]}, "not a label in the codebook")
    rejects({**TECHNIQUE, "alternatives": ["repetition", "repetition"]}, "twice")


def test_frames_may_not_repeat():
    rejects({**FRAMING, "secondary_frames": ["legality"]}, "both the frame and a secondary")
    rejects({**FRAMING, "entman_functions": ["moral_evaluation", "moral_evaluation"]}, "twice")


def test_rationale_is_short_and_ids_are_clean():
    rejects({**FRAMING, "rationale": "x" * 400}, "keep it to one sentence")
    rejects({**FRAMING, "id": "Frame 1"}, "id")
    rejects({**FRAMING, "paragraph_id": "putin-changed-stance:4"}, "paragraph_id")


def test_key_file_rules():
    good = {
        "article_id": "putin-changed-stance",
        "status": "draft",
        "annotators": ["a"],
        "entries": [FRAMING],
    }
    assert len(KeyFile.model_validate(good).entries) == 1
    with pytest.raises(ValidationError, match="used twice"):
        KeyFile.model_validate({**good, "entries": [FRAMING, FRAMING]})
    with pytest.raises(ValidationError, match="is not in article"):
        KeyFile.model_validate({**good, "entries": [{**FRAMING, "paragraph_id": "other:p01"}]})
    with pytest.raises(ValidationError, match="reviewed_by"):
        KeyFile.model_validate({**good, "status": "reviewed"})
    with pytest.raises(ValidationError, match="not a coverage rule"):
        KeyFile.model_validate(
            {**good, "exceptions": [{"rule": "everything", "paragraph_id": P, "reason": "x"}]}
        )
