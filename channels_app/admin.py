"""The doors' admin pages, each door's in its own package."""

from channels_app.counter import admin as counter_admin  # noqa: F401  (registers the counter's pages)
