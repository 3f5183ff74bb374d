"""Pack a Gradescope autograder for one exercise set: setup.sh, run_autograder, bundle, engine."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import medialit
from medialit.grade.bundle import BUNDLE_FILE, Bundle, write_bundle

# The grading engine needs only the standard library; these files are all it imports.
ENGINE_FILES = (
    "fileio.py",
    "match.py",
    "corpus/textnorm.py",
    "grade/answers.py",
    "grade/autograder.py",
    "grade/bundle.py",
    "grade/collect.py",
    "grade/engine.py",
    "grade/exports.py",
    "grade/isolation.py",
    "grade/_runner.py",
    "grade/sandbox.py",
    "grade/scoring.py",
    "grade/textsafe.py",
    "grade/workers.py",
)
PACKAGE_STUBS = {
    "__init__.py": '"""medialit, packed for a Gradescope autograder (grading modules only)."""\n',
    "corpus/__init__.py": '"""Only the text folding the matchers share with the corpus."""\n',
    "grade/__init__.py": '"""Grading: answers as data, sandboxed code, scoring, exports."""\n',
}
SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image.
# The grader needs Python 3.10 or newer (standard library only) and bubblewrap, the kernel
# sandbox student code runs in (it sees neither this folder nor the bundle's keys).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \\
   || ! command -v bwrap >/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3 bubblewrap
fi
python3 --version
bwrap --version
cd "$(dirname "$0")"
python3 -I -c 'import sys; sys.path.insert(0, ".")
from medialit.grade import isolation
problem = isolation.bwrap_problem()
print("bubblewrap works: student code will run isolated" if problem is None else
      "WARNING: code items will be ungradable: " + problem)'
"""
RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: ROOT/submission in, ROOT/results/results.json out.
# AUTOGRADER_ROOT lets a test run it against a copy of Gradescope's layout.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
cd "$ROOT/source"
exec python3 -I -c 'import sys; sys.path.insert(0, "."); import medialit.grade.autograder as a
sys.exit(a.main())' --root "$ROOT"
"""


def _files(bundle: Bundle) -> dict[str, bytes]:
    package = Path(medialit.__file__).parent
    files = {f"medialit/{name}": text.encode() for name, text in PACKAGE_STUBS.items()}
    for name in ENGINE_FILES:
        files[f"medialit/{name}"] = (package / name).read_bytes()
    files["setup.sh"] = SETUP_SH.encode()
    files["run_autograder"] = RUN_AUTOGRADER.encode()
    return files


def write_autograder(bundle: Bundle, folder: Path, set_id: str) -> Path:
    """Write ``folder/<set>/`` (the autograder as files) and ``folder/<set>.zip`` (to upload).

    Both hold the set's keys, so they stay in the grader's folder, readable by its owner only.
    """
    folder = Path(folder)
    target = folder / set_id
    target.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    files = _files(bundle)
    for name, data in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.chmod(path, 0o755 if name in ("setup.sh", "run_autograder") else 0o644)
    write_bundle(bundle, target)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted([*files, BUNDLE_FILE]):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name in ("setup.sh", "run_autograder") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (target / name).read_bytes())
    zip_path = folder / f"{set_id}.zip"
    from medialit.fileio import atomic_write_bytes

    atomic_write_bytes(zip_path, buffer.getvalue())
    return zip_path
