"""Widgets for the notebooks: compare passages, annotate them, check an answer's form.

Each builder returns a widget (it does not display it); the work is done by plain functions in
the same modules, tested under pytest through ``.value`` and ``.click()``.
"""

from medialit.widgets.annotate import annotate
from medialit.widgets.compare import compare
from medialit.widgets.self_check import self_check

__all__ = ["annotate", "compare", "self_check"]
