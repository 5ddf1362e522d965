"""Running a job again and again at a fixed interval, for a process that schedules itself
(``python -m service rescan --every 24h``) where no systemd timer or cron is at hand."""

import logging
import re
import time
from collections.abc import Callable
from datetime import timedelta

from service.kit.log import where_raised

logger = logging.getLogger(__name__)

_INTERVAL = re.compile(r"^([1-9][0-9]{0,5})([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
MIN_INTERVAL = timedelta(minutes=1)


def parse_interval(text: str) -> timedelta:
    """``90s``, ``30m``, ``24h``, ``1d``: at least a minute."""
    match = _INTERVAL.match(text.strip())
    if match is None:
        raise ValueError(f"not an interval: {text!r} (e.g. 24h, 30m, 1d)")
    interval = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    if interval < MIN_INTERVAL:
        raise ValueError(f"an interval of at least {MIN_INTERVAL.seconds} seconds, not {text!r}")
    return interval


def repeat(
    job: Callable[[], object],
    every: timedelta,
    *,
    runs: int | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run ``job`` now and then every ``every`` (``runs`` times, or until interrupted), on a
    fixed beat: a run that overruns its slot starts the next at once, and the slots it
    overran are skipped rather than run back to back. A run that fails is logged and the
    beat goes on (a database away for a night must not end the schedule). Returns how many
    runs failed."""
    period = every.total_seconds()
    start = clock()
    failed = done = 0
    while runs is None or done < runs:
        try:
            job()
        except Exception as exc:
            failed += 1
            logger.error("scheduled run failed: %s", where_raised(exc))
        done += 1
        if runs is not None and done >= runs:
            break
        elapsed = clock() - start
        slots = int(elapsed // period) + 1
        sleep(max(0.0, slots * period - elapsed))
    return failed
