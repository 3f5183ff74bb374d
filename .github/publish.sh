#!/usr/bin/env bash
# The publish workflow's shell steps (.github/workflows/publish.yml), in one script a test runs
# (tests/release/test_publish.py, with a local bare repository as the release repository).
#
# 1. refuse placeholder addresses (MEDIALIT_PUBLISH=1: _config.yml must name the release
#    repository, the site and the hub; under GitHub Actions they default from GITHUB_REPOSITORY);
# 2. build the student site (skipped with PUBLISH_BOOK=0), the release and the wheel;
# 3. push the release to its own repository (RELEASE_REMOTE, else the repository.url of
#    _config.yml with RELEASE_TOKEN), as one commit on repository.branch;
# 4. put the wheel on the site too (_build/html/dist/), for the Pages deployment to upload.
set -euo pipefail
cd "${MEDIALIT_ROOT:-$(dirname "$0")/..}"
PYTHON="${PYTHON:-.venv/bin/python}"
OUT="${RELEASE_OUT:-_build/release}"
export MEDIALIT_PUBLISH=1

read -r REPOSITORY BRANCH < <("$PYTHON" -c '
import sys
from medialit.release.settings import SettingsError, load_settings
try:
    settings = load_settings(".", publishing=True)
except SettingsError as error:
    print(f"publish: {error}", file=sys.stderr)
    raise SystemExit(1)
print(settings.repository_url, settings.branch)
') || exit 1

if [ "${PUBLISH_BOOK:-1}" != 0 ]; then
  make book
fi
"$PYTHON" -m medialit release --out "$OUT" --publishing

if [ -z "${RELEASE_REMOTE:-}" ]; then
  if [ -z "${RELEASE_TOKEN:-}" ]; then
    echo "publish: no token to push the release to ${REPOSITORY}. Fix: create that repository," \
      "make a fine-grained token with 'Contents: read and write' on it, and add it to this" \
      "repository as the secret MEDIALIT_RELEASE_TOKEN (book/instructor/publishing.md)." >&2
    exit 1
  fi
  RELEASE_REMOTE="https://x-access-token:${RELEASE_TOKEN}@${REPOSITORY#https://}.git"
fi

VERSION="$("$PYTHON" -c 'import medialit; print(medialit.__version__)')"
(
  cd "$OUT/student"
  rm -rf .git
  git init -q -b "$BRANCH"
  git add -A
  git -c user.name="medialit publish" -c user.email="medialit-publish@users.noreply.github.com" \
    commit -qm "Student release ${VERSION} (instructor commit ${GITHUB_SHA:-local})"
  git push -q -f "$RELEASE_REMOTE" "HEAD:refs/heads/${BRANCH}"
  rm -rf .git
)
echo "publish: pushed the student release ${VERSION} to ${REPOSITORY} (${BRANCH})"

if [ -d _build/html ]; then
  mkdir -p _build/html/dist
  cp "$OUT"/dist/*.whl _build/html/dist/
fi
