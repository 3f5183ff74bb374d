"""Reading a submission as data: literals, magics, broken cells, function source, annotations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medialit.grade import answers


def read(kit, *sources: str) -> answers.Submission:
    return answers.read_submission(kit.notebook(extra_cells=list(sources)))


def test_literals_are_read_and_the_last_assignment_wins(kit) -> None:
    sub = read(kit, "q1 = 'Doubt'\nq2 = [1, 2.5, 'x']", "q1 = 'Repetition'\nq3: int = 4")
    assert sub.answers["q1"].value == "Repetition"
    assert sub.answers["q2"].value == [1, 2.5, "x"]
    assert sub.answers["q3"].value == 4


def test_code_on_the_right_is_never_run(kit, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    sub = read(
        kit,
        f"q1 = open({str(marker)!r}, 'w').write('x')",
        f"q2 = __import__('pathlib').Path({str(marker)!r}).touch()",
    )
    assert not marker.exists()
    assert sub.answers["q1"].error and "plain value" in sub.answers["q1"].error
    assert sub.answers["q2"].value is None and sub.answers["q2"].error


def test_magics_and_shell_lines_do_not_hide_answers(kit) -> None:
    sub = read(kit, "%matplotlib inline\n!ls\nq1 = 'Doubt'\nif True:\n    %time x = 1\n")
    assert sub.answers["q1"].value == "Doubt"
    assert sub.broken_cells == []


def test_a_syntax_error_elsewhere_in_the_cell_keeps_the_good_lines(kit) -> None:
    sub = read(kit, "q1 = 'Doubt'\nq2 = [1, 2\nq3 = 5\n")
    assert sub.answers["q1"].value == "Doubt"
    assert sub.answers["q3"].value == 5
    assert "Python cannot read (line 2" in sub.answers["q2"].error  # said, not dropped
    assert sub.broken_cells and sub.broken_cells[0].startswith("cell 2")


def test_source_given_as_list_of_lines(kit) -> None:
    nb = kit.notebook()
    nb["cells"].append({"cell_type": "code", "source": ["q1 = ", "'Doubt'\n"]})
    assert answers.read_submission(nb).answers["q1"].value == "Doubt"


def test_function_source_takes_helpers_and_leaves_the_rest(kit) -> None:
    sub = read(
        kit,
        "import re\nimport pandas as pd\nCUE = r'said'\nq1 = 'x'\nprint('hello')\n",
        "def helper(t):\n    return re.findall(CUE, t)\n\n"
        "def count(t):\n    return len(helper(t))\ncount('he said')\n",
    )
    source = answers.function_source(sub, "count")
    assert "import re" in source and "pandas" not in source and "print" not in source
    assert "CUE = 'said'" in source and "def helper" in source and "q1" not in source
    assert answers.function_source(sub, "absent") is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "not a notebook: its JSON is broken"),
        (b"\xff\xfe\x00", "not a text file"),
        (json.dumps({"nbformat": 3, "worksheets": [], "cells": []}).encode(), "format version 3"),
        (json.dumps([1, 2]).encode(), "not a Jupyter notebook"),
        (json.dumps({"nbformat": 4, "cells": {}}).encode(), "'cells' is not a list"),
    ],
    ids=["broken-json", "binary", "version-3", "json-list", "cells-not-list"],
)
def test_unreadable_notebooks_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(answers.Ungradable, match=reason):
        answers.load_notebook(data, "sourcing.ipynb")


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "sourcing.ipynb"
    with open(big, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(answers.Ungradable, match=r"50\.0 MB.*up to 10 MB"):
        answers.read_bytes(big)


def test_links_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.ipynb"
    target.write_text("{}")
    link = tmp_path / "sourcing.ipynb"
    link.symlink_to(target)
    with pytest.raises(answers.Ungradable, match="symbolic link"):
        answers.read_bytes(link)


def test_annotations_file_skips_entries_that_do_not_fit(tmp_path: Path) -> None:
    path = tmp_path / "sourcing.answers.json"
    good = {
        "paragraph_id": "a:p01",
        "start": 0,
        "end": 4,
        "text": "abcd",
        "layer": "sourcing",
        "label": None,
    }
    path.write_text(
        json.dumps({"schema": 1, "annotations": [good, {"start": "0"}, {**good, "end": -1}]})
    )
    read = answers.read_annotations(path)
    assert read.items == [good]
    assert len(read.problems) == 2


def test_annotations_file_missing_or_broken(tmp_path: Path) -> None:
    assert answers.read_annotations(tmp_path / "absent.answers.json").missing
    broken = tmp_path / "broken.answers.json"
    broken.write_text("[")
    read = answers.read_annotations(broken)
    assert not read.missing and read.problems and not read.items
