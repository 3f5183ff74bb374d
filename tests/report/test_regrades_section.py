"""The report's Regrades section: read from regrade-report.csv beside the gradebook."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medialit.report import ReportError, regrades

KEY, ENGINE = "key or item definition changed", "grading engine changed (version 3 to 4)"
REPORT = f"""student,set,item,old,new,why
ann,s,q1,2,0,{KEY}
ann,s,(total),5,3,{KEY}
bo,s,q1,2,0,{KEY}; {ENGINE}
bo,s,q2,pending,2.5,hand-graded score entered
bo,s,(total),4,4.5,{KEY}; {ENGINE}; hand-graded score entered
cy,s,q1,absent,1,first graded in this run (no row before)
cy,s,(total),absent,1,first graded in this run (no row before)
"""


def _cells(page: str, caption: str) -> list[list[str]]:
    table = page[page.index(f"<caption>{caption}</caption>") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in rows]


def test_counts_per_reason_and_moved_totals_are_hand_computed(tmp_path: Path) -> None:
    (tmp_path / "regrade-report.csv").write_text(REPORT)
    frame = regrades.load_regrades(tmp_path / "gradebook.csv")
    page = regrades.section(frame)
    assert "changed 4 item score(s) of 3 student(s)" in page
    assert _cells(page, "Changed item scores per reason") == [
        ["reason", "item scores changed", "students"],
        ["key or item definition changed", "2", "2"],
        ["first graded in this run (no row before)", "1", "1"],
        ["grading engine changed (version 3 to 4)", "1", "1"],
        ["hand-graded score entered", "1", "1"],
    ]
    moved = _cells(page, "Set totals that moved, largest change first")
    assert [row[:5] for row in moved] == [
        ["student", "set", "old", "new", "change"],
        ["cy", "s", "absent", "1", "–"],
        ["ann", "s", "5", "3", "-2"],
        ["bo", "s", "4", "4.5", "+0.5"],
    ]


def test_no_report_no_section_and_an_empty_report_says_nothing_changed(tmp_path: Path) -> None:
    assert regrades.load_regrades(tmp_path / "gradebook.csv") is None
    assert regrades.section(None) == ""
    (tmp_path / "regrade-report.csv").write_text("student,set,item,old,new,why\n")
    page = regrades.section(regrades.load_regrades(tmp_path / "gradebook.csv"))
    assert "<h2>Regrades</h2>" in page and "changed no score" in page


def test_a_file_that_is_not_a_regrade_report_is_refused_with_the_fix(tmp_path: Path) -> None:
    (tmp_path / "regrade-report.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ReportError, match=r"regrade-report.csv: its columns are a, b.*Fix"):
        regrades.load_regrades(tmp_path / "gradebook.csv")


def test_student_names_in_the_section_are_escaped(tmp_path: Path) -> None:
    hostile = REPORT.replace("ann", "<script>x</script>")
    (tmp_path / "regrade-report.csv").write_text(hostile)
    page = regrades.section(regrades.load_regrades(tmp_path / "gradebook.csv"))
    assert "<script>" not in page and "&lt;script&gt;" in page
