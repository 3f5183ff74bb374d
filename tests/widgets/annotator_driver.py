"""Drive the annotator (frontend/annotator.js) in a real browser: by mouse, by keyboard, timed.

Shared by the book-page test and the live JupyterLab / Notebook 7 tests, so every front end is
driven the same way. ``scope`` is a Playwright Page or Frame; ``root`` a CSS selector that holds
one annotator.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass
class Timing:
    mouse: float
    keyboard: float


def words(scope, root: str, paragraph_id: str):
    return scope.locator(f"{root} .mla-w[data-pid='{paragraph_id}']")


def drag(page, scope, root: str, paragraph_id: str, first: int, last: int) -> str:
    """A real mouse drag from inside word ``first`` to inside word ``last`` (not their edges);
    returns the words' text as the paragraph has them."""
    ws = words(scope, root, paragraph_id)
    a = ws.nth(first)
    b = ws.nth(last)
    a.evaluate("w => w.scrollIntoView({block: 'center'})")
    box_a, box_b = a.bounding_box(), b.bounding_box()
    page.mouse.move(box_a["x"] + box_a["width"] * 0.4, box_a["y"] + box_a["height"] / 2)
    page.mouse.down()
    page.mouse.move(box_b["x"] + box_b["width"] * 0.6, box_b["y"] + box_b["height"] / 2, steps=6)
    page.mouse.up()
    return " ".join(ws.nth(i).inner_text() for i in range(first, last + 1))


def choose_labels(scope, root: str, layer: str, labels: dict[str, str]) -> None:
    scope.locator(f"{root} .mla-row select").last.select_option(layer)
    for dimension, label in labels.items():
        scope.locator(f"{root} select[data-dim='{dimension}']").select_option(label)


def count(scope, root: str) -> int:
    return scope.locator(f"{root} .mla-item").count()


def wait_count(scope, root: str, n: int) -> None:
    scope.locator(f"{root} .mla-item").nth(n - 1).wait_for()


def five_by_mouse(page, scope, root: str, paragraph_ids: list[str]) -> tuple[float, list[str]]:
    """Five annotations by mouse drag + label pickers + Add button; (seconds, texts)."""
    texts = []
    before = count(scope, root)
    started = time.monotonic()
    for n, paragraph_id in enumerate(paragraph_ids[:5], start=1):
        texts.append(drag(page, scope, root, paragraph_id, 1, 3))
        chosen = scope.locator(f"{root} .mla-chosen-text")
        chosen.filter(has_text=f"“{texts[-1]}”").wait_for()
        choose_labels(
            scope, root, "sourcing", {"source_types": "official", "quote_kinds": "direct"}
        )
        scope.locator(f"{root} .mla-add").click()
        wait_count(scope, root, before + n)
    return time.monotonic() - started, texts


def five_by_keyboard(page, scope, root: str) -> float:
    """Five annotations with the keyboard only, from the focused first word: ArrowDown to the
    next paragraph, Shift+ArrowRight twice, Enter (labels as chosen before)."""
    before = count(scope, root)
    started = time.monotonic()
    for n in range(1, 6):
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Shift+ArrowRight")
        page.keyboard.press("Shift+ArrowRight")
        page.keyboard.press("Enter")
        wait_count(scope, root, before + n)
    return time.monotonic() - started
