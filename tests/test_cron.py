"""The scheduler's table: every periodic job names a function that exists."""

from django.utils.module_loading import import_string
from rq import cron

from boursoloco.cron import EACH_TOWN  # importing it registers the jobs


def test_every_scheduled_path_can_be_imported_and_runs_in_each_town_or_nationally():
    jobs = [entry["args"] for entry in cron._job_data_registry]
    assert len(jobs) >= 8
    for path, _period, *args in jobs:
        import_string(path)
        for town_path in args:
            import_string(town_path)
    towns = {town_path for path, _, *args in jobs if path == EACH_TOWN for town_path in args}
    assert "tenant_apps.network.services.broadcast_pending" in towns
    assert "tenant_apps.mailing.services.deliver_pending" in towns
    assert "tenant_apps.demands.services.announce_pending" in towns
    assert "tenant_apps.premises.matching.recompute_all" in towns
