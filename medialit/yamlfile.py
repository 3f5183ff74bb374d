"""Reading YAML files with errors that say where the problem is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml


def yaml_error_place(error: Exception, first_line: int = 1) -> tuple[str | None, str]:
    """Where a YAML parse error is (``"line N"``, counting from ``first_line``) and what it is.

    >>> import yaml
    >>> try:
    ...     yaml.safe_load(chr(10).join(["a: 1", "b: [1, 2", "c: 3"]))
    ... except yaml.YAMLError as error:
    ...     place, problem = yaml_error_place(error)
    >>> place, problem.startswith("not valid YAML (")
    ('line 3', True)
    """
    mark = getattr(error, "problem_mark", None)
    place = f"line {mark.line + first_line}" if mark else None
    return place, f"not valid YAML ({getattr(error, 'problem', error)})"


def read_yaml(path: Path, error: Callable[[str], Exception], *, missing: str) -> object:
    """The YAML document in ``path`` (``None`` for an empty file). A missing file raises
    ``error("<path>: <missing>")``; a file that is not YAML raises ``error`` with the path, the
    line and the problem.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "a.yaml").write_text("a: [1, 2", encoding="utf-8")
    8
    >>> read_yaml(folder / "a.yaml", ValueError, missing="no such file")
    Traceback (most recent call last):
    ValueError: .../a.yaml, line 1: not valid YAML (expected ',' or ']', but got '<stream end>').
    >>> read_yaml(folder / "b.yaml", ValueError, missing="no such file; create it")
    Traceback (most recent call last):
    ValueError: .../b.yaml: no such file; create it
    """
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{path}: {missing}") from None
    except yaml.YAMLError as problem:
        place, what = yaml_error_place(problem)
        raise error(f"{path}{f', {place}' if place else ''}: {what}.") from None
