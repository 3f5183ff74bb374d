"""The articles the course ships. Tests about them name them, through the `shipped` fixture
(tests/conftest.py) or in a doctest's example (the root conftest.py); tests about behaviour take
whatever corpus is there."""

SHIPPED_ARTICLES = (
    "putin-changed-stance",
    "russia-china-resist",
    "united-states-rebalance",
    "biden-putin-meeting",
    "moscows-coercive-diplomacy",
)
