"""The second-reader tool: per-layer agreement between two key files of one article."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from medialit.annotations.agreement import compare, load, main
from medialit.annotations.key import key_dir

ARTICLE = "putin-changed-stance"


def _copy(tmp_path: Path, change=None) -> Path:
    source = key_dir() / f"{ARTICLE}.yaml"
    target = tmp_path / f"{ARTICLE}.yaml"
    if change is None:
        shutil.copy(source, target)
        return target
    key = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(key)
    target.write_text(yaml.safe_dump(key, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def test_a_key_agrees_perfectly_with_itself(tmp_path):
    rows = compare(load(key_dir() / f"{ARTICLE}.yaml"), load(_copy(tmp_path)))
    assert {row.layer for row in rows} >= {
        "primary frame",
        "Entman: problem_definition",
        "claim kind",
        "check-worthiness",
        "sourcing spans",
        "hedges and boosters",
        "techniques",
    }
    assert all(row.value == 1.0 for row in rows), [r for r in rows if r.value != 1.0]


def test_disagreements_lower_the_right_layers(tmp_path):
    def recode(key):
        frames = [e for e in key["entries"] if e["layer"] == "framing" and "span" not in e]
        for entry in frames[:4]:
            entry["frame"] = "economic" if entry["frame"] != "economic" else "political"
        key["entries"] = [e for e in key["entries"] if not e.get("marker")]

    rows = {
        row.layer: row
        for row in compare(load(key_dir() / f"{ARTICLE}.yaml"), load(_copy(tmp_path, recode)))
    }
    assert rows["primary frame"].value < 0.9
    assert rows["hedges and boosters"].value == 0.0
    assert rows["claim kind"].value == 1.0
    assert "below 0.667" in rows["hedges and boosters"].note


def test_the_command_prints_a_table_and_writes_csv(tmp_path, capsys):
    target = tmp_path / "agreement.csv"
    status = main([str(key_dir() / f"{ARTICLE}.yaml"), str(_copy(tmp_path)), "--csv", str(target)])
    assert status == 0
    assert "primary frame" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8").startswith("layer,measure,value")


def test_keys_of_two_articles_are_refused(capsys):
    status = main([str(key_dir() / f"{ARTICLE}.yaml"), str(key_dir() / "russia-china-resist.yaml")])
    assert status == 2
    assert "different articles" in capsys.readouterr().err
