"""The garbage collector tuned for a long-lived process that works in bulk.

Python's collector walks every tracked object of the oldest generation on each full
collection, and a loaded service keeps hundreds of thousands of them for life (modules,
models, validators, mappers), so a bulk import or rescan spends time in collections that
find nothing to free among them. Moving what startup loaded out of the collector's sight
(``gc.freeze``) and collecting the young generation less often leaves the collections
only the objects of the work in hand.
"""

import gc

YOUNG_THRESHOLD = 10_000
"""Allocations between young collections (CPython's default is 700): a bulk job allocates
millions of objects that live only until their batch is written."""

_settled = False


def settle_heap() -> None:
    """Call once the process has loaded what it keeps for life (later calls do nothing)."""
    global _settled
    if _settled:
        return
    _settled = True
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
