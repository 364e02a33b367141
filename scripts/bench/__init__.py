"""The benchmark's parts; `scripts/benchmark.py` runs them (see its docstring)."""
