"""`medialit release`: write the students' repository and the wheel (see build.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medialit.release.build import RELEASE_OUT


def add_parser(verbs: argparse._SubParsersAction) -> None:
    """Register the ``release`` sub-command."""
    release = verbs.add_parser(
        "release",
        help="the student release: OUT/student/ (their repository) and OUT/dist/<wheel>",
        description="Build the students' repository (notebooks as .ipynb, README, requirements, "
        "binder/, the wheel) and the wheel, from the checkout in the current folder. With "
        "--publishing (or MEDIALIT_PUBLISH=1) placeholder addresses in _config.yml are refused.",
    )
    release.add_argument("--out", default=str(RELEASE_OUT), help="output folder (%(default)s)")
    release.add_argument("--root", default=".", help="the course checkout (%(default)s)")
    release.add_argument(
        "--publishing", action="store_true", help="refuse YOUR-ORG / example.org placeholders"
    )
    release.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from medialit.assign.source import SourceError
    from medialit.release.build import build_release
    from medialit.release.settings import SettingsError, load_settings
    from medialit.release.wheel import ReleaseError

    try:
        settings = load_settings(args.root, publishing=True if args.publishing else None)
        done = build_release(args.root, Path(args.out), settings)
    except (SettingsError, ReleaseError, SourceError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    files = sorted(p for p in done.student.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in files)
    print(f"student  {done.student}  ({len(files)} files, {size / 1024:.0f} KiB)")
    for path in done.notebooks:
        print(f"         {path.relative_to(done.student)}")
    if done.handouts:
        print(
            f"handouts {done.handouts[0].parents[1]}  (handed out in class, not in the repository)"
        )
        for path in done.handouts:
            print(f"         {path.relative_to(done.handouts[0].parents[1])}")
    print(f"wheel    {done.wheel}  ({done.wheel.stat().st_size / 1024:.0f} KiB)")
    print(f"version  {done.version}; release repository {settings.repository_url}")
    for placeholder in settings.placeholders():
        print(
            f"note     _config.yml: {placeholder} is a placeholder: fine for trying the release "
            "locally; a build for publishing refuses it",
            file=sys.stderr,
        )
    return 0
