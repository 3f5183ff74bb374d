"""Errors about the sources that name the file, the place and the fix."""

from __future__ import annotations

from pathlib import Path


class SourceError(ValueError):
    """One problem in one source file.

    >>> print(SourceError("sources/articles/x.md", "title", "is missing", "add 'title: ...'"))
    sources/articles/x.md: title: is missing. Fix: add 'title: ...'
    """

    def __init__(self, path: str | Path, place: str, problem: str, fix: str) -> None:
        self.path = str(path)
        self.place = place
        self.problem = problem
        self.fix = fix
        super().__init__(f"{self.path}: {place}: {problem}. Fix: {fix}")


class CorpusError(ValueError):
    """One or more source files could not be loaded; ``errors`` lists each problem."""

    def __init__(self, errors: list[SourceError]) -> None:
        self.errors = errors
        lines = "\n".join(f"  - {error}" for error in errors)
        super().__init__(f"{len(errors)} problem(s) in the course sources:\n{lines}")


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
