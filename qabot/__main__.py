"""Lets `python -m qabot` work like the `qabot` console script."""

from qabot.cli import main

raise SystemExit(main())
