"""A person's open tasks as an iCalendar feed (RFC 5545) that Outlook, Thunderbird and
Google Calendar subscribe to. Each task is an all-day VEVENT on its due date: Google
Calendar ignores VTODO, and Outlook shows subscribed VTODOs nowhere useful. UIDs are
stable (the task and the town), so a changed due date moves the event instead of
copying it. Nothing about the porteur is written: feeds end up on outside servers."""

from datetime import timedelta

from django.conf import settings
from icalendar import Calendar, Event

REFRESH = timedelta(hours=1)


def task_uid(territory, task):
    return f"tache-{task.pk}@{territory.schema_name}.{settings.BASE_DOMAIN}"


def task_event(territory, task):
    event = Event()
    event.add("uid", task_uid(territory, task))
    event.add("dtstamp", task.updated_at)
    event.add("created", task.created_at)
    event.add("last-modified", task.updated_at)
    event.add("dtstart", task.due_on)  # a date: an all-day event (VALUE=DATE)
    event.add("dtend", task.due_on + timedelta(days=1))
    event.add("summary", task.title)
    url = territory.url(task.path())
    about = f"Demande {task.subject}" if task.demand_id else f"Local {task.subject}"
    event.add("description", f"{about}\n{url}")
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a to-do, not a meeting: the day stays free
    event.add("categories", ["BoursOloco"])
    return event


def tasks_calendar(territory, tasks):
    """The feed's bytes: one all-day event per task."""
    calendar = Calendar()
    calendar.add("prodid", "-//BoursOloco//Taches//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Tâches — {territory.name}")
    # How often clients should fetch it again (RFC 7986, and the older Microsoft name).
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for task in tasks:
        calendar.add_component(task_event(territory, task))
    return calendar.to_ical()
