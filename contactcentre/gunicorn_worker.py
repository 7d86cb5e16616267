"""gunicorn's threaded worker, made to leave a connection it cannot serve now to a worker that can.

gunicorn's workers share one listening socket, and a gthread worker accepts whenever that socket is
readable, however busy its threads are. When many consoles connect at once one worker can take
most of them (14 of 16 was seen, bench/README.md) and serve them on one core, its GIL, while the
other workers idle: those agents wait several times as long as the rest. This worker stops listening
while it has as many connections in hand (accepted and not yet idle in keep-alive) as threads, so
the next connection goes to a worker with a free thread; idle keep-alive connections do not count.
When every worker is that busy, a connection would wait until one of them happens to have a quiet
moment (over a second was seen): a worker listens again after PATIENCE, takes at most one, and stops.

It steers with gthread's own bookkeeping (nr_conns, _keep, poller, _lock), as gunicorn 22-23 keep it
(pyproject.toml pins that range); tests/integration/test_gunicorn_worker.py runs it in a real gunicorn.

    gunicorn contactcentre.wsgi:application -k contactcentre.gunicorn_worker.BalancedThreadWorker --threads 2
"""

import selectors
import time

from gunicorn.workers.gthread import ThreadWorker

PATIENCE = 0.02  # seconds a busy worker leaves new connections to the others


class BalancedThreadWorker(ThreadWorker):
    def init_process(self):
        self._paused: dict = {}  # listening socket -> its accept callback, while not listening
        self._paused_at = 0.0
        super().init_process()

    def accept(self, server, listener):
        super().accept(server, listener)
        self._steer()

    def on_client_socket_readable(self, conn, client):
        super().on_client_socket_readable(conn, client)
        self._steer()

    def finish_request(self, fs):
        super().finish_request(fs)
        self._steer()

    def _steer(self) -> None:
        """Listen while a thread is free; stop while every thread has a connection in hand, at most
        PATIENCE at a time."""
        with self._lock:
            if not self.alive:  # shutting down: the listening sockets are being closed
                return
            full = self.nr_conns - len(self._keep) >= self.cfg.threads
            if full and not self._paused:
                for sock in self.sockets:
                    self._paused[sock] = self.poller.unregister(sock).data
                self._paused_at = time.monotonic()
            elif self._paused and (not full or time.monotonic() - self._paused_at > PATIENCE):
                for sock, accept in self._paused.items():
                    self.poller.register(sock, selectors.EVENT_READ, accept)
                self._paused.clear()
