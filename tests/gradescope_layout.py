"""/autograder as Gradescope lays it out, shared by the Gradescope tests."""

from __future__ import annotations

import zipfile
from pathlib import Path


def gradescope_root(tmp_path: Path, zip_path: Path) -> Path:
    """/autograder as Gradescope lays it out: source/ (the zip), submission/, results/."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(root / "source")
    for name in ("setup.sh", "run_autograder"):
        (root / "source" / name).chmod(0o755)
    (root / "submission").mkdir()
    (root / "results").mkdir()
    return root
