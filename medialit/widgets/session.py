"""Where a widget saves: the answers file beside the running notebook, found or given."""

from __future__ import annotations

import os
from pathlib import Path

from medialit.widgets.store import AnswersFile, answers_path_for

FALLBACK_STEM = "notebook"
NOTEBOOK_SUFFIXES = (".ipynb", ".md")  # a MyST markdown notebook opened through jupytext


def _beside_kernel(name: str) -> Path:
    """The notebook path a front end gave: absolute as it is, else by its name in the kernel's
    folder (the kernel runs in the notebook's folder; the name may be relative to the server's
    root)."""
    path = Path(name)
    return path if path.is_absolute() and path.parent.is_dir() else Path.cwd() / path.name


def running_notebook(user_ns: dict | None = None) -> Path | None:
    """The notebook this kernel runs, when the front end says: ``JPY_SESSION_NAME`` (set by
    jupyter_server for JupyterLab and Notebook 7), IPython's ``__session__``, or VS Code's
    ``__vsc_ipynb_file__``; ``.ipynb`` and MyST ``.md`` notebooks alike. None when none says.

    >>> import os
    >>> os.environ["JPY_SESSION_NAME"] = "course/01-who-is-speaking.md"
    >>> running_notebook({}).name
    '01-who-is-speaking.md'
    >>> del os.environ["JPY_SESSION_NAME"]
    >>> running_notebook({"__session__": "/nowhere/x.ipynb"}).name, running_notebook({})
    ('x.ipynb', None)
    """
    if user_ns is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython comes with ipykernel
            get_ipython = None
        shell = get_ipython() if get_ipython else None
        user_ns = shell.user_ns if shell is not None else {}
    candidates = [
        os.environ.get("JPY_SESSION_NAME"),
        user_ns.get("__session__"),
        user_ns.get("__vsc_ipynb_file__"),
    ]
    for name in candidates:
        if isinstance(name, str) and name.endswith(NOTEBOOK_SUFFIXES):
            return _beside_kernel(name)
    return None


def answers_file(
    notebook: str | os.PathLike[str] | None = None,
    answers: str | os.PathLike[str] | AnswersFile | None = None,
) -> AnswersFile:
    """The answers file to use: given, beside the named notebook, or beside the running one.

    >>> answers_file(notebook="exercises/sourcing-1.ipynb").path.as_posix()
    'exercises/sourcing-1.answers.json'
    >>> answers_file(notebook="notebooks/01-who-is-speaking.md").path.name
    '01-who-is-speaking.answers.json'
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
            f"This notebook's name could not be found (the front end does not say it), so your "
            f"work is saved in {store.path} instead. To save it beside your notebook, pass its "
            "name: annotate(..., notebook='name.ipynb')."
        )
    return store
