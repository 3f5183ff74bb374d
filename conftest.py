"""Root pytest configuration: modules with import side effects are not collected for doctests."""

collect_ignore = ["medialit/__main__.py", "_build", ".venv"]
