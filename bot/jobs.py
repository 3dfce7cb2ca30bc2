"""One repeating job per name on PTB's JobQueue: the planner, the alert scan and the feed poller."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import Application, ContextTypes, Job

JobCallback = Callable[[ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def install_repeating(application: Application, callback: JobCallback, *,  # type: ignore[type-arg]
                      name: str, interval: float, first: float, keep_misfires: bool = True) -> Job:  # type: ignore[type-arg]
    """Replace the job called `name`; one run at a time, piled-up runs coalesced into one.

    `keep_misfires`: a run that fell due while the process was busy still happens (no grace limit).
    """
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot was installed without its job-queue extra")
    for old in queue.get_jobs_by_name(name):
        old.schedule_removal()
    job_kwargs: dict[str, object] = {"coalesce": True, "max_instances": 1}
    if keep_misfires:
        job_kwargs["misfire_grace_time"] = None
    return queue.run_repeating(callback, interval=interval, first=first, name=name, job_kwargs=job_kwargs)
