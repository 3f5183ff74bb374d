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
