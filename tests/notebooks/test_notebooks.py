"""The walk-through notebooks run clean, quote exactly, and match their objectives and checks.

Every ``notebooks/NN-name.md`` is executed top to bottom in a fresh kernel (jupytext + nbclient);
any error or any output on stderr (warnings included) fails it. Execution times are printed and
written to ``_build/notebook-times.json``; the per-cell timeout is only a guard against hangs.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import time
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import pytest
import yaml
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from medialit import corpus
from medialit.annotations import labels
from medialit.fileio import atomic_write_text
from medialit.widgets.self_check import FILE_FIELDS
from medialit.widgets.self_check import check as check_form

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
DOSSIER = NOTEBOOKS / "dossier"
OBJECTIVES = NOTEBOOKS / "objectives.yaml"
SELF_CHECKS = NOTEBOOKS / "self_checks.yaml"
TIMES = ROOT / "_build" / "notebook-times.json"
HANG_GUARD_SECONDS = 600  # per cell; a guard against a hung kernel, not a speed target

# The seven walk-throughs, in book order (notebooks/NOTEBOOKS conventions, issue 5).
NAMES = (
    "00-orientation",
    "01-who-is-speaking",
    "02-what-is-claimed",
    "03-how-it-is-framed",
    "04-how-it-persuades",
    "05-same-story-different-frames",
    "06-who-is-behind-it",
)
CHECKS = ("paragraph_id", "quote", "label", "number", "choice")
# The walk-throughs use the self-check file's fields (one definition, in medialit.widgets) except
# those of the exercise-only kinds.
SELF_CHECK_FIELDS = set(FILE_FIELDS) - {"layer", "min_words"}
# The form a notebook passes to medialit.widgets.self_check, from the entry's fields.
FORM_FIELDS = {"kind": "check", "article_id": "article_id", "label_set": "label_set"}
UNIT_OBJECTIVES = ROOT / "book" / "instructor" / "objectives.yaml"
REQUIRED_SELF_CHECK_FIELDS = {"notebook", "prompt", "check", "explanation", "hint"}
OBJECTIVE_ID = re.compile(r"^[a-z]+-\d+$")
SELF_CHECK_ID = re.compile(r"^q(\d{2})-[a-z0-9-]+$")
# An article quotation in prose: “words” (`article-id:p07`) or (`article-id:p07.s02`).
MARKED_QUOTE = re.compile(
    r"“(?P<quote>[^“”]+)”\s*\(`(?P<article>[a-z0-9-]+):p(?P<number>\d{2})(?:\.s\d{2})?`\)"
)
ANY_CURLY_QUOTE = re.compile(r"“(?P<quote>[^“”]+)”")
# An objective line in a notebook: "1. Find the quotations ... (`sourcing-1`)".
OBJECTIVE_LINE = re.compile(r"^\s*\d+\.\s+(?P<text>.+?)\s+\(`(?P<id>[a-z]+-\d+)`\)\s*$", re.M)


def notebook_paths() -> list[Path]:
    """The walk-through notebooks present in notebooks/, in name order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]-*.md"))


def read_notebook(path: Path) -> nbformat.NotebookNode:
    return jupytext.read(path)


def markdown_of(notebook: nbformat.NotebookNode) -> list[tuple[int, str]]:
    return [(n, c.source) for n, c in enumerate(notebook.cells, 1) if c.cell_type == "markdown"]


def code_of(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "code")


def load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        pytest.fail(f"{path.relative_to(ROOT)} is not valid YAML: {error}")


# ------------------------------------------------------------------------------------ quotations


def quote_problems(text: str, where: str) -> list[str]:
    """Every marked quotation in ``text`` that is not verbatim in its cited paragraph.

    Also flags a quotation that is found in the corpus but carries no paragraph id.
    """
    problems = []
    cited_spans = []
    for match in MARKED_QUOTE.finditer(text):
        cited_spans.append(match.span("quote"))
        quote, article_id = match["quote"], match["article"]
        paragraph_id = f"{article_id}:p{match['number']}"
        if article_id not in corpus.default().ids():
            problems.append(
                f"{where}: {paragraph_id} names no article of the corpus "
                f"({', '.join(corpus.default().ids())})."
            )
            continue
        found = corpus.locate_all(quote, article_id)
        if not any(location.paragraph_id == paragraph_id for location in found):
            try:
                corpus.locate(quote, article_id)
                elsewhere = ", ".join(sorted({loc.paragraph_id for loc in found}))
                detail = f"it is in {elsewhere}: correct the paragraph id"
            except corpus.QuoteNotFound as error:
                detail = f"{error} Copy the words exactly from the article"
            problems.append(f"{where}: “{quote}” is not verbatim in {paragraph_id}; {detail}.")
    for match in ANY_CURLY_QUOTE.finditer(text):
        inside = match.span("quote")
        if any(start <= inside[0] < end for start, end in cited_spans):
            continue
        words = match["quote"].split()
        if len(words) >= 4 and corpus.locate_all(match["quote"]):
            problems.append(
                f"{where}: “{match['quote']}” quotes an article but gives no "
                "paragraph id: add (`article-id:pNN`) after the closing quote."
            )
    return problems


def test_quote_checker_catches_misquotes_and_missing_ids() -> None:
    good = "He writes “walk and chew gum” (`russia-china-resist:p11`)."
    assert quote_problems(good, "sample") == []
    wrong_paragraph = "“walk and chew gum” (`russia-china-resist:p02`)"
    assert "correct the paragraph id" in quote_problems(wrong_paragraph, "sample")[0]
    misquoted = "“walk and chew bubble gum” (`russia-china-resist:p11`)"
    assert "not verbatim" in quote_problems(misquoted, "sample")[0]
    unknown = "“walk and chew gum” (`no-such-article:p11`)"
    assert "names no article" in quote_problems(unknown, "sample")[0]
    uncited = "He says “walk and chew gum at the same time” to mean this."
    assert "gives no paragraph id" in quote_problems(uncited, "sample")[0]


def quoting_texts() -> list[tuple[str, str]]:
    """(where, text) for every notebook cell, self-check text and dossier page."""
    texts = []
    for path in notebook_paths():
        for number, source in markdown_of(read_notebook(path)):
            texts.append((f"{path.relative_to(ROOT)}, markdown cell {number}", source))
    if SELF_CHECKS.exists():
        for question_id, entry in (load_yaml(SELF_CHECKS) or {}).items():
            for field in ("prompt", "explanation", "hint"):
                if isinstance(entry, dict) and isinstance(entry.get(field), str):
                    texts.append(
                        (f"notebooks/self_checks.yaml, {question_id}.{field}", entry[field])
                    )
    for path in sorted(DOSSIER.glob("*.md")):
        texts.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    return texts


def test_every_marked_quotation_is_verbatim() -> None:
    texts = quoting_texts()
    marked = sum(len(MARKED_QUOTE.findall(text)) for _, text in texts)
    problems = [problem for where, text in texts for problem in quote_problems(text, where)]
    assert not problems, "\n".join(problems)
    assert marked >= 4 * len(notebook_paths()), (
        f"only {marked} marked quotations in {len(notebook_paths())} notebooks: quote articles "
        "as “words” (`article-id:pNN`) so that this test can check them."
    )


# ---------------------------------------------------------------------------- notebook files


def test_notebooks_are_the_walk_throughs() -> None:
    paths = notebook_paths()
    assert paths, "no notebooks/NN-name.md found"
    for path in paths:
        assert path.stem in NAMES, f"{path.name}: the walk-throughs are named {', '.join(NAMES)}"
        text = path.read_text(encoding="utf-8")
        assert text.startswith("---\n"), f"{path.name}: start with the jupytext YAML header"
        header = yaml.safe_load(text.split("---\n", 2)[1])
        assert header["jupytext"]["text_representation"]["format_name"] == "myst", path.name
        assert header["kernelspec"]["name"] == "python3", path.name
    assert not list(NOTEBOOKS.glob("*.ipynb")), "no .ipynb in notebooks/: keep the MyST .md only"


def test_toc_lists_the_notebooks_in_order_under_walk_throughs() -> None:
    toc = load_yaml(ROOT / "_toc.yml")
    parts = [part for part in toc["parts"] if part.get("caption") == "Walk-throughs"]
    assert len(parts) == 1, "_toc.yml needs one part with caption 'Walk-throughs'"
    listed = [chapter["file"] for chapter in parts[0]["chapters"]]
    expected = [f"notebooks/{path.stem}" for path in notebook_paths()]
    assert listed == expected, f"_toc.yml Walk-throughs lists {listed}; expected {expected}"


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_notebook_has_the_parts_of_a_walk_through(path: Path) -> None:
    notebook = read_notebook(path)
    opening = "\n".join(source for _, source in markdown_of(notebook)[:2])
    assert re.search(r"Estimated time:\s*\d+", opening), (
        f"{path.name}: say 'Estimated time: NN minutes' in the opening cell"
    )
    text = "\n".join(source for _, source in markdown_of(notebook))
    assert re.search(r"^#+ .*Summary", text, re.M), f"{path.name}: end with a Summary section"
    assert re.search(r"exercise set", text, re.I), f"{path.name}: point to its exercise set"
    assert re.search(r"^#+ .*Worked example", text, re.M), f"{path.name}: needs a worked example"


# ------------------------------------------------------------------------------------ execution


@pytest.fixture(scope="module")
def times() -> Any:
    """Collect execution times; print them and write _build/notebook-times.json at the end."""
    import matplotlib.font_manager  # noqa: F401  (builds the font cache before any kernel does)

    found: dict[str, float] = {}
    yield found
    if not found:
        return
    previous = json.loads(TIMES.read_text(encoding="utf-8")) if TIMES.exists() else {}
    record = previous.get("seconds", {}) | {name: round(s, 2) for name, s in found.items()}
    summary = {
        "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "target_seconds": 30,
        "hang_guard_seconds_per_cell": HANG_GUARD_SECONDS,
        "seconds": dict(sorted(record.items())),
    }
    TIMES.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(TIMES, json.dumps(summary, indent=2) + "\n")
    print("\nnotebook execution times (s):", json.dumps(summary["seconds"]))


def stderr_outputs(notebook: nbformat.NotebookNode) -> list[str]:
    found = []
    for number, cell in enumerate(notebook.cells, 1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found.append(f"cell {number}: {output.get('text', '').strip()[:500]}")
            elif output.get("output_type") == "error":
                found.append(f"cell {number}: {output.get('ename')}: {output.get('evalue')}")
    return found


def test_stderr_and_errors_are_caught() -> None:
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "x = 1", outputs=[nbformat.v4.new_output("stream", name="stdout", text="fine\n")]
            ),
            nbformat.v4.new_code_cell(
                "import warnings",
                outputs=[
                    nbformat.v4.new_output("stream", name="stderr", text="UserWarning: careful\n")
                ],
            ),
            nbformat.v4.new_code_cell(
                "1/0",
                outputs=[
                    nbformat.v4.new_output(
                        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=[]
                    )
                ],
            ),
        ]
    )
    found = stderr_outputs(notebook)
    assert len(found) == 2
    assert found[0].startswith("cell 2: UserWarning") and "ZeroDivisionError" in found[1]


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_notebook_runs_clean_in_a_fresh_kernel(
    path: Path, times: dict[str, float], tmp_path: Path
) -> None:
    notebook = read_notebook(path)
    # IPC transport: a local kernel needs no TCP port (and the kernel logs no TCP warning).
    manager = KernelManager(
        kernel_name="python3", transport="ipc", connection_file=str(tmp_path / "kernel.json")
    )
    client = NotebookClient(
        notebook,
        km=manager,
        timeout=HANG_GUARD_SECONDS,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    started = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{path.name} raised an error:\n{error}")
    finally:
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
    times[path.stem] = time.perf_counter() - started
    print(f"{path.name}: {times[path.stem]:.1f} s")
    noise = stderr_outputs(notebook)
    assert not noise, f"{path.name} printed to stderr (warnings count):\n" + "\n".join(noise)
    charts = [
        number
        for number, cell in enumerate(notebook.cells, 1)
        if any("image/png" in output.get("data", {}) for output in cell.get("outputs", []))
    ]
    assert charts, f"{path.name}: no chart was drawn (expected at least one PNG output)"
    drawing = {number for number, _ in chart_cells(read_notebook(path))}
    assert set(charts) <= drawing, (
        f"{path.name}: cells {sorted(set(charts) - drawing)} draw a chart that "
        "test_every_chart_has_a_text_alternative does not see: call plt.show() in them"
    )


CHART_CALL = re.compile(r"\bplt\.show\(|\.savefig\(|\bdisplay\(fig")


def chart_cells(notebook: nbformat.NotebookNode) -> list[tuple[int, Any]]:
    """(number, cell) of the code cells that draw a matplotlib chart."""
    return [
        (number, cell)
        for number, cell in enumerate(notebook.cells, 1)
        if cell.cell_type == "code" and CHART_CALL.search(cell.source)
    ]


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_every_chart_has_a_text_alternative(path: Path) -> None:
    missing = []
    for number, cell in chart_cells(read_notebook(path)):
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
        if len(alt.split()) < 8:
            missing.append(number)
    assert not missing, (
        f"{path.name}: cells {missing} draw a chart without a text alternative for screen "
        "readers (the book would use the image's file name). Give each such cell the metadata "
        '`mystnb: {image: {alt: "..."}}`, a sentence of eight words or more saying what the '
        "chart shows."
    )


# ----------------------------------------------------------------------- objectives.yaml


def objectives() -> list[dict[str, Any]]:
    data = load_yaml(OBJECTIVES)
    assert isinstance(data, list), "notebooks/objectives.yaml must be a YAML list"
    return data


def unit_objective_ids() -> list[str]:
    data = load_yaml(UNIT_OBJECTIVES)
    return [item["id"] for item in data["objectives"]]


def test_objectives_file_is_valid() -> None:
    seen: set[str] = set()
    for number, item in enumerate(objectives(), 1):
        where = f"notebooks/objectives.yaml, item {number}"
        assert isinstance(item, dict), f"{where}: each item is a mapping"
        assert (
            {"id", "notebook", "text"} <= set(item) <= {"id", "notebook", "text", "unit_objectives"}
        ), f"{where}: the keys are id, notebook, text and unit_objectives (found {sorted(item)})"
        for unit_id in item.get("unit_objectives", []):
            assert unit_id in unit_objective_ids(), (
                f"{where}: unit objective {unit_id!r} is not in "
                f"{UNIT_OBJECTIVES.relative_to(ROOT)} ({', '.join(unit_objective_ids())})"
            )
        assert OBJECTIVE_ID.match(str(item["id"])), f"{where}: id looks like 'sourcing-1'"
        assert item["id"] not in seen, f"{where}: id {item['id']!r} is used twice"
        seen.add(item["id"])
        assert item["notebook"] in NAMES, f"{where}: notebook must be one of {NAMES}"
        assert (NOTEBOOKS / f"{item['notebook']}.md").exists(), (
            f"{where}: notebooks/{item['notebook']}.md does not exist"
        )
        assert isinstance(item["text"], str) and len(item["text"].split()) >= 5, (
            f"{where}: text is one sentence saying what the student can do"
        )


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_notebook_shows_its_objectives_word_for_word(path: Path) -> None:
    expected = [(o["id"], o["text"]) for o in objectives() if o["notebook"] == path.stem]
    assert len(expected) >= 3, (
        f"notebooks/objectives.yaml lists {len(expected)} objectives "
        f"for {path.stem}; give it at least three"
    )
    text = "\n".join(source for _, source in markdown_of(read_notebook(path)))
    shown = [(m["id"], m["text"]) for m in OBJECTIVE_LINE.finditer(text)]
    assert shown == expected, (
        f"{path.name} shows objectives {shown}\nbut notebooks/objectives.yaml has {expected}: "
        "copy them from the YAML (it is the source of truth)"
    )


# ---------------------------------------------------------------------- self_checks.yaml


def self_checks() -> dict[str, dict[str, Any]]:
    data = load_yaml(SELF_CHECKS)
    assert isinstance(data, dict), "notebooks/self_checks.yaml must map question ids to fields"
    return data


def test_self_checks_file_is_valid() -> None:
    for question_id, entry in self_checks().items():
        where = f"notebooks/self_checks.yaml, {question_id}"
        match = SELF_CHECK_ID.match(str(question_id))
        assert match, f"{where}: ids look like 'q01-short-name'"
        assert isinstance(entry, dict), f"{where}: give the fields as a mapping"
        assert not set(entry) - SELF_CHECK_FIELDS, (
            f"{where}: unknown fields {sorted(set(entry) - SELF_CHECK_FIELDS)}"
        )
        missing = REQUIRED_SELF_CHECK_FIELDS - set(entry)
        assert not missing, f"{where}: add {sorted(missing)}"
        assert entry["notebook"] in NAMES, f"{where}: notebook must be one of {NAMES}"
        assert entry["notebook"].startswith(match[1]), (
            f"{where}: the number in the id must be the notebook's ({entry['notebook']})"
        )
        assert (NOTEBOOKS / f"{entry['notebook']}.md").exists(), f"{where}: no such notebook"
        check = entry["check"]
        assert check in CHECKS, f"{where}: check must be one of {CHECKS}"
        for field in ("prompt", "explanation", "hint"):
            assert isinstance(entry[field], str) and entry[field].strip(), f"{where}: {field}"
        if "article_id" in entry:
            assert check in ("paragraph_id", "quote"), f"{where}: article_id is for id/quote"
            assert entry["article_id"] in corpus.default().ids(), f"{where}: unknown article"
        if check == "label":
            assert entry.get("label_set") in labels.LABEL_SETS, (
                f"{where}: label_set must be one of {', '.join(labels.LABEL_SETS)}"
            )
        else:
            assert "label_set" not in entry, f"{where}: label_set is only for label checks"
        if check == "choice":
            choices = entry.get("choices")
            assert isinstance(choices, list) and len(choices) >= 2, f"{where}: list choices"
            assert len(set(choices)) == len(choices), f"{where}: a choice is listed twice"
            assert entry.get("answer") in choices, f"{where}: answer must be one of the choices"
        elif check == "number":
            answer = entry.get("answer")
            assert isinstance(answer, int | float) and not isinstance(answer, bool), (
                f"{where}: a number check needs a numeric answer (a public fact)"
            )
        elif check in ("label", "paragraph_id", "quote") and "answer" in entry:
            # A practice question may record its one defensible answer (the check then says
            # right or not right); it must itself be well formed.
            from medialit.widgets.self_check import load_forms

            form = load_forms(SELF_CHECKS)[question_id]
            for value in form.answer if isinstance(form.answer, list) else [form.answer]:
                assert check_form(form, value).ok, f"{where}: the answer {value!r} is not right"
        else:
            assert "answer" not in entry, (
                f"{where}: {check} checks look at form only; remove `answer` (never ship a "
                "graded answer in a self-check)"
            )


def self_check_calls(notebook: nbformat.NotebookNode) -> list[tuple[int, str, dict[str, Any]]]:
    """(cell index, question id, keyword arguments) of every self_check(...) call."""
    calls = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or "self_check(" not in cell.source:
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "self_check"
            ):
                question_id = ast.literal_eval(node.args[0])
                keywords = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords}
                calls.append((index, question_id, keywords))
    return calls


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_notebook_asks_its_self_checks(path: Path) -> None:
    entries = self_checks()
    mine = {qid for qid, entry in entries.items() if entry.get("notebook") == path.stem}
    assert len(mine) >= 3, (
        f"{path.stem} has {len(mine)} self-checks in self_checks.yaml; give it at least three"
    )
    notebook = read_notebook(path)
    calls = self_check_calls(notebook)
    called = [question_id for _, question_id, _ in calls]
    assert len(called) == len(set(called)), f"{path.name} asks a self-check twice: {called}"
    assert set(called) == mine, (
        f"{path.name} calls self_check for {sorted(called)}; self_checks.yaml lists "
        f"{sorted(mine)} for it: every listed question is asked, and only those"
    )
    cells = notebook.cells
    for index, question_id, keywords in calls:
        entry = entries[question_id]
        where = f"{path.name}, self_check({question_id!r})"
        form = {name: entry[field] for name, field in FORM_FIELDS.items() if field in entry}
        assert keywords == form, (
            f"{where} passes {keywords}; self_checks.yaml says {form}: make them agree"
        )
        before = cells[index - 1] if index > 0 else None
        after = cells[index + 1] if index + 1 < len(cells) else None
        assert (
            before is not None
            and before.cell_type == "markdown"
            and flat(entry["prompt"]) in flat(before.source)
        ), (
            f"{where}: the markdown cell before it must show the prompt from "
            "self_checks.yaml word for word"
        )
        assert (
            after is not None
            and after.cell_type == "markdown"
            and flat(entry["explanation"]) in flat(after.source)
        ), (
            f"{where}: the markdown cell after it must give the explanation from "
            "self_checks.yaml word for word"
        )


def test_self_check_public_facts_hold() -> None:
    """The number answers that are counts or dates of the corpus agree with the corpus."""
    checks = self_checks()
    if "q01-link-count" in checks:
        count = len(corpus.link_cues("moscows-coercive-diplomacy"))
        assert checks["q01-link-count"]["answer"] == count
    if "q00-paragraphs" in checks:
        table = corpus.articles().set_index("article_id")
        count = int(table.loc["united-states-rebalance", "paragraph_count"])
        assert checks["q00-paragraphs"]["answer"] == count
    if "q00-days" in checks:
        table = corpus.articles().set_index("article_id")
        published = table.loc["moscows-coercive-diplomacy", "first_published"]
        days = (dt.date(2022, 2, 24) - published.date()).days
        assert checks["q00-days"]["answer"] == days


# -------------------------------------------------------------------------------- dossier


def test_dossier_timeline_is_valid() -> None:
    events = load_yaml(DOSSIER / "timeline.yaml")
    assert isinstance(events, list) and events, "notebooks/dossier/timeline.yaml: a list"
    previous = dt.date.min
    for number, event in enumerate(events, 1):
        where = f"notebooks/dossier/timeline.yaml, event {number}"
        assert set(event) <= {"date", "end", "short", "event", "citation"}, where
        assert {"date", "short", "event", "citation"} <= set(event), f"{where}: missing fields"
        assert isinstance(event["date"], dt.date), f"{where}: date is YYYY-MM-DD"
        assert event["date"] >= previous, f"{where}: keep the events in date order"
        previous = event["date"]
        if "end" in event:
            assert isinstance(event["end"], dt.date) and event["end"] > event["date"], where
        assert len(event["short"]) <= 32, f"{where}: short label over 32 characters"
        assert len(event["citation"].split()) >= 4, f"{where}: cite the primary source"


def test_dossier_pages_cite_a_source_for_every_fact() -> None:
    pages = sorted(DOSSIER.glob("*.md"))
    assert len(pages) >= 4, "the dossier has an index and at least three fact pages"
    for page in pages:
        if page.name == "index.md":
            continue
        text = page.read_text(encoding="utf-8")
        facts = re.findall(r"^\*\*[^*]+\*\*", text, re.M)
        sources = re.findall(r"^\*Sources?:\*", text, re.M)
        assert facts, f"{page.name}: state each fact in a paragraph starting with **bold**"
        assert len(sources) >= len(facts) - text.count("could not find"), (
            f"{page.name}: {len(facts)} facts but {len(sources)} *Source:* lines"
        )
