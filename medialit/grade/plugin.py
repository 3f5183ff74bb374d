"""pytest plugin: ``pytest --submissions DIR`` grades a class, one test per student and item.

Registered through the ``pytest11`` entry point; it does nothing unless ``--submissions`` is
given. Each test passes when the answer earns full marks, fails with the feedback otherwise,
and is skipped while a person still has to grade it. The gradebook and exports are written
when the session ends. With pytest-xdist (``-n 2``) each worker grades whole submissions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from medialit.grade import answers
from medialit.grade.bundle import DEFAULT_BUNDLE

STATE = pytest.StashKey["GradeState"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("medialit", "grading student submissions (medialit)")
    group.addoption(
        "--submissions",
        metavar="DIR",
        help="grade the notebooks in DIR/<student>/<set>.ipynb instead of collecting tests",
    )
    group.addoption(
        "--bundle",
        metavar="PATH",
        default=DEFAULT_BUNDLE,
        help="the grader bundle written by `medialit assign` (default: %(default)s)",
    )
    group.addoption(
        "--grade-out",
        metavar="DIR",
        default=None,
        help="where the gradebook, feedback and exports go (default: DIR-graded beside DIR)",
    )
    group.addoption("--sets", metavar="A,B", default=None, help="grade only these sets")
    group.addoption("--roster", metavar="CSV", default=None, help="Canvas gradebook export")
    group.addoption(
        "--max-notebook-mb",
        type=float,
        default=answers.DEFAULT_MAX_MB,
        help="refuse notebooks larger than this (default: %(default)s)",
    )


@dataclass
class GradeState:
    """What every test of one pytest process shares: the bundle, the tasks, the results."""

    submissions: Path
    bundle_path: Path
    out: Path
    sets: list[str] | None
    max_mb: float
    roster: Path | None
    bundle: Any = None
    tasks: list = field(default_factory=list)
    memo: dict = field(default_factory=dict)
    written: dict | None = None

    def load(self) -> None:
        from medialit.grade.bundle import load_bundle
        from medialit.grade.engine import discover

        self.bundle = load_bundle(self.bundle_path)
        self.tasks = discover(self.submissions, self.bundle, self.sets)

    def result(self, task: Any) -> Any:
        from medialit.grade.engine import grade_and_store

        key = (task.student, task.set_id)
        if key not in self.memo:
            self.memo[key] = grade_and_store(task, self.bundle, self.out, self.max_mb)[0]
        return self.memo[key]


def default_out(submissions: Path) -> Path:
    """Where outputs go unless told: a sibling folder, never inside the submissions."""
    submissions = Path(submissions).resolve()
    return submissions.with_name(f"{submissions.name}-graded")


def pytest_configure(config: pytest.Config) -> None:
    submissions = config.getoption("submissions", None)
    if not submissions:
        return
    out = config.getoption("grade_out") or default_out(Path(submissions))
    sets = config.getoption("sets")
    roster = config.getoption("roster")
    config.stash[STATE] = GradeState(
        submissions=Path(submissions),
        bundle_path=Path(config.getoption("bundle")),
        out=Path(out),
        sets=sets.split(",") if sets else None,
        max_mb=config.getoption("max_notebook_mb"),
        roster=Path(roster) if roster else None,
    )


class GradeShortfall(Exception):
    """The answer earned less than full marks; carries the gradebook row."""


class GradeItem(pytest.Item):
    """One exercise item of one student's notebook."""

    def __init__(self, *, task: Any, item_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.task = task
        self.item_id = item_id

    def runtest(self) -> None:
        state = self.config.stash[STATE]
        submission = state.result(self.task)
        row = next(i for i in submission.items if i.item == self.item_id)
        self.user_properties.append(("points", row.points))
        self.user_properties.append(("max_points", row.max_points))
        if row.status == "pending":
            pytest.skip(f"pending manual grading: {row.feedback}")
        if row.status != "correct":
            raise GradeShortfall(row)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, GradeShortfall):
            row = excinfo.value.args[0]
            label = "" if row.feedback.startswith(row.status) else f"{row.status}: "
            return f"{row.points:g}/{row.max_points:g} {label}{row.feedback}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.task.notebook, None, f"{self.task.student} {self.task.set_id} {self.item_id}"


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> bool | None:
    """Make the tests from the submissions folder (never importing anything from it)."""
    config = session.config
    if STATE not in config.stash or config.pluginmanager.hasplugin("dsession"):
        return None  # not grading, or the xdist controller (its workers collect)
    state = config.stash[STATE]
    state.load()
    items = [
        GradeItem.from_parent(
            session,
            name=f"{task.student}/{task.notebook.name}::{item.id}",
            path=task.folder,
            task=task,
            item_id=item.id,
        )
        for task in state.tasks
        for item in state.bundle.sets[task.set_id].items
    ]
    session.items = items
    config.hook.pytest_collection_modifyitems(session=session, config=config, items=items)
    config.hook.pytest_collection_finish(session=session)
    session.testscollected = len(items)
    return True


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Send all items of one notebook to the same worker, so each notebook is graded once."""
    if STATE in config.stash and config.getvalue("dist") == "load":
        from xdist.scheduler import LoadScopeScheduling

        return LoadScopeScheduling(config, log)
    return None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the gradebook and exports once, in the controlling process, for the whole class."""
    config = session.config
    if STATE not in config.stash or hasattr(config, "workerinput"):
        return
    if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return  # interrupted or broken: results so far stay cached, the next run resumes
    from medialit.grade import exports

    state = config.stash[STATE]
    if state.bundle is None:
        state.load()
    results = [state.result(task) for task in state.tasks]
    roster = exports.read_roster(state.roster) if state.roster else None
    state.written = exports.write_outputs(results, state.bundle, state.out, roster)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if STATE not in config.stash or hasattr(config, "workerinput"):
        return
    state = config.stash[STATE]
    written = state.written
    if written:
        terminalreporter.write_sep("-", "medialit grading")
        for name, path in written.items():
            terminalreporter.write_line(f"{name}: {path}")
