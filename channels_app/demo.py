"""Demo data of the doors, each door's from its own package."""

from channels_app.counter import demo as counter_demo


def seed() -> list[str]:
    return counter_demo.seed()
