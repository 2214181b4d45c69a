"""The tests' driver is tools/harness.py, which the benchmarks share: tools/ on the path."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
