"""What a redis-py client sends while a block runs."""

import contextlib


@contextlib.contextmanager
def commands_sent(client):
    """The commands `client` sends meanwhile, each as its arguments (name first; one per round trip)."""
    sent = []
    original = client.execute_command
    client.execute_command = lambda *args, **kwargs: sent.append(args) or original(*args, **kwargs)
    try:
        yield sent
    finally:
        del client.execute_command
