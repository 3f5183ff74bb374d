"""The annotations command line: check exits 1 on problems; skeleton drafts a key file."""

from __future__ import annotations

import shutil

import yaml

from medialit import corpus
from medialit.annotations.__main__ import main

from .conftest import PILOT, write_key


def test_check_passes_on_the_repository(capsys):
    assert main(["check"]) == 0
    assert "putin-changed-stance.yaml" in capsys.readouterr().out


def test_check_fails_on_a_broken_key(sources, capsys):
    shutil.copy(PILOT, sources / "annotations" / PILOT.name)
    assert main(["--sources", str(sources), "check"]) == 0
    write_key(
        sources,
        "- id: x\n  paragraph_id: putin-changed-stance:p01\n  layer: framing\n"
        "  frame: economic\n  frame_mode: thematic\n  rationale: Only one.\n",
    )
    assert main(["--sources", str(sources), "check"]) == 1
    assert "sentence_claim" in capsys.readouterr().err


def test_skeleton_is_yaml_that_lists_every_paragraph_and_sentence(capsys):
    assert main(["skeleton", "russia-china-resist"]) == 0
    draft = yaml.safe_load(capsys.readouterr().out)
    layers = [entry["layer"] for entry in draft["entries"]]
    article = corpus.article("russia-china-resist")
    assert layers.count("framing") == len(article.paragraphs)
    assert layers.count("claims") == len(article.sentences)
    assert main(["skeleton", "no-such-article"]) == 2
