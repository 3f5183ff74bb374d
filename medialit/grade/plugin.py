"""pytest plugin: ``pytest --submissions DIR`` grades a class, one test per student and item.

Registered through the ``pytest11`` entry point; it does nothing unless ``--submissions`` is
given. Each test passes when the answer earns full marks, fails with the feedback otherwise,
and is skipped while a person still has to grade it. The gradebook and exports are written
when the session ends. With pytest-xdist (``-n 2``) each worker grades whole submissions.

Unless ``--tb`` is given, each shortfall is shown once, on its line of the short test summary
(``FAILED <student>/<set>.ipynb::<item> - <points> <feedback>``), not as a section of its own:
pytest's per-failure sections cost time that grows with the square of the failures (it looks
up each failure's teardown among every report), minutes for a class of a few thousand rows.
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
        "--submitted-at",
        metavar="CSV",
        default=None,
        help="student,set,submitted_at (from the LMS) for the late policy (default: each "
        "student's timestamp.txt)",
    )
    group.addoption(
        "--max-notebook-mb",
        type=float,
        default=answers.DEFAULT_MAX_MB,
        help="refuse notebooks larger than this (default: %(default)s)",
    )
    group.addoption(
        "--unsafe-no-sandbox",
        action="store_true",
        default=False,
        help="where bubblewrap cannot run, run student code WITHOUT the kernel sandbox "
        "(rlimits and an audit hook only); every code row records it",
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
    pool: Any = None
    stopped: str = ""
    late_rule: Any = None  # the grader folder's late policy (late.py), and the LMS times
    times: Any = None
    late_warning: str = ""
    regrade: str = ""  # the regrade step's line for the summary

    def load(self) -> None:
        from medialit.grade.bundle import load_bundle
        from medialit.grade.engine import discover

        self.bundle = load_bundle(self.bundle_path)
        self.tasks = discover(self.submissions, self.bundle, self.sets)

    def result(self, task: Any) -> Any:
        """Grade one submission in a worker process with a deadline (the watchdog)."""
        from medialit.grade.engine import SubmissionResult, grade_and_store
        from medialit.grade.workers import Pool, deadline_for

        key = (task.student, task.set_id)
        if key not in self.memo:
            if self.pool is None:

                def grade(task: Any) -> tuple[dict, bool]:
                    found, fresh = grade_and_store(task, self.bundle, self.out, self.max_mb)
                    return found.to_dict(), fresh

                self.pool = Pool(1, grade, self.bundle)
            deadline = deadline_for(task, self.bundle)
            for _index, data, _fresh in self.pool.run([task], [deadline]):
                self.memo[key] = SubmissionResult.from_dict(data)
        return self.memo[key]

    def graded_so_far(self) -> list:
        """The submissions already graded (by this process or stored in the cache by any)."""
        from medialit.grade.engine import fingerprint, read_cached, resolve

        found = []
        for task in self.tasks:
            key = (task.student, task.set_id)
            if key in self.memo:
                found.append(self.memo[key])
                continue
            located = resolve(task, self.bundle)
            cached = read_cached(self.out, located, fingerprint(located, self.bundle, self.max_mb))
            if cached is not None:
                found.append(cached)
        return found

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None


def default_out(submissions: Path) -> Path:
    """Where outputs go unless told: a sibling folder, never inside the submissions."""
    submissions = Path(submissions).resolve()
    return submissions.with_name(f"{submissions.name}-graded")


def pytest_configure(config: pytest.Config) -> None:
    submissions = config.getoption("submissions", None)
    if not submissions:
        return
    from medialit.grade import isolation
    from medialit.grade.workers import stop_on_signals

    if config.getoption("unsafe_no_sandbox"):
        isolation.allow_unsafe()
    if isolation.mode() == "unavailable":
        config.issue_config_time_warning(
            pytest.PytestWarning(
                "code items will be ungradable: student code is not run without isolation. "
                f"{isolation.bwrap_problem()}"
            ),
            stacklevel=2,
        )
    stop_on_signals()  # SIGTERM ends the session as Ctrl-C does: graded results are written
    if config.option.tbstyle == "auto":  # the feedback is on each FAILED line (see above)
        config.option.tbstyle = "no"
    out = config.getoption("grade_out") or default_out(Path(submissions))
    sets = config.getoption("sets")
    roster = config.getoption("roster")
    from medialit.grade import late, late_class

    submitted_at = config.getoption("submitted_at")
    try:
        late_rule, times = late_class.load_inputs(
            Path(config.getoption("bundle")), Path(submitted_at) if submitted_at else None
        )
    except late.LatePolicyError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[STATE] = GradeState(
        submissions=Path(submissions),
        bundle_path=Path(config.getoption("bundle")),
        out=Path(out),
        sets=sets.split(",") if sets else None,
        max_mb=config.getoption("max_notebook_mb"),
        roster=Path(roster) if roster else None,
        late_rule=late_rule,
        times=times,
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
        """Where the item is, as text that reports can carry (names are shown escaped)."""
        return self.path, None, f"{self.task.student} {self.task.set_id} {self.item_id}"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    """Run a grading item lean: its row is already graded (once per notebook), so there is
    nothing to set up, capture or log; only the three reports that pytest, xdist and
    junitxml expect are made and logged. Other items take pytest's usual protocol."""
    if not isinstance(item, GradeItem):
        return None
    ihook = item.ihook
    ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    stop = (pytest.exit.Exception, KeyboardInterrupt)
    for when in ("setup", "call", "teardown"):
        work = item.runtest if when == "call" else _nothing
        call = pytest.CallInfo.from_call(work, when=when, reraise=stop)  # type: ignore[arg-type]
        ihook.pytest_runtest_logreport(report=ihook.pytest_runtest_makereport(item=item, call=call))
    ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


def _nothing() -> None:
    return None


def _shown_path(submissions: Path, task: Any) -> Path:
    """The notebook's path with the folder name as the outputs show it: valid text, no control
    characters (pytest and pytest-xdist send paths as UTF-8)."""
    from medialit.grade.textsafe import printable

    return Path(submissions).resolve() / task.student / printable(task.notebook.name, keep="")


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
            path=_shown_path(state.submissions, task),
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
    if STATE not in config.stash:
        return
    state = config.stash[STATE]
    if hasattr(config, "workerinput"):
        state.close()  # the results go to the controller, which writes them as they are
        config.workeroutput["medialit_results"] = [r.to_dict() for r in state.memo.values()]
        return
    from medialit.grade import exports, regrade

    if exitstatus == pytest.ExitCode.INTERRUPTED and state.bundle is not None:
        state.close()  # graded so far is written; the next run grades the rest
        results = state.graded_so_far()
        state.stopped = f"stopped: {len(results)} of {len(state.tasks)} submissions written"
    elif exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        if state.bundle is None:
            state.load()
        results = [state.result(task) for task in state.tasks]
        state.close()
    else:
        state.close()
        return  # broken before grading: nothing to write
    from medialit.grade.late_class import for_results, without_time

    roster = exports.read_roster(state.roster) if state.roster else None
    lateness = for_results(state.late_rule, results, state.submissions, state.times)
    state.written, state.regrade = regrade.write_with_history(
        results, state.bundle, state.out, roster, complete=not state.stopped, late=lateness
    )
    state.late_warning = without_time(lateness)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """Keep what an xdist worker graded: the controller writes exactly those rows, and grades
    again (from the cache) only what a worker that died could not send back."""
    config = node.config
    if STATE not in config.stash:
        return
    from medialit.grade.engine import SubmissionResult

    state = config.stash[STATE]
    for data in (getattr(node, "workeroutput", None) or {}).get("medialit_results", []):
        result = SubmissionResult.from_dict(data)
        state.memo[(result.student, result.set_id)] = result


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if STATE not in config.stash or hasattr(config, "workerinput"):
        return
    state = config.stash[STATE]
    written = state.written
    if written:
        terminalreporter.write_sep("-", "medialit grading")
        if state.stopped:
            terminalreporter.write_line(f"{state.stopped}; run again to grade the rest")
        for name, path in written.items():
            terminalreporter.write_line(f"{name}: {path}")
        terminalreporter.write_line(state.regrade)
        if state.late_warning:
            terminalreporter.write_line(f"WARNING: {state.late_warning}", yellow=True)
