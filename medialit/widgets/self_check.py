"""self_check(): immediate feedback on an answer, with the grader's own matchers and reader.

Two kinds of check. A walk-through's practice question (listed in notebooks/self_checks.yaml,
never graded) says whether the answer is right when the file records the answer, and why (its
explanation). A graded exercise's form check (a question the file does not list) looks only at
what is public: that a paragraph id exists, that a quote is in the article word for word, that a
label is one the question allows, that saved annotations fit the codebook, and that the answer
is written as a plain value the grader can read (the grader's own literal reader). It never
says that a graded answer is right: it never loads an answer key.
"""

from __future__ import annotations

import difflib
import html
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from medialit import match
from medialit.annotations import labels
from medialit.corpus import Corpus, QuoteNotFound, default, default_sources
from medialit.corpus.locate import locate
from medialit.widgets.annotate import check_saved
from medialit.widgets.session import answers_file
from medialit.widgets.store import AnswersFile

KINDS = ("paragraph_id", "quote", "label", "set", "number", "choice", "annotation", "reflection")
FORMS_ENV = "MEDIALIT_SELF_CHECKS"
FORMS_FILE = Path("notebooks") / "self_checks.yaml"
# The fields of a question in the forms file; ``check`` is the kind of check.
FILE_FIELDS = {
    "notebook",
    "prompt",
    "check",
    "article_id",
    "label_set",
    "choices",
    "answer",
    "explanation",
    "hint",
    "layer",
    "min_words",
}
# The fields a notebook cell may also pass to self_check (they must agree with the file).
INLINE_FIELDS = {"kind", "article_id", "label_set", "layer", "min_words", "choices"}
# Practice questions whose file entry may record the right answer (they are never graded).
ANSWER_KINDS = ("number", "choice", "label", "paragraph_id", "quote")
QUOTE_MARKS = "\"“”‘’' "
FOOTER = "A practice question: it is not graded."
GRADED_FOOTER = (
    "This check looks at the form of your answer only, as the grader will read it; it does not "
    "say whether the answer is right: graded answers are marked later."
)
NOT_PLAIN = (
    "{name} is computed, not written as a plain value: the grader reads the value typed in the "
    "cell without running it, and will refuse this one. Run the computation in a work cell, "
    "then type its result here (text in quotes, a number, or a list in square brackets)."
)


@dataclass(frozen=True)
class CheckForm:
    """What a question's answer must look like (public: no key, no hidden checks).

    ``answer`` is only ever a public fact (a count or a date the student can look up), for
    "number" and "choice" questions; ``hint`` is shown when the form is not right yet.
    """

    question_id: str
    kind: str
    article_id: str | None = None
    label_set: str | None = None  # for "label": a codebook label-set id, e.g. "techniques"
    layer: str | None = None  # for "annotation": the layer the annotations belong to
    min_words: int = 0  # for "reflection"
    choices: tuple[str, ...] = ()  # for "choice"
    answer: Any = None  # practice questions only: the right answer (a value or a list of them)
    hint: str = ""
    explanation: str = ""
    graded: bool = False  # a graded item's form check: never says right, passed or correct

    def __post_init__(self) -> None:
        where = f"question {self.question_id!r}"
        if self.kind not in KINDS:
            raise ValueError(f"{where}: kind {self.kind!r} is not one of {', '.join(KINDS)}.")
        if self.kind == "label" and self.label_set is None:
            raise ValueError(
                f"{where}: a label question needs label_set (one of "
                f"{', '.join(labels.LABEL_SETS)})."
            )
        if self.label_set is not None:
            labels.label_set(self.label_set)
        if self.kind == "annotation" and (self.layer is None or self.article_id is None):
            raise ValueError(f"{where}: an annotation question needs article_id and layer.")
        if self.kind == "choice" and len(self.choices) < 2:
            raise ValueError(f"{where}: a choice question needs at least two choices.")
        if self.answer is not None and (self.graded or self.kind not in ANSWER_KINDS):
            raise ValueError(
                f"{where}: only a practice question of kind {', '.join(ANSWER_KINDS)} may carry "
                "an answer; a self-check never holds a graded answer."
            )


@dataclass
class CheckResult:
    """The outcome of a self-check: ``ok`` when the form is right, and what to look at."""

    question_id: str
    ok: bool
    messages: list[str] = field(default_factory=list)
    graded: bool = False
    right: bool | None = None  # practice questions with a recorded answer: right or not

    @property
    def head(self) -> str:
        """The first line: what the check found, in words (never colour alone)."""
        if self.graded:
            return "✔ The grader can read this answer" if self.ok else "✖ Not yet"
        if self.right is True:
            return "✔ Right"
        if self.right is False:
            return "✖ Not right yet"
        return "✔ Well formed" if self.ok else "✖ Not yet"

    def __str__(self) -> str:
        return "\n".join(
            [
                f"{self.head} ({self.question_id})",
                *(f"- {message}" for message in self.messages),
                GRADED_FOOTER if self.graded else FOOTER,
            ]
        )

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(message)}</li>" for message in self.messages)
        return (
            f'<div class="ml-self-check" role="status"><strong>{self.head}</strong> '
            f"({html.escape(self.question_id)})<ul>{items}</ul>"
            f"<small>{GRADED_FOOTER if self.graded else FOOTER}</small>"
            "</div>"
        )


def forms_path() -> Path:
    """The public self-check questions: ``$MEDIALIT_SELF_CHECKS`` or notebooks/self_checks.yaml."""
    override = os.environ.get(FORMS_ENV)
    return Path(override) if override else default_sources().parent / FORMS_FILE


def load_forms(path: str | os.PathLike[str] | None = None) -> dict[str, CheckForm]:
    """Read the self-check questions (format at the top of notebooks/self_checks.yaml:
    question id -> notebook, prompt, check, article_id, label_set, choices, answer, explanation,
    hint); a bad entry raises ValueError naming the file, the question and the fix."""
    path = Path(path) if path is not None else forms_path()
    if not path.exists():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ValueError(
            f"{path}: is not valid YAML ({error}). Fix the indentation, colons and quotes."
        ) from None
    if not isinstance(raw, dict):
        raise ValueError(
            f"{path}: is not a mapping. Fix: write one 'question-id:' per question "
            "with its fields below it."
        )
    forms = {}
    for question_id, spec in raw.items():
        where = f"{path}: question {question_id!r}"
        if not isinstance(spec, dict) or "check" not in spec:
            raise ValueError(
                f"{where}: give its fields as a mapping, with `check:` (one of {', '.join(KINDS)})."
            )
        unknown = sorted(set(spec) - FILE_FIELDS)
        if unknown:
            raise ValueError(
                f"{where}: unknown field(s) {', '.join(unknown)}. Fix: use only "
                f"{', '.join(sorted(FILE_FIELDS))}."
            )
        fields = {
            name: spec[name]
            for name in (
                "article_id",
                "label_set",
                "layer",
                "min_words",
                "answer",
                "hint",
                "explanation",
            )
            if name in spec
        }
        if "choices" in spec:
            fields["choices"] = tuple(spec["choices"])
        try:
            forms[str(question_id)] = CheckForm(str(question_id), spec["check"], **fields)
        except (TypeError, ValueError, labels.UnknownLabel) as error:
            raise ValueError(f"{where}: {error}") from None
    return forms


# --------------------------------------------------------------------------- the checks


def _type_name(value: Any) -> str:
    return {
        str: "text",
        list: "a list",
        tuple: "a tuple",
        dict: "a dictionary",
        bool: "True/False",
        type(None): "None",
    }.get(type(value), type(value).__name__)


def check_paragraph_id(corpus: Corpus, answer: Any, article_id: str | None) -> tuple[bool, str]:
    """Is ``answer`` the id of a paragraph (of ``article_id`` when given)?"""
    if not isinstance(answer, str):
        return (
            False,
            f"A paragraph id is text like 'russia-china-resist:p07', not {_type_name(answer)}.",
        )
    try:
        paragraph = corpus.paragraph(answer.strip())
    except KeyError as error:
        return False, str(error.args[0])
    if article_id and paragraph.article_id != article_id:
        return False, (
            f"{paragraph.paragraph_id} is in {paragraph.article_id}; this question is "
            f"about {article_id}."
        )
    return True, f"{paragraph.paragraph_id} is a paragraph of {paragraph.article_id}."


def check_quote(corpus: Corpus, quote: Any, article_id: str | None) -> tuple[bool, str]:
    """Is ``quote`` in the article (or the corpus) word for word?"""
    if not isinstance(quote, str) or not quote.strip():
        return False, f"A quote is the words of the article as text, not {_type_name(quote)}."
    articles = [corpus.article(article_id)] if article_id else list(corpus)
    for article in articles:
        found = match.find_quote(quote, article.body)
        if found is not None:
            paragraph = next(p for p in article.paragraphs if p.start <= found[0] <= p.end)
            words = _short(quote.strip(QUOTE_MARKS))
            return True, f"“{words}” is in {paragraph.paragraph_id}, word for word."
    try:
        locate(corpus, quote, article_id)
    except QuoteNotFound as error:
        hint = ""
        if error.nearest:
            hint = f" The closest passage is {error.nearest[0]}: “{_short(error.nearest[1])}”."
        return False, (
            f"“{_short(quote)}” is not in the article word for word.{hint} Copy the "
            "words exactly (curly or straight quotation marks do not matter)."
        )
    return False, f"“{_short(quote)}” is not in the article word for word."


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_label(answer: Any, set_id: str) -> tuple[bool, str]:
    """Is ``answer`` one of the labels of the set (by id or name, folded like the grader)?"""
    label_set = labels.label_set(set_id)
    if not isinstance(answer, str):
        return False, f"A label is text, not {_type_name(answer)}."
    folded = match.normalize_label(answer)
    for label in label_set:
        if folded in (match.normalize_label(label.id), match.normalize_label(label.name)):
            return True, f"“{answer}” is one of the {label_set.name.lower()} ({label.id})."
    names = [label.id for label in label_set] + [label.name for label in label_set]
    close = difflib.get_close_matches(answer, names, n=1, cutoff=0.6)
    hint = f" Did you mean “{close[0]}”?" if close else ""
    return False, (
        f"“{answer}” is not one of the {label_set.name.lower()}.{hint} Allowed: "
        + ", ".join(label.id for label in label_set)
        + "."
    )


def _check_set(answer: Any) -> list[tuple[bool, str]]:
    if not isinstance(answer, list | tuple | set) or not all(isinstance(v, str) for v in answer):
        return [(False, f"The answer should be a list of names (text), not {_type_name(answer)}.")]
    if not answer:
        return [(False, "The list is empty.")]
    folded = [match.normalize_name(value) for value in answer]
    if any(not value for value in folded):
        return [(False, "One of the names is empty.")]
    twice = sorted({v for v in answer if folded.count(match.normalize_name(v)) > 1})
    if twice:
        return [(False, f"These are the same name written twice: {', '.join(twice)}.")]
    return [(True, f"A list of {len(answer)} different name(s).")]


def _check_number(answer: Any, fact: Any = None) -> list[tuple[bool, str]]:
    days = getattr(answer, "days", None)
    if isinstance(days, int) and hasattr(answer, "total_seconds"):
        return [
            (
                False,
                f"{answer} is a length of time (a Timedelta), not a number: the question asks "
                f"for a whole number of days. Add .days to get it: {days}.",
            )
        ]
    if isinstance(answer, bool) or not isinstance(answer, int | float) or not math.isfinite(answer):
        return [
            (False, f"The answer should be a number like 53 or 0.53, not {_type_name(answer)}.")
        ]
    if fact is None:
        return [(True, f"{answer} is a number.")]
    if match.match_number(answer, fact):
        return [(True, f"{answer} is what the sources give.")]
    return [(False, f"{answer} is a number, but not the one the sources give.")]


def _check_choice(
    answer: Any, choices: tuple[str, ...], fact: Any = None
) -> list[tuple[bool, str]]:
    if not isinstance(answer, str):
        return [(False, f"Answer with one of the choices, as text: {', '.join(choices)}.")]
    folded = {match.normalize_label(choice): choice for choice in choices}
    chosen = folded.get(match.normalize_label(answer))
    if chosen is None:
        return [(False, f"“{answer}” is not one of the choices: {', '.join(choices)}.")]
    if fact is None or chosen == fact:
        return [
            (
                True,
                f"“{chosen}” is one of the choices"
                + ("." if fact is None else ", and the right one."),
            )
        ]
    return [(False, f"“{chosen}” is one of the choices, but not the one the sources support.")]


def _check_reflection(answer: Any, min_words: int) -> list[tuple[bool, str]]:
    if not isinstance(answer, str) or not answer.strip():
        return [(False, "Write your answer as text between the quotation marks.")]
    words = len(answer.split())
    if words < min_words:
        return [(False, f"{words} words: the question asks for at least {min_words}.")]
    return [(True, f"{words} words.")]


def _check_annotations(corpus: Corpus, answer: Any, form: CheckForm) -> list[tuple[bool, str]]:
    if isinstance(answer, list):
        records, where = answer, "the list"
    else:
        store = (
            answer
            if isinstance(answer, AnswersFile)
            else answers_file(answers=answer)
            if answer is not None
            else answers_file()
        )
        records, where = store.annotations(), store.path.name
    prefix = f"{form.article_id}:"
    mine = [
        r
        for r in records
        if isinstance(r, Mapping)
        and r.get("layer") == form.layer
        and str(r.get("paragraph_id", "")).startswith(prefix)
    ]
    if not mine:
        return [
            (
                False,
                f"No {form.layer} annotations of {form.article_id} in {where} yet: use "
                "annotate() to add some.",
            )
        ]
    results = []
    for record in mine:
        problem = check_saved(corpus, dict(record))
        if problem:
            results.append((False, f"{record.get('annotation_id', '?')}: {problem}."))
    results.append(
        (True, f"{len(mine)} {form.layer} annotation(s) of {form.article_id} saved in {where}.")
    )
    return results


def _accepted(answer: Any) -> list[Any]:
    return list(answer) if isinstance(answer, list | tuple) else [answer]


def _is_right(corpus: Corpus, form: CheckForm, answer: Any) -> bool:
    """Whether a well-formed answer to a practice question is the recorded one."""
    accepted = _accepted(form.answer)
    if form.kind == "number":
        return any(match.match_number(answer, value) for value in accepted)
    if form.kind in ("label", "choice"):
        folded = match.normalize_label(str(answer))
        names = set()
        for value in accepted:
            names.add(match.normalize_label(str(value)))
            if form.label_set and value in labels.label_set(form.label_set):
                names.add(match.normalize_label(labels.label_set(form.label_set)[value].name))
        return folded in names
    if form.kind == "paragraph_id":
        given = [v.strip() for v in _accepted(answer) if isinstance(v, str)]
        return bool(given) and all(value in accepted for value in given)
    # quote: right when the words lie inside (or overlap) one of the recorded passages
    articles = [corpus.article(form.article_id)] if form.article_id else list(corpus)
    for article in articles:
        found = match.find_quote(str(answer), article.body)
        if found is None:
            continue
        for passage in accepted:
            span = match.find_quote(str(passage), article.body)
            if span is not None and found[0] < span[1] and span[0] < found[1]:
                return True
    return False


def check(form: CheckForm, answer: Any, corpus: Corpus | None = None) -> CheckResult:
    """Check ``answer`` against ``form``: a plain function, used by :func:`self_check`.

    >>> from medialit import corpus
    >>> form = CheckForm("demo", "quote", article_id="russia-china-resist")
    >>> check(form, '"walk and chew gum"').ok
    True
    >>> print(check(CheckForm("demo", "label", label_set="techniques"), "loaded langauge"))
    ✖ Not yet (demo)
    - “loaded langauge” is not one of the persuasion techniques. Did you mean “loaded_language”? ...
    >>> practice = CheckForm("demo", "label", label_set="layers", answer="framing",
    ...                      explanation="A policy frame is a framing label.")
    >>> print(check(practice, "persuasion"))
    ✖ Not right yet (demo)
    - “persuasion” is one of the layers (persuasion).
    - It is not the answer to this question: look again, then read the explanation below.
    A practice question: it is not graded.
    """
    corpus = corpus or default()
    if form.kind == "paragraph_id":
        values = answer if isinstance(answer, list | tuple) else [answer]
        results = [check_paragraph_id(corpus, value, form.article_id) for value in values]
    elif form.kind == "quote":
        values = answer if isinstance(answer, list | tuple) and answer else [answer]
        results = [check_quote(corpus, value, form.article_id) for value in values]
    elif form.kind == "label":
        results = [check_label(answer, form.label_set or "")]
    elif form.kind == "set":
        results = _check_set(answer)
    elif form.kind == "number":
        results = _check_number(answer)
    elif form.kind == "choice":
        results = _check_choice(answer, form.choices)
    elif form.kind == "reflection":
        results = _check_reflection(answer, form.min_words)
    else:
        results = _check_annotations(corpus, answer, form)
    ok = all(passed for passed, _ in results)
    messages = [message for _, message in results]
    right = None
    if ok and form.answer is not None and not form.graded:
        right = _is_right(corpus, form, answer)
        if right:
            messages.append(
                "That is the answer."
                + (f" Why: {' '.join(form.explanation.split())}" if form.explanation else "")
            )
        else:
            ok = False
            messages.append(
                "It is not the answer to this question: look again, then read the explanation "
                "below."
            )
    elif ok and not form.graded and form.explanation:
        messages.append(
            "This question has more than one defensible answer: compare yours with the "
            "explanation below."
        )
    if not ok and form.hint:
        messages.append(f"Hint: {' '.join(form.hint.split())}")
    return CheckResult(form.question_id, ok, messages, graded=form.graded, right=right)


def _history() -> list[str]:
    """The cells this kernel has run, oldest first (IPython's ``In``); [] outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is there wherever a notebook runs
        return []
    shell = get_ipython()
    return list(shell.user_ns.get("In", [])) if shell is not None else []


def _answer_variable(cell: str, question_id: str) -> str | None:
    """The variable a ``self_check(question_id, <name>, ...)`` call in ``cell`` passes."""
    import ast

    try:
        tree = ast.parse(cell)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "self_check"
            and len(node.args) >= 2
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == question_id
            and isinstance(node.args[1], ast.Name)
        ):
            return node.args[1].id
    return None


def written_answer(question_id: str, history: list[str] | None = None) -> tuple[str, Any] | None:
    """How the answer passed to ``self_check(question_id, name)`` is written in the cells the
    kernel ran, read as the grader reads it (medialit.grade.answers): ``(name, Answer)`` for
    the last cell that assigns it, or None when that cannot be told (no IPython history).

    >>> cells = ["q6 = int(len('abc'))", 'self_check("q6", q6, kind="number")']
    >>> name, answer = written_answer("q6", cells)
    >>> name, answer.error is not None
    ('q6', True)
    """
    from medialit.grade.answers import read_submission

    cells = _history() if history is None else history
    if not cells:
        return None
    name = _answer_variable(cells[-1], question_id)
    if name is None:
        return None
    for source in reversed(cells[:-1]):
        notebook = {"nbformat": 4, "cells": [{"cell_type": "code", "source": source}]}
        found = read_submission(notebook, {name}).answers.get(name)
        if found is not None:
            return name, found
    return None


def self_check(
    question_id: str,
    answer: Any = None,
    *,
    forms: Mapping[str, CheckForm] | str | os.PathLike[str] | None = None,
    corpus: Corpus | None = None,
    **form: Any,
) -> CheckResult:
    """Check an answer now: its form, and public facts only. The question comes from the
    public self-check file (notebooks/self_checks.yaml); a notebook cell may repeat its form
    (``kind=``, ``article_id=``, ``label_set=``), which must then agree with the file, or give it
    alone for a question the file does not list. It never says whether a graded answer is right.

    >>> self_check("q00-cite", "russia-china-resist:p05", kind="paragraph_id",
    ...            article_id="russia-china-resist").right
    True
    >>> print(self_check("q00-cite", "russia-china-resist:p07").head)
    ✖ Not right yet
    >>> print(self_check("q3", "russia-china-resist:p07", kind="paragraph_id").head)
    ✔ The grader can read this answer
    """
    known = forms if isinstance(forms, Mapping) else load_forms(forms)
    where = forms if forms is not None and not isinstance(forms, Mapping) else forms_path()
    unknown = sorted(set(form) - INLINE_FIELDS)
    if unknown:
        raise TypeError(
            f"self_check() got unknown argument(s) {', '.join(unknown)}; it takes "
            f"{', '.join(sorted(INLINE_FIELDS))}."
        )
    if "choices" in form:
        form["choices"] = tuple(form["choices"])
    if question_id in known:
        chosen = known[question_id]
        differ = {name: value for name, value in form.items() if getattr(chosen, name) != value}
        if differ:
            said = ", ".join(f"{name}={getattr(chosen, name)!r}" for name in differ)
            raise ValueError(
                f"self_check({question_id!r}) passes {differ}, but {where} says "
                f"{said}. Fix: make the cell agree with the file."
            )
    elif form:
        # Not a practice question of the file: a graded item's form check.
        chosen = CheckForm(question_id, graded=True, **form)
        written = written_answer(question_id) if chosen.kind != "annotation" else None
        if written is not None and written[1].error is not None:
            message = NOT_PLAIN.format(name=written[0])
            return CheckResult(question_id, False, [message], graded=True)
        if written is not None:
            answer = written[1].value  # what the grader will read
    else:
        raise KeyError(
            f"No self-check is defined for {question_id!r} in {where}; give its form "
            "here, e.g. kind='quote', article_id='...'."
        )
    return check(chosen, answer, corpus)
