"""Benchmarks: ``make bench`` (``python -m bench``) prints one table, each figure with its target.

Each module has ``run() -> list[dict]`` returning rows ``{"name", "value", "unit", "target",
"ok"}``; :mod:`bench.__main__` runs them all in one process and prints the table.
"""
