"""The bot polls registered feeds on a repeating job, at the interval the settings give."""

from __future__ import annotations

from bot.app import build_application
from bot.feeds_job import FEEDS_JOB
from briefings.core import Core


def test_feeds_job_is_installed_with_the_planner(core: Core) -> None:
    app = build_application(core.settings, core)
    assert app.job_queue is not None
    [job] = app.job_queue.get_jobs_by_name(FEEDS_JOB)
    assert job.job.trigger.interval.total_seconds() == core.settings.feeds_poll_minutes * 60


def test_feeds_job_off_without_the_planner(core: Core) -> None:
    app = build_application(core.settings, core, planner=False)
    assert app.job_queue is not None
    assert app.job_queue.get_jobs_by_name(FEEDS_JOB) == ()
