"""Where a widget saves: the answers file beside the running notebook, found or given."""

from __future__ import annotations

import os
from pathlib import Path

from medialit.widgets.store import AnswersFile, answers_path_for

FALLBACK_STEM = "notebook"


def running_notebook() -> Path | None:
    """The notebook this kernel runs, when the front end says (JupyterLab, Notebook, VS Code)."""
    session = os.environ.get("JPY_SESSION_NAME")  # set by jupyter_server for the kernel
    if session and session.endswith(".ipynb"):
        path = Path(session)
        # The kernel runs in the notebook's folder; the session name may be relative to the
        # server's root, so the file name is what locates it here.
        return path if path.is_absolute() and path.parent.is_dir() else Path.cwd() / path.name
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return None
    shell = get_ipython()
    vscode = shell.user_ns.get("__vsc_ipynb_file__") if shell is not None else None
    return Path(vscode) if vscode else None


def answers_file(
    notebook: str | os.PathLike[str] | None = None,
    answers: str | os.PathLike[str] | AnswersFile | None = None,
) -> AnswersFile:
    """The answers file to use: given, beside the named notebook, or beside the running one.

    >>> answers_file(notebook="exercises/sourcing-1.ipynb").path.as_posix()
    'exercises/sourcing-1.answers.json'
    """
    if isinstance(answers, AnswersFile):
        return answers
    if answers is not None:
        return AnswersFile(answers)
    if notebook is not None:
        return AnswersFile(answers_path_for(notebook))
    found = running_notebook()
    store = AnswersFile(
        answers_path_for(found) if found else Path.cwd() / f"{FALLBACK_STEM}.answers.json"
    )
    if found is None:
        store.notices.append(
            f"The notebook's name could not be found, so your work is saved in {store.path.name}. "
            "To save it beside your notebook, pass its name: annotate(notebook='name.ipynb')."
        )
    return store
