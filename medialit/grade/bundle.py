"""The grader's bundle: exercise sets, items, points, keys and hidden checks (stdlib only)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from medialit.fileio import atomic_write_text
from medialit.grade.visibility import release_problem

BUNDLE_FORMAT = 1
BUNDLE_FILE = "bundle.json"
ASSIGN_OUT = "_build/assign"  # where `medialit assign` writes, by default
DEFAULT_BUNDLE = f"{ASSIGN_OUT}/grader"  # the grader folder that grade, pytest and report read
KINDS = ("label", "span", "set", "number", "annotation", "code", "reflection", "confidence")
LITERAL_KINDS = ("label", "span", "set", "number", "reflection", "confidence")
# A confidence item records how sure a student is of the item it follows (1 to 5); it is worth
# no points and has no key. Its id is the rated item's id + CONFIDENCE_SUFFIX (q1_confidence).
CONFIDENCE_SUFFIX = "_confidence"
CONFIDENCE_SCALE = (1, 5)
COMPARES = ("exact", "unordered", "close")


class BundleError(ValueError):
    """The bundle or an item in it is not usable; the message names the place and the fix."""


@dataclass(frozen=True)
class Case:
    """One hidden check of a code exercise: arguments, expected value, and a name that
    describes the situation (shown to students) without giving the expected value."""

    name: str
    args: list[Any]
    expected: Any
    compare: str = "exact"
    abs_tol: float = 0.0


@dataclass(frozen=True)
class Item:
    """One graded question. Which fields matter depends on ``kind``."""

    id: str
    kind: str
    points: float
    title: str = ""
    variable: str | None = None
    key: Any = None
    hint: str = ""
    alternatives: tuple[str, ...] = ()
    categories: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    abs_tol: float = 0.0
    rel_tol: float = 0.0
    article_id: str | None = None
    layer: str | None = None
    use_labels: bool = True
    full_credit_at: float = 1.0
    function: str | None = None
    cases: tuple[Case, ...] = ()
    cpu_seconds: float = 2.0
    memory_mb: int = 256
    rubric: tuple[Mapping[str, Any], ...] = ()
    min_words: int = 0
    objectives: tuple[str, ...] = ()  # learning objectives it assesses (book/instructor)
    feedback_level: str = "full"  # what students read: hint | message | full (visibility.py)
    visibility: str = ""  # when its results show on Gradescope; "" = the course policy

    @property
    def manual(self) -> bool:
        """True for items a person grades (reflections)."""
        return self.kind == "reflection"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cases"] = [asdict(case) for case in self.cases]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str) -> Item:
        """Build and check an item; ``where`` names the place for error messages."""
        if not isinstance(data, Mapping):
            raise BundleError(f"{where}: an item must be a mapping of fields")
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise BundleError(f"{where}: unknown item fields {sorted(unknown)}; remove them")
        fields = dict(data)
        item_id = fields.get("id")
        where = f"{where} (item {item_id!r})"
        if not isinstance(item_id, str) or not item_id.isidentifier():
            raise BundleError(f"{where}: 'id' must be a short name like q1")
        kind = fields.get("kind")
        if kind not in KINDS:
            raise BundleError(f"{where}: 'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
        points = fields.get("points")
        if kind == "confidence":
            if points not in (None, 0) or isinstance(points, bool):
                raise BundleError(f"{where}: a confidence item is worth no points; set points: 0")
            if not item_id.endswith(CONFIDENCE_SUFFIX):
                raise BundleError(
                    f"{where}: a confidence item's id is the rated item's id + "
                    f"{CONFIDENCE_SUFFIX!r} (q1{CONFIDENCE_SUFFIX})"
                )
            fields["points"] = 0
        elif isinstance(points, bool) or not isinstance(points, int | float) or points <= 0:
            raise BundleError(f"{where}: 'points' must be a positive number")
        if kind in LITERAL_KINDS and not (fields.get("variable") or "").isidentifier():
            raise BundleError(f"{where}: a {kind} item needs 'variable', the answer's name")
        if kind == "code":
            if not (fields.get("function") or "").isidentifier():
                raise BundleError(f"{where}: a code item needs 'function', the function's name")
            if not fields.get("cases"):
                raise BundleError(f"{where}: a code item needs at least one case")
        if kind in ("span", "annotation") and not fields.get("article_id"):
            raise BundleError(f"{where}: a {kind} item needs 'article_id'")
        if kind == "annotation" and not fields.get("layer"):
            raise BundleError(f"{where}: an annotation item needs 'layer'")
        if kind == "reflection" and not fields.get("rubric"):
            raise BundleError(f"{where}: a reflection needs a 'rubric' (criteria with points)")
        if problem := release_problem(fields):
            raise BundleError(f"{where}: {problem}")
        fields["feedback_level"] = fields.get("feedback_level") or "full"
        fields["visibility"] = fields.get("visibility") or ""
        if kind not in ("code", "reflection", "confidence") and fields.get("key") is None:
            raise BundleError(f"{where}: no key; give the answer in the solution block")
        cases = []
        for number, case in enumerate(fields.get("cases") or (), start=1):
            if not isinstance(case, Mapping) or not {"name", "args", "expected"} <= set(case):
                raise BundleError(f"{where}: case {number} needs name, args and expected")
            if case.get("compare", "exact") not in COMPARES:
                raise BundleError(f"{where}: case {number}: compare must be one of {COMPARES}")
            cases.append(Case(**case))
        fields["cases"] = tuple(cases)
        fields["alternatives"] = tuple(fields.get("alternatives") or ())
        fields["rubric"] = tuple(fields.get("rubric") or ())
        fields["objectives"] = tuple(fields.get("objectives") or ())
        fields["aliases"] = {k: tuple(v) for k, v in (fields.get("aliases") or {}).items()}
        fields["categories"] = dict(fields.get("categories") or {})
        return cls(**fields)


@dataclass(frozen=True)
class ExerciseSet:
    """One graded notebook: its id (also the submission's file stem), title and items."""

    id: str
    title: str
    items: tuple[Item, ...]

    @property
    def notebook(self) -> str:
        return f"{self.id}.ipynb"

    @property
    def max_points(self) -> float:
        return sum(item.points for item in self.items)

    @property
    def auto_points(self) -> float:
        return sum(item.points for item in self.items if not item.manual)


@dataclass(frozen=True)
class Bundle:
    """Everything the grader needs and students must never see."""

    sets: Mapping[str, ExerciseSet]
    texts: Mapping[str, str]
    digest: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": BUNDLE_FORMAT,
            "sets": {
                set_id: {"title": s.title, "items": [item.to_dict() for item in s.items]}
                for set_id, s in self.sets.items()
            },
            "texts": dict(self.texts),
        }

    def only(self, set_ids: list[str]) -> Bundle:
        """A bundle with just these sets (and the texts they need)."""
        sets = {k: v for k, v in self.sets.items() if k in set_ids}
        needed = {i.article_id for s in sets.values() for i in s.items if i.article_id}
        return Bundle(sets, {k: v for k, v in self.texts.items() if k in needed})


def bundle_from_dict(data: Any, where: str) -> Bundle:
    """Check and build a bundle from its JSON form."""
    if not isinstance(data, Mapping) or data.get("format") != BUNDLE_FORMAT:
        raise BundleError(
            f"{where}: not a grader bundle of format {BUNDLE_FORMAT}; rebuild it with "
            "`python -m medialit assign`"
        )
    sets = {}
    for set_id, raw in data.get("sets", {}).items():
        items = tuple(
            Item.from_dict(item, f"{where}, set {set_id!r}") for item in raw.get("items", [])
        )
        ids = [item.id for item in items]
        if len(set(ids)) != len(ids):
            raise BundleError(f"{where}, set {set_id!r}: item ids repeat: {ids}")
        sets[set_id] = ExerciseSet(set_id, raw.get("title", set_id), items)
    texts = data.get("texts", {})
    for s in sets.values():
        for item in s.items:
            if item.article_id and item.article_id not in texts:
                raise BundleError(
                    f"{where}, set {s.id!r}, item {item.id!r}: the text of {item.article_id!r} "
                    "is not in the bundle"
                )
    return Bundle(sets, texts)


def load_bundle(path: Path) -> Bundle:
    """Load ``bundle.json`` (or a directory holding it)."""
    path = Path(path)
    if path.is_dir():
        path = path / BUNDLE_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BundleError(
            f"No grader bundle at {path}. Run `python -m medialit assign` first, or pass "
            "--bundle with the grader folder it wrote"
        ) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BundleError(f"{path}: broken JSON at line {exc.lineno} ({exc.msg})") from None
    bundle = bundle_from_dict(data, str(path))
    return Bundle(bundle.sets, bundle.texts, hashlib.sha256(raw).hexdigest())


def write_bundle(bundle: Bundle, folder: Path) -> Path:
    """Write ``folder/bundle.json``, readable by its owner only, in a folder closed to others."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    path = folder / BUNDLE_FILE
    text = json.dumps(bundle.to_dict(), indent=1, ensure_ascii=False, sort_keys=True)
    atomic_write_text(path, text)
    os.chmod(path, 0o600)  # already 0600 from the temporary file; say so explicitly
    return path
