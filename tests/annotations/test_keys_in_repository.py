"""The repository's key files: every span verbatim, every label valid, every rule met."""

from __future__ import annotations

import pytest

from medialit import corpus
from medialit.annotations import labels
from medialit.annotations.coverage import key_problems
from medialit.annotations.key import key_paths, load_key
from medialit.annotations.schema import LABEL_FIELDS
from medialit.corpus.textnorm import fold

PATHS = key_paths()


def test_there_is_at_least_the_pilot_key(shipped):
    shipped("putin-changed-stance")
    assert "putin-changed-stance.yaml" in [path.name for path in PATHS]


@pytest.fixture(scope="module", params=PATHS, ids=[path.stem for path in PATHS])
def key(request):
    return load_key(request.param)


def test_every_span_is_verbatim_through_locate(key):
    for annotation in key.annotations:
        words = annotation.span if annotation.span is not None else annotation.text
        found = [
            loc
            for loc in corpus.locate_all(words, key.article_id)
            if loc.paragraph_id == annotation.paragraph_id
        ]
        assert found, f"{annotation.key}: span not verbatim in {annotation.paragraph_id}"
        assert (annotation.start, annotation.end) in {(loc.start, loc.end) for loc in found}


def test_offsets_are_consistent_with_the_text(key):
    article = corpus.article(key.article_id)
    for annotation in key.annotations:
        paragraph = corpus.paragraph(annotation.paragraph_id)
        assert paragraph.start <= annotation.start < annotation.end <= paragraph.end
        assert article.body[annotation.start : annotation.end] == annotation.text
        if annotation.span is not None:
            assert fold(annotation.span) == fold(annotation.text)
        for name in ("source", "cue"):
            start = getattr(annotation, f"{name}_start")
            if getattr(annotation, name) is not None:
                end = getattr(annotation, f"{name}_end")
                assert fold(article.body[start:end]) == fold(getattr(annotation, name))


def test_every_label_is_valid(key):
    for annotation in key.annotations:
        for field, set_id in LABEL_FIELDS.items():
            value = getattr(annotation, field)
            for label_id in value if isinstance(value, list) else [value] if value else []:
                assert label_id in labels.label_set(set_id), (annotation.key, field, label_id)
        for alternative in annotation.alternatives:
            labels.set_of(alternative)
        if annotation.technique:
            assert annotation.category == labels.category_of(annotation.technique)


def test_all_layers_are_present(key):
    """A finished key has every layer; a draft (`annotations draft`, being finished) is only
    required to say so: entries left to do, which `annotations check` lists."""
    if key.status == "draft":
        assert key.unfinished, f"{key.path}: a draft with nothing left to do; set its status"
        return
    for layer in labels.LAYERS.ids():
        assert key.layer(layer), f"{key.path} has no {layer} entries"


def test_coverage_and_consistency_rules_hold(key):
    problems = key_problems(key)
    assert problems == [], "\n".join(str(problem) for problem in problems)


def test_check_worthy_claims_have_verdicts(key):
    for annotation in key.layer("claims"):
        if annotation.check_worthiness == "check_worthy":
            assert annotation.verification is not None, annotation.key
            verdict = annotation.verification.verdict
            assert verdict == "unverified" or annotation.verification.citations, annotation.key
