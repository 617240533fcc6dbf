"""Benchmarks of issue #6: each area module exposes `operations(ctx)`; `run.py` times them."""
