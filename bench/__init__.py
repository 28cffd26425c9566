"""Benchmarks (see bench/run.py)."""
