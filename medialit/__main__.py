"""Run the command-line interface: ``python -m medialit ...``."""

from medialit.cli import main

raise SystemExit(main())
