"""The doors' admin pages, each door's in its own package."""

from channels_app.counter import admin as counter_admin  # noqa: F401  (registers the counter's pages)
from channels_app.email import admin as email_admin  # noqa: F401  (registers the e-mail quarantine's page)
from channels_app.scan import admin as scan_admin  # noqa: F401  (registers the scanned letters' page)
