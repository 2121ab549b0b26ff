"""Benchmarks (speed, memory, scale) that write their results to docs/BENCHMARKS.md."""
