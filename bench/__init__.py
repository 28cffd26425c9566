"""Benchmarks of planner against the targets of issue 14 (see bench/README.md)."""
