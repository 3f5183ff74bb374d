"""Student-controlled text in feedback is safe wherever feedback is shown: no control
characters, no remnants of terminal escape sequences, and no markup that a markdown or HTML
view would render (feedback files, Gradescope results, exception messages from student code)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from medialit.grade import exports, textsafe
from medialit.grade.bundle import load_bundle
from medialit.grade.engine import grade_class
from medialit.grade.sandbox import Limits, run_function

ANSI = [
    "\x1b[31mred\x1b[0m",
    "\x1b[2J\x1b[H",
    "\x1b]8;;http://evil.example\x07link\x1b]8;;\x07",
    "\x1b]0;title\x1b\\",
    "\x9b31m",
    "\x1b(B\x1bc",
    "\x1b[38;5;196m",
]
MARKUP = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](http://evil.example) "
    "![t](http://t.example/p.png) **bold** `code` # heading"
)


@pytest.mark.parametrize("text", ANSI)
def test_terminal_escape_sequences_are_removed_whole(text: str) -> None:
    shown = textsafe.printable(f"before {text} after")
    assert "\x1b" not in shown and "\x9b" not in shown
    assert not re.search(r"\[[0-9;]*[A-Za-z]|\]8;;|\]0;", shown), shown
    assert shown.startswith("before ") and shown.endswith(" after")


def test_markdown_text_renders_as_the_same_plain_text() -> None:
    shown = textsafe.markdown_text(MARKUP)
    assert "<script" not in shown and "<img" not in shown
    assert "](" not in shown.replace("\\](", "").replace("\\]\\(", "")
    assert not re.search(r"(?<!\\)[`*\[\]]", shown), shown
    try:
        import markdown_it  # the renderer jupyter-book uses

        html = markdown_it.MarkdownIt("commonmark").render(shown)
        assert "<script" not in html and "<img" not in html and "<a " not in html
        assert "<strong>" not in html and "<code>" not in html and "<h1>" not in html
        assert "alert(1)" in html  # the student's words are still there, as text
    except ImportError:  # pragma: no cover - markdown-it-py comes with jupyter-book
        pytest.fail("markdown-it-py is missing")


def test_an_exception_message_from_student_code_has_no_escape_remnants() -> None:
    source = (
        "def f():\n"
        "    raise ValueError('\\x1b[31mred\\x1b[0m \\x1b]8;;http://x\\x07link\\x1b]8;;\\x07"
        " <b>bold</b>')\n"
    )
    run = run_function(source, "f", [[]], Limits(cpu_seconds=1, wall_seconds=20))
    error = run.outcomes[0]["error"]
    assert "[31m" not in error and "[0m" not in error and "]8;;" not in error, error
    assert "red" in error and "link" in error


@pytest.fixture
def hostile_feedback(tmp_path: Path, demo_bundle: Path, kit):
    subs = tmp_path / "subs"
    answers = {
        **kit.RIGHT,
        "q1_technique": MARKUP + " \x1b[31mred",
        "q3_sources": ["<script>alert(3)</script>", "[x](http://evil.example)"],
    }
    code = (
        "def find_direct_quotes(text):\n"
        "    raise ValueError('<script>alert(4)</script> \\x1b[1m')\n"
    )
    kit.write_submission(subs, "mallory", kit.notebook(answers, code))
    kit.write_submission(subs, "<b>bob</b>", kit.notebook({"q1_technique": "Doubt"}))
    run = grade_class(subs, demo_bundle, tmp_path / "out", workers=1)
    written = exports.write_outputs(run.results, load_bundle(demo_bundle), tmp_path / "out")
    return run, written, tmp_path / "out"


def test_feedback_files_render_no_student_markup(hostile_feedback) -> None:
    import markdown_it

    _, written, _ = hostile_feedback
    files = sorted(written["feedback"].glob("*.md"))
    assert len(files) == 2
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "\x1b" not in text and "[31m" not in text and "[1m" not in text
        html = markdown_it.MarkdownIt("commonmark").render(text)
        assert "<script" not in html and "<img" not in html and "<a " not in html, path
        assert "<b>" not in html, path


def test_gradescope_results_declare_their_format_and_render_no_markup(hostile_feedback) -> None:
    import markdown_it

    _, written, _ = hostile_feedback
    for path in written["gradescope"].glob("*/results.json"):
        results = json.loads(path.read_text(encoding="utf-8"))
        assert results.get("output_format") == "md"
        assert results.get("test_output_format") == "md"
        for test in results["tests"]:
            html = markdown_it.MarkdownIt("commonmark").render(test["output"])
            assert "<script" not in html and "<a " not in html and "<img" not in html, test
            assert "\x1b" not in test["output"] and "[1m" not in test["output"]


def test_the_gradebook_keeps_plain_text_without_escape_remnants(hostile_feedback) -> None:
    _, written, _ = hostile_feedback
    text = written["gradebook"].read_text(encoding="utf-8")
    assert "\x1b" not in text and "[31m" not in text and "[1m" not in text
    assert "<script>alert(4)</script>" in text  # data stays data in the CSV


def test_the_class_report_renders_no_student_markup(hostile_feedback, demo_bundle) -> None:
    from medialit.report.page import write_report

    _, written, out = hostile_feedback
    page = write_report(written["gradebook"], out / "report.html", load_bundle(demo_bundle))
    text = Path(page).read_text(encoding="utf-8")
    assert "demo/q1" in text
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "\x1b" not in text and "[31m" not in text
