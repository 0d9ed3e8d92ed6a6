"""The cases demo: the Donghai dispatch catalog, its time limits and responsibility rules, and
a year of generated cases (see docs/demo.md)."""

from zhili.cases.demo.loader import load

__all__ = ["load"]
