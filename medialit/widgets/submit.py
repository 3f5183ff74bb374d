"""before_you_submit(): the last cell of an exercise set: the files to hand in, what is missing.

It reads the saved notebook as the grader does (medialit.grade.answers: literal values, nothing
run), so "ready" here means the grader can read every answer; it never says whether one is
right. The set is recognised by ``metadata["medialit"]["set"]``, so a renamed copy
(``Copy of sourcing.ipynb``, ``sourcing (1).ipynb``) is found too.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from medialit.grade.answers import ANSWERS_SUFFIX, read_annotations, read_submission


@dataclass
class SubmitReport:
    """What to hand in and what is still missing."""

    set_id: str
    files: list[str]
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """Every answer is a plain value the grader can read, and every file is there."""
        return not self.problems

    def lines(self) -> list[str]:
        head = (
            "✔ Ready to hand in: the grader can read every answer."
            if self.ready
            else f"✖ Not ready yet: {len(self.problems)} thing(s) to do."
        )
        return [
            head,
            f"Hand in: {', '.join(self.files)}",
            *(f"- {problem}" for problem in self.problems),
            *(f"Note: {note}" for note in self.notes),
            "This check reads the saved notebook: save it first (Ctrl+S). It says whether the "
            "grader can read your answers, not whether they are right.",
        ]

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_html_(self) -> str:
        head, files, *rest = self.lines()
        items = "".join(f"<li>{html.escape(line)}</li>" for line in rest)
        return (
            f'<div class="ml-self-check" role="status"><strong>{html.escape(head)}</strong>'
            f"<p>{html.escape(files)}</p><ul>{items}</ul></div>"
        )


def _set_of(path: Path) -> str | None:
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        return notebook.get("metadata", {}).get("medialit", {}).get("set")
    except (OSError, ValueError, AttributeError):
        return None


def find_notebooks(set_id: str, folder: Path) -> list[Path]:
    """The saved notebooks of ``set_id`` in ``folder``: ``<set>.ipynb`` and renamed copies."""
    return sorted(
        path for path in folder.glob("*.ipynb") if path.stem == set_id or _set_of(path) == set_id
    )


def before_you_submit(
    set_id: str,
    answers: list[str],
    annotations: bool = False,
    folder: str | Path | None = None,
) -> SubmitReport:
    """Check the saved notebook of ``set_id`` for the answer variables ``answers`` (and its
    annotations file when the set has annotation items).

    >>> import tempfile, json, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> cells = [{"cell_type": "code", "source": "q1 = 'vague'\\nq2 = len('ab')"}]
    >>> notebook = {"nbformat": 4, "metadata": {"medialit": {"set": "demo"}}, "cells": cells}
    >>> _ = (folder / "Copy of demo.ipynb").write_text(json.dumps(notebook))
    >>> print(before_you_submit("demo", ["q1", "q2", "q3"], folder=folder))
    ✖ Not ready yet: 2 thing(s) to do.
    Hand in: demo.ipynb
    - q2 is computed, not a plain value: type the result itself ...
    - q3 has no answer yet (it is None or missing).
    Note: your notebook is saved as 'Copy of demo.ipynb'; the grader recognises it, ...
    This check reads ...
    """
    folder = Path(folder) if folder is not None else Path.cwd()
    files = [f"{set_id}.ipynb"] + ([f"{set_id}{ANSWERS_SUFFIX}"] if annotations else [])
    report = SubmitReport(set_id, files)
    found = find_notebooks(set_id, folder)
    if not found:
        report.problems.append(
            f"No saved notebook of this set in {folder}: save it (File > Save Notebook); on "
            f"Colab, download it (File > Download > Download .ipynb) and name it {set_id}.ipynb."
        )
        return report
    if len(found) > 1:
        names = ", ".join(repr(path.name) for path in found)
        report.problems.append(
            f"Several copies of this set are saved here ({names}): hand in one, named "
            f"{set_id}.ipynb, so the grader does not have to choose."
        )
    notebook_path = next((p for p in found if p.stem == set_id), found[0])
    if notebook_path.stem != set_id:
        report.notes.append(
            f"your notebook is saved as {notebook_path.name!r}; the grader recognises it, but "
            "hand in one copy only."
        )
    try:
        notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        report.problems.append(f"{notebook_path.name} cannot be read ({error}).")
        return report
    submission = read_submission(notebook, set(answers))
    for name in answers:
        answer = submission.answers.get(name)
        if answer is not None and answer.error is not None:
            report.problems.append(
                f"{name} is computed, not a plain value: type the result itself (the grader "
                "does not run the notebook)."
            )
        elif answer is None or answer.value is None:
            report.problems.append(f"{name} has no answer yet (it is None or missing).")
    if annotations:
        candidates = [folder / f"{set_id}{ANSWERS_SUFFIX}"]
        candidates.append(folder / f"{notebook_path.stem}{ANSWERS_SUFFIX}")
        saved = next((path for path in candidates if path.is_file()), None)
        if saved is None:
            report.problems.append(
                f"{set_id}{ANSWERS_SUFFIX} is missing: the annotate widget writes it when you "
                "save a highlight; hand it in with the notebook."
            )
        else:
            read = read_annotations(saved)
            if not read.items:
                report.problems.append(f"{saved.name} holds no annotations yet.")
            report.problems += [f"{saved.name}: {problem}" for problem in read.problems]
    return report
