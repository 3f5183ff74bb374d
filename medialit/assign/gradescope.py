"""Pack a Gradescope autograder for one exercise set: setup.sh, run_autograder, bundle, engine."""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import medialit
from medialit.grade.autograder import DEFAULT_POLICY, POLICY_FILE, load_policy
from medialit.grade.bundle import BUNDLE_FILE, Bundle, write_bundle
from medialit.grade.late import LATE_FILE, LATE_SOURCE, LatePolicy, LatePolicyError, parse_policy

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
    "grade/late.py",
    "grade/late_class.py",
    "grade/_runner.py",
    "grade/sandbox.py",
    "grade/scoring.py",
    "grade/textsafe.py",
    "grade/visibility.py",
    "grade/workers.py",
)
PACKAGE_STUBS = {
    "__init__.py": '"""medialit, packed for a Gradescope autograder (grading modules only)."""\n',
    "corpus/__init__.py": '"""Only the text folding the matchers share with the corpus."""\n',
    "grade/__init__.py": '"""Grading: answers as data, sandboxed code, scoring, exports."""\n',
}
SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image. It either leaves an image
# that can grade, or stops with a message saying what is missing (exit status 1).
# The grader needs Python 3.10 or newer (standard library only) and bubblewrap, the kernel
# sandbox student code runs in (it sees neither this folder nor the bundle's keys).
set -uo pipefail
export DEBIAN_FRONTEND=noninteractive
stop() { echo "medialit autograder setup FAILED: $*" >&2; exit 1; }
python_ok() { python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; }
if ! python_ok || ! command -v bwrap >/dev/null; then
  if command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 bubblewrap \\
      || echo "apt-get could not install python3 and bubblewrap" >&2
  fi
fi
command -v python3 >/dev/null || stop "python3 is not installed and could not be installed. \\
Choose Gradescope's Ubuntu 22.04 base image (Python 3.10) or install Python 3.10+ here."
python_ok || stop "this grader needs Python 3.10 or newer; the image has \\
$(python3 --version 2>&1). Choose Gradescope's Ubuntu 22.04 base image, or install python3.10."
command -v bwrap >/dev/null || stop "bubblewrap (bwrap) is not installed and apt-get could \\
not install it; student code would have no sandbox. Use an image where apt-get works."
python3 --version
bwrap --version
cd "$(dirname "$0")" || stop "cannot enter the autograder folder"
chmod 600 bundle.json  # the key: the grading user's alone
python3 -I -c 'import sys; sys.path.insert(0, ".")
from pathlib import Path
from medialit.grade import autograder, bundle, isolation
from medialit.grade import late
bundle.load_bundle(Path("bundle.json")); autograder.load_policy(Path("."))
late.load_late(Path("."))
problem = isolation.bwrap_problem()
print("bubblewrap works: student code will run isolated" if problem is None else
      "WARNING: code items will be ungradable: " + problem)' \\
  || stop "the grading modules, bundle.json, policy.json or late.json cannot be loaded (above)."
echo "medialit autograder ready"
"""
RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: ROOT/submission in, ROOT/results/results.json out.
# There is always a results.json: when the grader cannot run, one that says so.
# AUTOGRADER_ROOT lets a test run it against a copy of Gradescope's layout.
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
RESULTS="$ROOT/results/results.json"
why="the grader stopped with an error"
if ! command -v python3 >/dev/null; then
  why="python3 is not installed in the autograder image"
elif ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  why="the autograder image has Python older than 3.10"
else
  cd "$ROOT/source" && python3 -I -c 'import sys; sys.path.insert(0, ".")
import medialit.grade.autograder as a
sys.exit(a.main())' --root "$ROOT"
fi
if [ ! -s "$RESULTS" ]; then
  echo "medialit autograder: $why" >&2
  mkdir -p "$ROOT/results"
  head='{"score": 0, "output_format": "text", "visibility": "visible", "tests": [],'
  tail='"extra_data": {"medialit_graded": false}}'
  printf '%s "output": "%s %s", %s\\n' "$head" \\
    "The autograder could not grade this submission ($why). This is not about your work:" \\
    "your submission is kept; tell your instructor." "$tail" > "$RESULTS"
fi
exit 0
"""
MODES = {"setup.sh": 0o755, "run_autograder": 0o755, BUNDLE_FILE: 0o600}


def course_policy(sources: list[Path]) -> dict | None:
    """The instructor's Gradescope policy: ``gradescope.json`` beside the exercise sources
    (fields of autograder.DEFAULT_POLICY), checked now rather than on Gradescope; None if absent.
    """
    for folder in sorted({Path(path).parent for path in sources}):
        if (folder / "gradescope.json").exists():
            text = (folder / "gradescope.json").read_text(encoding="utf-8")
            checked = Path(tempfile.mkdtemp(prefix="medialit-policy-"))
            try:
                (checked / POLICY_FILE).write_text(text, encoding="utf-8")
                return load_policy(checked)
            finally:
                shutil.rmtree(checked, ignore_errors=True)
    return None


def course_late_policy(sources: list[Path], sets: list[str]) -> LatePolicy | None:
    """The instructor's late policy: ``late.yaml`` beside the exercise sources, checked now
    (unknown fields, sets, dates and durations are errors naming the field); None if absent."""
    from medialit.assign.source import SourceError
    from medialit.yamlfile import read_yaml

    for folder in sorted({Path(path).parent for path in sources}):
        path = folder / LATE_SOURCE
        if path.exists():
            data = read_yaml(path, SourceError, missing="missing")
            try:
                return parse_policy(data, str(path), sets)
            except LatePolicyError as exc:
                raise SourceError(str(exc)) from None
    return None


def write_late(folder: Path, late: LatePolicy | None) -> Path | None:
    """``folder/late.json`` for the local grader (removed when the course has no late policy)."""
    from medialit.fileio import atomic_write_text

    path = Path(folder) / LATE_FILE
    if late is None:
        path.unlink(missing_ok=True)
        return None
    atomic_write_text(path, json.dumps(late.to_json(), indent=1) + "\n")
    return path


def _files(bundle: Bundle, policy: dict | None, late: LatePolicy | None = None) -> dict[str, bytes]:
    package = Path(medialit.__file__).parent
    files = {f"medialit/{name}": text.encode() for name, text in PACKAGE_STUBS.items()}
    for name in ENGINE_FILES:
        files[f"medialit/{name}"] = (package / name).read_bytes()
    files["setup.sh"] = SETUP_SH.encode()
    files["run_autograder"] = RUN_AUTOGRADER.encode()
    policy = {**DEFAULT_POLICY, **(policy or {})}
    files[POLICY_FILE] = (json.dumps(policy, indent=1) + "\n").encode()
    if late is not None:
        files[LATE_FILE] = (json.dumps(late.to_json(), indent=1) + "\n").encode()
    return files


def write_autograder(
    bundle: Bundle,
    folder: Path,
    set_id: str,
    policy: dict | None = None,
    late: LatePolicy | None = None,
) -> Path:
    """Write ``folder/<set>/`` (the autograder as files) and ``folder/<set>.zip`` (to upload).

    Both hold the set's keys, so they stay in the grader's folder, readable by its owner only;
    in the zip, bundle.json is the owner's alone too (mode 0600), so that on Gradescope only the
    grading user (root) can read it. ``policy`` (see autograder.DEFAULT_POLICY) goes to
    policy.json, which the instructor may also edit in the folder before zipping again.
    """
    folder = Path(folder)
    target = folder / set_id
    target.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    files = _files(bundle, policy, late and late.for_gradescope(set_id))
    (target / LATE_FILE).unlink(missing_ok=True)  # a policy since removed must not linger
    for name, data in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.chmod(path, MODES.get(name, 0o644))
    write_bundle(bundle, target)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted([*files, BUNDLE_FILE]):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = MODES.get(name, 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (target / name).read_bytes())
    zip_path = folder / f"{set_id}.zip"
    from medialit.fileio import atomic_write_bytes

    atomic_write_bytes(zip_path, buffer.getvalue())
    return zip_path
