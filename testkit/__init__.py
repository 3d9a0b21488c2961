"""Helpers for the tests and the benchmarks, outside the product.

Not packaged (``pyproject.toml`` installs only ``core``, ``matching``, ``interview`` and ``web``);
pytest's ``pythonpath = ["."]`` and the benchmarks' ``sys.path`` line make it importable.
"""
