"""``python -m serpin_pull``: the same as ``serpin-pull``."""

from serpin_pull.cli import main

main()
