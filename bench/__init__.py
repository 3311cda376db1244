"""Benchmarks: `python -m bench` runs the page scale test (see docs/PERFORMANCE.md)."""
