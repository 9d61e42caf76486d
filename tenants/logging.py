"""Structured logs: one JSON object per line, each naming the town it concerns."""

import json
import logging
from contextvars import ContextVar

current_town = ContextVar("current_town", default="-")


class TerritoryFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "town"):
            record.town = current_town.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "town": getattr(record, "town", current_town.get()),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def bind_town(schema_name):
    """Name the town in the logs and Sentry events of the current request or job."""
    import sentry_sdk

    current_town.set(schema_name)
    sentry_sdk.set_tag("town", schema_name)
