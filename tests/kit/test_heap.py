"""``settle_heap``: what startup loaded leaves the collector's sight, once per process."""

import subprocess
import sys

CHECK = """
import gc
from service.kit.heap import YOUNG_THRESHOLD, settle_heap
import service.main  # what the application loads for life
before = gc.get_threshold()
assert gc.get_freeze_count() == 0
settle_heap()
frozen = gc.get_freeze_count()
assert frozen > 100_000, frozen
assert gc.get_threshold() == (YOUNG_THRESHOLD, *before[1:]), gc.get_threshold()
garbage = [[] for _ in range(1000)]
settle_heap()  # again: nothing more is frozen
assert gc.get_freeze_count() == frozen
print("ok")
"""


def test_settle_heap_freezes_what_startup_loaded_once() -> None:
    # A fresh interpreter: freezing this one would keep the test run's objects for life.
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
