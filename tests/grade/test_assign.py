"""`medialit assign` on the real exercises: the release holds no keys, the reference solutions
score full marks, the blank release scores 0 with feedback, crafted answers earn exact credit."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import jupytext
import nbformat
import pytest

from medialit import corpus
from medialit.assign.build import assign
from medialit.assign.source import SourceError, exercise_sources, read_source, solution_blocks
from medialit.grade.bundle import load_bundle
from medialit.grade.engine import grade_class
from medialit.grade.exports import write_outputs

REPO = Path(__file__).parents[2]
SOURCES = exercise_sources(REPO / "exercises")


@pytest.fixture(scope="module")
def assigned(tmp_path_factory):
    out = tmp_path_factory.mktemp("assign")
    done = assign(SOURCES, out)
    return out, done, load_bundle(done.bundle)


def paragraph_of(article_id: str, start: int) -> str:
    for paragraph in corpus.article(article_id).paragraphs:
        if paragraph.start <= start < paragraph.end:
            return paragraph.paragraph_id
    raise AssertionError(start)


def annotations_for(bundle, set_id: str, keep=lambda item, span: True) -> list[dict]:
    """What the annotate widget would save for answers that match the key spans."""
    saved = []
    for item in bundle.sets[set_id].items:
        if item.kind != "annotation":
            continue
        for span in item.key:
            if keep(item, span):
                saved.append(
                    {
                        "paragraph_id": paragraph_of(item.article_id, span["start"]),
                        "start": span["start"],
                        "end": span["end"],
                        "text": span["text"],
                        "layer": item.layer,
                        "label": span.get("label"),
                    }
                )
    return saved


def write_answers(folder: Path, set_id: str, entries: list[dict]) -> None:
    (folder / f"{set_id}.answers.json").write_text(
        json.dumps({"schema": 1, "annotations": entries}), encoding="utf-8"
    )


def release_with(out: Path, set_id: str, answers: dict[str, object], code: str = "") -> str:
    """The student release with some answer cells filled in (as a student would)."""
    notebook = nbformat.read(out / "student" / f"{set_id}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for name, value in answers.items():
            line = f"{name} = {value!r}"  # a function: no escapes read into the line
            cell.source = re.sub(
                rf"^{name} = None.*$", lambda _, line=line: line, cell.source, flags=re.M
            )
    if code:
        notebook.cells.append(nbformat.v4.new_code_cell(code))
    return nbformat.writes(notebook)


def test_the_exercises_cover_every_kind(assigned) -> None:
    _, _, bundle = assigned
    assert set(bundle.sets) == {"sourcing", "claims", "framing", "persuasion", "comparison"} | {
        "lateral_tasks",  # performance tasks, and the reading checks (two forms, two occasions)
        "pretest_a",
        "pretest_b",
        "posttest_a",
        "posttest_b",
    }
    items = [item for s in bundle.sets.values() for item in s.items]
    kinds = [item.kind for item in items]
    assert len(items) >= 20
    assert {"label", "span", "set", "number", "annotation", "code", "reflection"} <= set(kinds)
    assert kinds.count("code") >= 2 and kinds.count("reflection") >= 1
    assert any(item.alternatives for item in items if item.kind == "label")
    assert all(item.points > 0 for item in items if item.kind != "confidence")
    assert all(item.points == 0 for item in items if item.kind == "confidence")


def test_release_holds_no_solutions_keys_or_checks(assigned) -> None:
    _out, done, bundle = assigned
    release = {path.stem: path.read_text(encoding="utf-8") for path in done.release}
    assert sorted(release) == sorted(bundle.sets)
    everything = "\n".join(release.values())
    for marker in (
        "BEGIN SOLUTION",
        "END SOLUTION",
        '"alternatives"',
        '"aliases"',
        '"expected"',
        '"rubric"',
        '"cases"',
    ):
        assert marker not in everything, marker
    for path in SOURCES:
        set_id = read_source(path).set_id
        text = release[set_id]
        for cell in jupytext.read(path).cells:
            for block in solution_blocks(cell.source) if cell.cell_type == "code" else []:
                for line in block.split("\n"):
                    line = line.strip()
                    if (
                        len(line) > 15
                        and not line.isidentifier()
                        and not line.startswith(("def ", '"""', "import"))
                    ):
                        assert line not in text, (set_id, line)
        for item in bundle.sets[set_id].items:
            secrets: list[str] = []
            if item.kind in ("span", "annotation"):
                secrets = [span["text"] for span in item.key if len(span["text"]) > 12]
            elif item.kind in ("label", "number"):
                secrets = [f"{item.variable} = {item.key!r}", f'{item.variable} = "{item.key}"']
            elif item.kind == "set":
                secrets = [json.dumps(item.key)[:40], repr(item.key)[:40]]
            elif item.kind == "code":
                secrets = [
                    json.dumps(c.expected) for c in item.cases if len(json.dumps(c.expected)) > 8
                ]
            for secret in secrets:
                assert secret not in text and json.dumps(secret)[1:-1] not in text, (set_id, secret)


def test_release_is_a_clean_notebook(assigned) -> None:
    _, done, _ = assigned
    for path in done.release:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        assert all("medialit" not in cell.metadata for cell in notebook.cells)
        assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
        assert set(notebook.metadata["medialit"]) == {"set", "title"}


def test_keys_stay_private(assigned) -> None:
    out, done, _ = assigned
    grader = out / "grader"
    assert stat.S_IMODE(grader.stat().st_mode) == 0o700
    assert stat.S_IMODE(done.bundle.stat().st_mode) == 0o600
    for path in done.gradescope:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not (out / "student" / "bundle.json").exists()


def test_assign_is_reproducible(assigned, tmp_path) -> None:
    _out, done, _ = assigned
    again = assign(SOURCES, tmp_path)
    for first, second in zip(done.release, again.release, strict=True):
        assert first.read_bytes() == second.read_bytes()
    assert done.bundle.read_bytes() == again.bundle.read_bytes()


@pytest.fixture(scope="module")
def graded(assigned, tmp_path_factory):
    """Grade three students on every set: the reference solutions, the blank release, and
    crafted partial answers."""
    out, _, bundle = assigned
    subs = tmp_path_factory.mktemp("subs")
    for name in ("reference", "blank", "partial"):
        (subs / name).mkdir()
    for path in SOURCES:
        set_id = read_source(path).set_id
        (subs / "reference" / f"{set_id}.ipynb").write_text(
            nbformat.writes(jupytext.read(path)), encoding="utf-8"
        )
        write_answers(subs / "reference", set_id, annotations_for(bundle, set_id))
        (subs / "blank" / f"{set_id}.ipynb").write_bytes(
            (out / "student" / f"{set_id}.ipynb").read_bytes()
        )
    partial = subs / "partial"
    only_straight = (
        'import re\ndef find_direct_quotes(text):\n    return re.findall(r\'"([^"]*)"\', text)\n'
    )
    (partial / "sourcing.ipynb").write_text(
        release_with(
            out,
            "sourcing",
            {
                "q1_source_type": "official",
                "q3_quoted_sources": ["Yang", "Menendez"],
                "q4_release_words": "discussed a number of regional and global issues",
                "q5_block_quotes": 4,
            },
            only_straight,
        )
    )
    # The one direct quotation marked exactly, and a mixed quote of p14 marked as well.
    mixed = corpus.locate("‘underming the world order’", "united-states-rebalance")
    too_many = [
        *annotations_for(bundle, "sourcing"),
        {
            "paragraph_id": mixed.paragraph_id,
            "start": mixed.start,
            "end": mixed.end,
            "text": mixed.text,
            "layer": "sourcing",
            "label": "mixed",
        },
    ]
    write_answers(partial, "sourcing", too_many)
    (partial / "persuasion.ipynb").write_text(
        release_with(
            out,
            "persuasion",
            {
                "q1_technique": "Name calling or labeling",
                "q3_technique": "loaded_language",
                "q4_techniques": ["Loaded language"],
                "q5_loaded_words": "tall claims",
            },
        )
    )
    graded_out = subs.parent / (subs.name + "-graded")
    run = grade_class(subs, out / "grader", graded_out, workers=2)
    write_outputs(run.results, bundle, graded_out)
    table = {}
    for submission in run.results:
        for row in submission.items:
            table[(submission.student, submission.set_id, row.item)] = row
    return table, bundle, graded_out


def test_reference_solutions_score_full_marks(graded) -> None:
    table, bundle, _ = graded
    for set_id, exercise in bundle.sets.items():
        for item in exercise.items:
            row = table[("reference", set_id, item.id)]
            if item.kind == "reflection":
                assert row.status == "pending" and row.points is None
            else:
                assert (row.status, row.points) == ("correct", item.points), (set_id, row)


def test_the_blank_release_scores_zero_with_useful_feedback(graded) -> None:
    table, bundle, _ = graded
    for set_id, exercise in bundle.sets.items():
        for item in exercise.items:
            row = table[("blank", set_id, item.id)]
            if item.manual:  # a person grades it: pending, with a note, never 0 points by machine
                assert (row.points, row.status) == (None, "pending"), (set_id, row)
                assert "nothing to grade" in row.feedback and item.variable in row.feedback
                continue
            assert row.points == 0, (set_id, row)
            assert row.status in ("missing", "incorrect"), (set_id, row)
            assert len(row.feedback) > 40, (set_id, row)
            if item.kind == "code":
                # The stub returns NotImplemented (Run All goes on): every case fails.
                assert row.feedback.startswith("0 of "), row.feedback
            elif item.kind != "annotation":
                assert item.variable in row.feedback


def test_crafted_partial_answers_earn_exactly_the_expected_credit(graded) -> None:
    table, _, _ = graded

    def points(set_id, item_id):
        return table[("partial", set_id, item_id)].points

    assert points("sourcing", "q1") == 0  # a named official: wrong type of source
    assert points("sourcing", "q2") == 0  # left blank
    assert points("sourcing", "q3") == 2.0  # 2 of 4 names, none wrong: F1 2/3 of 3 points
    # 48 of the 251 characters: P = 1, R = 0.1912, F1 = 0.3211, / 0.8 = 0.4013 of 2 points
    assert points("sourcing", "q4") == 0.8
    assert points("sourcing", "q5") == 0  # 4 is not 3
    assert points("sourcing", "q6") == 1.2  # 2 of 5 checks (straight quotes only) of 3 points
    # the one direct quotation and one mixed quote marked: P = .5, R = 1, F1 = 2/3, / .8 of 3
    assert points("sourcing", "q7") == 2.5
    assert points("persuasion", "q1") == 0  # another family of techniques
    assert points("persuasion", "q3") == 1  # same family (manipulative wording): half of 2
    assert points("persuasion", "q4") == 2.0  # one of two techniques: F1 2/3 of 3 points
    # 11 of the key's 24 characters: P = 1, R = .4583, F1 = .6286, / .8 = .7857 of 2 points
    assert points("persuasion", "q5") == 1.57
    assert table[("partial", "claims", "q1")].status == "missing"  # no notebook submitted


def test_a_wrong_reference_solution_stops_assign(tmp_path) -> None:
    text = (REPO / "exercises" / "claims.md").read_text(encoding="utf-8")
    broken = tmp_path / "claims.md"
    broken.write_text(text.replace("flags=re.IGNORECASE", "flags=0"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"claims\.md, cell \d+ \(item 'q7'\).*fails case"):
        assign([broken], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_quote_that_is_not_verbatim_stops_assign(tmp_path) -> None:
    text = (REPO / "exercises" / "framing.md").read_text(encoding="utf-8")
    broken = tmp_path / "framing.md"
    broken.write_text(text.replace("seems to be working!", "seems to work!"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"framing\.md, cell \d+ \(item 'q5'\).*not verbatim"):
        assign([broken], tmp_path / "out")


def test_a_typed_number_must_agree_with_the_computation(tmp_path) -> None:
    text = (REPO / "exercises" / "framing.md").read_text(encoding="utf-8")
    broken = tmp_path / "framing.md"
    broken.write_text(
        text.replace("q6_ukraine_paragraphs = 9", "q6_ukraine_paragraphs = 10"), encoding="utf-8"
    )
    with pytest.raises(SourceError, match="disagrees with the computed ukraine_paragraphs = 9"):
        assign([broken], tmp_path / "out")


def test_release_self_checks_pass_the_reference_and_flag_blanks(assigned) -> None:
    """Each form check in the release accepts the reference answer and flags an empty one."""
    import ast

    from medialit.grade.answers import read_submission
    from medialit.widgets.self_check import CheckForm, check

    out, _, bundle = assigned
    checked = 0
    for path in SOURCES:
        set_id = read_source(path).set_id
        reference = read_submission(nbformat.from_dict(jupytext.read(path))).answers
        notebook = nbformat.read(out / "student" / f"{set_id}.ipynb", as_version=4)
        for cell in notebook.cells:
            if "self-check" not in cell.metadata.get("tags", []):
                continue
            call = ast.parse(cell.source).body[-1].value
            question = ast.literal_eval(call.args[0])
            form = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
            assert question in {item.id for item in bundle.sets[set_id].items}
            if form["kind"] == "annotation":
                continue  # reads the widget's saved file; covered by the widget's own tests
            value = reference[call.args[1].id].value
            assert check(CheckForm(question, **form), value).ok, (set_id, question)
            assert not check(CheckForm(question, **form), None).ok, (set_id, question)
            checked += 1
    assert checked >= 20


def test_the_class_report_reads_the_gradebook(graded) -> None:
    """`medialit report` (the next step for instructors) accepts what the grader wrote."""
    from medialit.report import load_gradebook

    _, bundle, out = graded
    table = load_gradebook(out / "gradebook.csv", bundle)
    assert len(table) == 3 * sum(len(s.items) for s in bundle.sets.values())
    annotation = table[(table["student"] == "reference") & (table["kind"] == "annotation")]
    assert annotation["answer"].str.startswith("[[").all()
