"""Late work: due dates, extensions, a grace period and a penalty rule, kept apart from points.

The instructor writes the rule once, in ``exercises/late.yaml``; `medialit assign` checks it
and writes it as JSON (dates with their UTC offsets) to the grader folder and to every
Gradescope zip, where this module (standard library only) applies it. A penalty never changes
an item's points: it is its own column and its own sentence in the feedback. Where the
submission times of a class graded here come from is late_class.py's part.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

LATE_FILE = "late.json"  # in the grader folder and in each Gradescope zip
LATE_SOURCE = "late.yaml"  # beside the exercise sources
FIELDS = ("timezone", "due", "grace", "penalty", "cutoff", "extensions")
PENALTY_FIELDS = ("percent", "every", "max_percent")
UNITS = {"minute": 60, "hour": 3600, "day": 86400}
EVERY = ("hour", "day")
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(minute|hour|day)s?\s*$")
EXAMPLE = """timezone: Europe/London
due: {sourcing: 2026-03-12 18:00}
grace: 15 minutes
penalty: {percent: 10, every: day, max_percent: 50}
cutoff: 7 days
extensions: {ada: 2 days, alan: {sourcing: 2026-03-14 18:00}}"""
MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)


class LatePolicyError(ValueError):
    """The late policy or a submission time cannot be used; the message names file, field, fix."""


def parse_duration(text: Any, where: str) -> timedelta:
    """``"15 minutes"``, ``"2 days"``, ``"1.5 hours"`` (a day is 24 hours).

    >>> parse_duration("2 days", "late.yaml: grace"), parse_duration("90 minutes", "x")
    (datetime.timedelta(days=2), datetime.timedelta(seconds=5400))
    >>> parse_duration("2 weeks", "late.yaml: grace")
    Traceback (most recent call last):
    medialit.grade.late.LatePolicyError: late.yaml: grace: '2 weeks' is not a duration; write ...
    """
    found = DURATION.match(text) if isinstance(text, str) else None
    if found is None:
        raise LatePolicyError(
            f"{where}: {text!r} is not a duration; write a number and minutes, hours or days, "
            'e.g. "15 minutes" or "2 days"'
        )
    return timedelta(seconds=float(found.group(1)) * UNITS[found.group(2)])


def _zone(name: str, where: str) -> Any:
    """The IANA time zone ``name`` (zoneinfo is only needed where a date has no offset)."""
    if name.upper() in ("UTC", "Z"):
        return timezone.utc  # noqa: UP017 (datetime.UTC is 3.11+; Gradescope runs 3.10)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LatePolicyError(
            f"{where}: {name!r} is not a time zone; use an IANA name such as Europe/London, "
            "America/New_York or UTC"
        ) from None


def parse_time(text: Any, where: str, zone: str | None) -> datetime:
    """A date and time: ISO 8601 (``T`` or a space between), optionally with an offset, ``Z``
    or a zone name after it (nbgrader's timestamp.txt: ``2026-03-12 18:03:00.123456 UTC``);
    without one, in ``zone``.

    >>> parse_time("2026-03-12 18:03:00.5 UTC", "t", None).isoformat()
    '2026-03-12T18:03:00.500000+00:00'
    >>> parse_time("2026-03-12T18:00", "t", "Europe/London").isoformat()
    '2026-03-12T18:00:00+00:00'
    >>> parse_time("2026-07-12 18:00 Europe/London", "t", None).isoformat()
    '2026-07-12T18:00:00+01:00'
    >>> parse_time("12/03/2026", "times.csv, line 2, submitted_at", "UTC")
    Traceback (most recent call last):
    medialit.grade.late.LatePolicyError: times.csv, line 2, submitted_at: '12/03/2026' is not ...
    """
    if isinstance(text, datetime):
        text = text.isoformat()
    words = text.strip().split() if isinstance(text, str) else []
    named = None
    if len(words) == 3 or (len(words) == 2 and not re.match(r"^\d", words[1])):
        named = words.pop()  # a zone name (or an offset) after the date and time
        if re.match(r"^[+-]\d\d:?\d\d$", named):
            words[-1], named = words[-1] + named, None
    try:
        moment = datetime.fromisoformat(" ".join(words).replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or (len(words) == 1 and "T" not in words[0]):
        raise LatePolicyError(
            f"{where}: {text!r} is not a date and time; write it as 2026-03-12 18:00 (ISO "
            "8601), with an offset (+01:00) or a zone name after it if it is not in the "
            "policy's time zone"
        )
    if named is not None:
        if moment.tzinfo is not None:
            raise LatePolicyError(f"{where}: {text!r} gives both an offset and a zone; keep one")
        return moment.replace(tzinfo=_zone(named, where))
    if moment.tzinfo is None:
        if zone is None:
            raise LatePolicyError(
                f"{where}: {text!r} has no time zone; add an offset (+01:00) or set "
                "`timezone:` in the late policy"
            )
        moment = moment.replace(tzinfo=_zone(zone, where))
    return moment


def show_time(moment: datetime) -> str:
    """A date as students read it, with its offset from UTC.

    >>> show_time(datetime(2026, 3, 12, 18, 0, tzinfo=timezone.utc))
    '12 March 2026 18:00 UTC'
    >>> show_time(datetime.fromisoformat("2026-12-08T23:59:00-07:00"))
    '8 December 2026 23:59 UTC-07:00'
    """
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    zone = "UTC" if not minutes else f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} {moment:%H:%M} {zone}"


def show_duration(span: timedelta) -> str:
    """A lateness in days, hours and minutes (whole minutes, rounded down).

    >>> show_duration(timedelta(days=1, hours=3, seconds=59)), show_duration(timedelta(minutes=4))
    ('1 day 3 h', '4 min')
    >>> show_duration(timedelta(days=2, minutes=5)), show_duration(timedelta(seconds=20))
    ('2 days 0 h 5 min', 'less than a minute')
    """
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
    if hours or (days and minutes):
        parts.append(f"{hours} h")
    if minutes:
        parts.append(f"{minutes} min")
    return " ".join(parts) or "less than a minute"


def _number(value: Any, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise LatePolicyError(f"{where}: {value!r} must be a number from {low:g} to {high:g}")
    return float(value)


def _mapping(value: Any, where: str, fix: str) -> dict:
    if not isinstance(value, dict):
        raise LatePolicyError(f"{where}: must be a mapping ({fix})")
    return value


@dataclass(frozen=True)
class LatePolicy:
    """The course's late rule: due dates per set, extensions, grace, penalty and cutoff."""

    due: dict[str, datetime] = field(default_factory=dict)
    grace: timedelta = timedelta(0)
    percent: float = 0.0  # of the points earned, for every period started after the due date
    every: str = "day"
    max_percent: float = 100.0
    cutoff: timedelta | None = None  # after due + cutoff, the set scores 0
    extensions: dict[str, dict[str, timedelta | datetime]] = field(default_factory=dict)
    timezone: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The policy as late.json holds it: every date with its offset, durations in minutes."""

        def length(span: timedelta) -> str:  # in the largest unit that keeps it whole
            seconds = span.total_seconds()
            unit = next(
                u for u in ("day", "hour", "minute") if seconds % UNITS[u] == 0 or u == "minute"
            )
            count = seconds / UNITS[unit]
            return f"{count:g} {unit}{'' if count == 1 else 's'}"

        def value(given: timedelta | datetime) -> str:
            return given.isoformat() if isinstance(given, datetime) else length(given)

        return {
            "timezone": self.timezone,
            "due": {set_id: moment.isoformat() for set_id, moment in self.due.items()},
            "grace": length(self.grace),
            "penalty": {
                "percent": self.percent,
                "every": self.every,
                "max_percent": self.max_percent,
            },
            "cutoff": None if self.cutoff is None else length(self.cutoff),
            "extensions": {  # as late.yaml writes them: one duration, or one per set
                student: value(per["*"])
                if "*" in per
                else {key: value(given) for key, given in per.items()}
                for student, per in self.extensions.items()
            },
        }

    def for_gradescope(self, set_id: str) -> LatePolicy:
        """The rule for one set's zip: its due date, no students' extensions (Gradescope
        records those itself, in submission_metadata.json) and no zone name (every date there
        carries its offset, so the image needs no time zone database)."""
        due = {set_id: self.due[set_id]} if set_id in self.due else {}
        rule = (self.grace, self.percent, self.every, self.max_percent, self.cutoff)
        return LatePolicy(due, *rule, extensions={}, timezone=None)


def parse_policy(data: Any, where: str, sets: list[str] | None = None) -> LatePolicy:
    """Check a late policy (from late.yaml or late.json); every departure names the field.

    >>> policy = parse_policy({"timezone": "UTC", "due": {"claims": "2026-03-12 18:00"},
    ...     "penalty": {"percent": 10, "every": "day"}}, "late.yaml")
    >>> policy.due["claims"].isoformat(), policy.percent, policy.max_percent
    ('2026-03-12T18:00:00+00:00', 10.0, 100.0)
    >>> parse_policy({"penalty": {"percent": 10, "per": "day"}}, "late.yaml")
    Traceback (most recent call last):
    medialit.grade.late.LatePolicyError: late.yaml: penalty: unknown field 'per'; the fields ...
    """
    data = _mapping(data if data is not None else {}, where, f"for example:\n{EXAMPLE}")
    for name in data:
        if name not in FIELDS:
            raise LatePolicyError(
                f"{where}: unknown field {name!r}; the fields are {', '.join(FIELDS)}"
            )
    zone = data.get("timezone")
    if zone is not None:
        if not isinstance(zone, str):
            raise LatePolicyError(f"{where}: timezone: give an IANA name such as Europe/London")
        _zone(zone, f"{where}: timezone")
    due = {}
    for set_id, when in _mapping(data.get("due") or {}, f"{where}: due", "set: date").items():
        if sets is not None and set_id not in sets:
            raise LatePolicyError(
                f"{where}: due: {set_id!r} is not an exercise set; the sets are {', '.join(sets)}"
            )
        due[set_id] = parse_time(when, f"{where}: due: {set_id}", zone)
    penalty = _mapping(
        data.get("penalty") or {}, f"{where}: penalty", "percent, every, max_percent"
    )
    for name in penalty:
        if name not in PENALTY_FIELDS:
            raise LatePolicyError(
                f"{where}: penalty: unknown field {name!r}; the fields are "
                f"{', '.join(PENALTY_FIELDS)}"
            )
    every = penalty.get("every", "day")
    if every not in EVERY:
        raise LatePolicyError(
            f"{where}: penalty: every: {every!r} must be one of {', '.join(EVERY)} (the "
            "percent is taken for each day or hour started after the due date)"
        )
    extensions: dict[str, dict[str, timedelta | datetime]] = {}
    given = _mapping(data.get("extensions") or {}, f"{where}: extensions", "student: duration")
    for student, value in given.items():
        place = f"{where}: extensions: {student}"
        if isinstance(value, dict):
            per: dict[str, timedelta | datetime] = {}
            for set_id, span in value.items():
                if set_id not in due and (sets is None or set_id not in sets):
                    raise LatePolicyError(f"{place}: {set_id!r} is not a set with a due date")
                text = span.isoformat() if isinstance(span, datetime) else span
                per[set_id] = (
                    parse_duration(text, f"{place}: {set_id}")
                    if isinstance(text, str) and DURATION.match(text)
                    else parse_time(text, f"{place}: {set_id}", zone)
                )
            extensions[str(student)] = per
        else:  # one duration for every set
            extensions[str(student)] = {"*": parse_duration(value, place)}
    cutoff = data.get("cutoff")
    return LatePolicy(
        due=due,
        grace=parse_duration(data["grace"], f"{where}: grace") if "grace" in data else timedelta(0),
        percent=_number(penalty.get("percent", 0), f"{where}: penalty: percent", 0, 100),
        every=every,
        max_percent=_number(
            penalty.get("max_percent", 100), f"{where}: penalty: max_percent", 0, 100
        ),
        cutoff=None if cutoff is None else parse_duration(cutoff, f"{where}: cutoff"),
        extensions=extensions,
        timezone=zone,
    )


@dataclass(frozen=True)
class Lateness:
    """How late one submission was and what the rule makes of it (never item points)."""

    status: str  # on time | grace | late | past cutoff | no time | no due date
    submitted: datetime | None = None
    due: datetime | None = None  # the student's own due date (extensions included)
    penalty_percent: float = 0.0
    grace: timedelta = timedelta(0)
    cutoff: timedelta | None = None
    note: str = ""  # for the grader: where the time came from, or why there is none

    @property
    def late_by(self) -> timedelta:
        if self.submitted is None or self.due is None:
            return timedelta(0)
        return max(timedelta(0), self.submitted - self.due)

    def adjusted(self, points: float) -> float:
        """The set's points after the rule (rounded to hundredths).

        >>> Lateness("late", penalty_percent=10).adjusted(14)
        12.6
        """
        if self.status == "past cutoff":
            return 0.0
        return math.floor(points * (100 - self.penalty_percent) + 0.5 + 1e-9) / 100

    def sentence(self, points: float) -> str:
        """What the student reads; empty when there is nothing to say (on time, no rule)."""
        if self.status not in ("grace", "late", "past cutoff"):
            return ""
        said = (
            f"Submitted {show_duration(self.late_by)} after the due date of {show_time(self.due)}"
        )
        after = f"{points:g} → {self.adjusted(points):g}"
        if self.status == "grace":
            return f"{said}, within the {show_duration(self.grace)} grace period: no late penalty."
        if self.status == "past cutoff":
            return (
                f"{said}, past the cutoff of {show_duration(self.cutoff)} after it: late work "
                f"that late scores 0 ({after})."
            )
        return f"{said}; {self.penalty_percent:g}% late penalty: {after}."

    def record(self, set_id: str, points: float) -> dict[str, Any]:
        """What Gradescope's extra_data keeps of it (a set the rule did not reach: nothing)."""
        if self.status not in ("on time", "grace", "late", "past cutoff"):
            return {}
        late_by = int(self.late_by.total_seconds() // 60)
        return {
            set_id: {
                "status": self.status,
                "late_by_minutes": late_by,
                "penalty_percent": self.penalty_percent,
                "points": points,
                "adjusted_points": self.adjusted(points),
            }
        }

    def rows(self, exercise: Any, points: float, visibility: str) -> list[dict[str, Any]]:
        """Gradescope's row for a late submission (none when on time): shown at once when
        results show after the due date (a late submission comes after it), else as the
        course's policy says."""
        from medialit.grade.textsafe import markdown_text

        said = self.sentence(points)
        if not said:
            return []
        shown = "visible" if visibility == "after_due_date" else visibility
        return [
            {
                "name": f"{exercise.title}: late submission",
                "number": f"{exercise.id}.late",
                "output": markdown_text(said),
                "visibility": shown,
            }
        ]


def assess(
    policy: LatePolicy,
    set_id: str,
    student: str,
    submitted: datetime | None,
    *,
    due: datetime | None = None,
    last_chance: datetime | None = None,
    note: str = "",
) -> Lateness:
    """Apply the rule to one submission. ``due`` (the student's own due date, as Gradescope
    records it) replaces the policy's date and extensions; ``last_chance`` (Gradescope's late
    due date) is a cutoff too.

    >>> rule = parse_policy({"due": {"s": "2026-03-12T18:00Z"}, "grace": "15 minutes",
    ...     "penalty": {"percent": 10, "every": "day", "max_percent": 30}, "cutoff": "7 days",
    ...     "extensions": {"ada": "2 days"}}, "late.yaml")
    >>> at = lambda text: parse_time(text, "t", "UTC")
    >>> [assess(rule, "s", "bo", at(t)).status for t in ("2026-03-12 17:00",
    ...     "2026-03-12 18:10", "2026-03-13 21:00", "2026-03-20 18:01")]
    ['on time', 'grace', 'late', 'past cutoff']
    >>> assess(rule, "s", "bo", at("2026-03-13 21:00")).penalty_percent
    20.0
    >>> assess(rule, "s", "bo", at("2026-03-17 18:00")).penalty_percent  # capped
    30.0
    >>> assess(rule, "s", "ada", at("2026-03-13 21:00")).status  # two days' extension
    'on time'
    """
    if due is None:
        due = policy.due.get(set_id)
        if due is not None:
            own = policy.extensions.get(student, {})
            extension = own.get(set_id, own.get("*"))
            if isinstance(extension, datetime):
                due = extension
            elif extension is not None:
                due = due + extension
    if due is None:
        return Lateness("no due date", submitted, None, note=note)
    if submitted is None:
        return Lateness("no time", None, due, note=note)
    kept = dict(grace=policy.grace, cutoff=policy.cutoff, note=note)
    late_by = submitted - due
    cutoffs = [due + policy.cutoff] if policy.cutoff is not None else []
    cutoffs += [last_chance] if last_chance is not None else []
    passed = [moment for moment in cutoffs if submitted > moment]
    if passed:  # the cutoff it passed, as a time after the due date (Gradescope's may be earlier)
        kept["cutoff"] = min(passed) - due
        return Lateness("past cutoff", submitted, due, 100.0, **kept)
    if late_by <= timedelta(0):
        return Lateness("on time", submitted, due, **kept)
    if late_by <= policy.grace:
        return Lateness("grace", submitted, due, **kept)
    periods = math.ceil(late_by.total_seconds() / UNITS[policy.every])
    percent = min(policy.max_percent, policy.percent * periods)
    return Lateness("late", submitted, due, percent, **kept)


def load_late(folder: Path) -> LatePolicy | None:
    """The late policy `medialit assign` wrote into a grader or autograder folder, or None."""
    import json

    path = Path(folder) / LATE_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LatePolicyError(
            f"{path}: cannot be read ({exc}); run `medialit assign` again"
        ) from None
    return parse_policy(data, str(path))
