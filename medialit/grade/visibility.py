"""When each item's results show and how much feedback a student reads (set in the source).

An item's ``visibility`` is one of Gradescope's test visibilities (``visible``: at once;
``after_due_date``; ``after_published``: when grades are published; ``hidden``: never to the
student); empty means the course policy's (``exercises/gradescope.json``). Its
``feedback_level`` is ``full`` (the grader's whole message and the hint), ``message`` (the
message's first sentence and the hint) or ``hint`` (a verdict and the hint only). The gradebook
always keeps the full feedback: the level is what students read, in feedback files and on
Gradescope alike.
"""

from __future__ import annotations

import re
from typing import Any

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
LEVELS = ("hint", "message", "full")
RELEASE_FIELDS = {"visibility": VISIBILITIES, "feedback_level": LEVELS}
# Rows that say why nothing could be graded, or that a person grades or graded (their
# comment): shown whole at any level.
ALWAYS_WHOLE = ("correct", "missing", "ungradable", "pending", "manual")
WHEN = {
    "after_due_date": "after the due date",
    "after_published": "when grades are published",
    "hidden": "from your instructor",
}


def release_problem(fields: dict[str, Any]) -> str | None:
    """What is wrong with the release fields of an item or a set's front matter, and the fix.

    >>> release_problem({"feedback_level": "terse"})
    "feedback_level 'terse' is not one of hint, message, full; choose one (full: ...)"
    >>> release_problem({"visibility": "after_due_date", "feedback_level": "hint"}) is None
    True
    """
    for name, allowed in RELEASE_FIELDS.items():
        value = fields.get(name)
        if value in (None, "") and name == "visibility":
            continue
        if value is None:
            continue
        if value not in allowed:
            what = (
                "full: the grader's whole message"
                if name == "feedback_level"
                else "visible: at once; after_due_date: Gradescope's due date"
            )
            return f"{name} {value!r} is not one of {', '.join(allowed)}; choose one ({what})"
    return None


def student_feedback(item: Any, row: Any) -> str:
    """The feedback a student reads for ``row`` at the item's feedback level.

    >>> from types import SimpleNamespace as S
    >>> item = S(feedback_level="message", hint="Look at who speaks.")
    >>> said = "2 of 5 checks passed. Not yet right: a; b. Look at who speaks."
    >>> row = S(status="partial", feedback=said)
    >>> student_feedback(item, row)
    '2 of 5 checks passed. Look at who speaks.'
    >>> student_feedback(S(feedback_level="hint", hint="Look at who speaks."), row)
    'Partly right. Look at who speaks.'
    """
    level = getattr(item, "feedback_level", "full") or "full"
    if level == "full" or row.status in ALWAYS_WHOLE:
        return row.feedback
    hint = (item.hint or "").strip()
    body = row.feedback
    if hint and body.endswith(hint):
        body = body[: -len(hint)].rstrip()
    if level == "message":
        said = re.split(r"(?<=[.!?])\s+", body, maxsplit=1)[0] if body else ""
    else:
        said = "Partly right." if row.status == "partial" else "Not right yet."
    return f"{said} {hint}".strip()


def item_visibility(item: Any, default: str = "visible") -> str:
    """The item's own visibility, or the course default."""
    return getattr(item, "visibility", "") or default


def release_sentence(groups: dict[str, list[str]], due: str) -> str:
    """What the results page says about items whose results show later.

    >>> release_sentence({"after_due_date": ["q1", "q2"]}, " (8 December 2026 23:59 UTC)")
    'Scores, feedback and rubrics show after the due date (8 December 2026 23:59 UTC). '
    >>> release_sentence({"after_due_date": ["q2"], "hidden": ["q5"], "visible": ["q1"]}, "")
    'Scores and feedback of q2 show after the due date; of q5 from your instructor. '
    """
    later = {when: ids for when, ids in groups.items() if when != "visible" and ids}
    if not later:
        return ""
    if len(later) == 1 and "visible" not in groups:
        (when,) = later
        return f"Scores, feedback and rubrics show {WHEN[when]}{due if 'due' in when else ''}. "
    parts = [
        f"of {', '.join(ids)}{' show' if not number else ''} {WHEN[when]}"
        + (due if "due" in when else "")
        for number, (when, ids) in enumerate(later.items())
    ]
    return "Scores and feedback " + "; ".join(parts) + ". "
