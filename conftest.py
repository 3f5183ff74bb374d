"""Root pytest configuration: modules with import side effects are not collected for doctests;
a doctest that names a shipped article this corpus no longer has is skipped, naming it."""

import pytest
from _pytest.doctest import DoctestItem

collect_ignore = ["medialit/__main__.py", "_build", ".venv"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    """The `shipped` fixture's rule for doctests: the docstrings' examples read the shipped
    articles; where an instructor removed one, its examples are skipped with its name (the
    checks on every remaining article still run)."""
    if not isinstance(item, DoctestItem) or item.dtest is None:
        return
    from tests.shipped import SHIPPED_ARTICLES

    text = "".join(example.source + example.want for example in item.dtest.examples)
    named = [article_id for article_id in SHIPPED_ARTICLES if article_id in text]
    if not named:
        return
    from medialit.corpus import default

    missing = [article_id for article_id in named if article_id not in default().ids()]
    if missing:
        pytest.skip(f"an example about the shipped article(s) {', '.join(missing)}, removed")
