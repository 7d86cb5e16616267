"""gunicorn's threaded worker, made to leave a connection to the worker that holds the fewest.

gunicorn's workers share one listening socket, and a gthread worker accepts whenever that socket is
readable, however many connections it already holds. A keep-alive connection then stays with that
worker for life: when many consoles connect at once one worker can take most of them (14 of 16 was
seen, bench/README.md) and serve them with its two threads and one GIL while other workers idle, and
those agents wait several times as long as the rest. So the workers keep a shared board of how many
connections each holds, and a worker stops listening while another live worker holds fewer than it
does, or while every one of its threads has a connection in hand (accepted and not idle in
keep-alive): the next connection goes to the least loaded worker, as soon as it can serve it. Were
that worker to stay busy a connection would wait until it has a quiet moment (over a second was
seen), so a busy worker listens again after PATIENCE, takes one, and stops again; it then holds one
more, and the next connection is for another worker.

The board (`Board`) is a shared mapping made when the master imports this module to load the worker
class, before it forks the workers. The worker steers with gthread's own bookkeeping (nr_conns,
_keep, poller, _lock), as gunicorn 22-23 keep it (pyproject.toml pins that range);
tests/integration/test_gunicorn_worker.py runs it in a real gunicorn.

    gunicorn contactcentre.wsgi:application -k contactcentre.gunicorn_worker.BalancedThreadWorker --threads 2
"""

import mmap
import os
import selectors
import struct
import time

from gunicorn.workers.gthread import ThreadWorker

PATIENCE = 0.02  # seconds a worker with every thread busy leaves new connections to the others
RESCAN = 0.005  # seconds a look at the board holds while this worker's own count stays the same


class Board:
    """How many connections each live worker holds, in a mapping shared by the processes forked after
    it was made. A worker writes its slot (pid, connections, time) as things change and at least once
    a second; a slot not written for STALE seconds, or whose process is gone (killed), is ignored.
    Writes are not atomic across processes: a torn read costs one decision a little balance, no more."""

    SLOTS = 64  # workers of one master at a time; two whose ages differ by SLOTS share a slot (balance only)
    STALE = 3.0
    _slot = struct.Struct("qqd")  # pid, connections held, time.monotonic() of the writing

    def __init__(self):
        self._map = mmap.mmap(-1, self.SLOTS * self._slot.size)  # anonymous: MAP_SHARED

    def slot_of(self, age: int) -> int:
        return age % self.SLOTS * self._slot.size

    def post(self, slot: int, held: int, now: float) -> None:
        self._slot.pack_into(self._map, slot, os.getpid(), held, now)

    def clear(self, slot: int) -> None:
        self._slot.pack_into(self._map, slot, 0, 0, 0.0)

    def fewer_elsewhere(self, slot: int, held: int, now: float) -> bool:
        """Whether a live worker other than the one in `slot` holds fewer than `held` connections."""
        offset, size = 0, self._slot.size
        for pid, others_held, written in self._slot.iter_unpack(self._map):
            if others_held < held and offset != slot and now - written < self.STALE:
                try:
                    os.kill(pid, 0)  # only for a slot that would make this worker wait
                except ProcessLookupError:
                    self.clear(offset)
                else:
                    return True
            offset += size
        return False


# Made when the master imports this module to load the worker class, before it forks the workers.
BOARD = Board()


class BalancedThreadWorker(ThreadWorker):
    def init_process(self):
        self._paused: dict = {}  # listening socket -> its accept callback, while not listening
        self._paused_at = 0.0
        self._taking_one = False  # listening again after PATIENCE: until a connection is taken
        self._fewer_elsewhere = False  # the last look at the board, for _held connections at _looked_at
        self._held, self._looked_at = -1, 0.0
        self._slot = BOARD.slot_of(self.age)
        super().init_process()

    def run(self):
        try:
            super().run()
        finally:
            BOARD.clear(self._slot)

    def notify(self):  # once per turn of gthread's loop, at least once a second
        super().notify()
        self._steer()

    def accept(self, server, listener):
        super().accept(server, listener)
        self._taking_one = False
        self._steer()

    def on_client_socket_readable(self, conn, client):
        super().on_client_socket_readable(conn, client)
        self._steer()

    def finish_request(self, fs):
        super().finish_request(fs)
        self._steer()

    def _steer(self) -> None:
        """Listen while no other worker holds fewer connections and a thread is free; with every
        thread busy, listen again after PATIENCE until one connection is taken."""
        with self._lock:
            if not self.alive:  # shutting down: the listening sockets are being closed
                return
            now = time.monotonic()
            held = self.nr_conns
            BOARD.post(self._slot, held, now)
            full = held - len(self._keep) >= self.cfg.threads
            if held != self._held or now - self._looked_at > RESCAN:  # a look costs ~7 us: not per event
                self._fewer_elsewhere = BOARD.fewer_elsewhere(self._slot, held, now)
                self._held, self._looked_at = held, now
            if self._fewer_elsewhere:
                listen = False  # the connection is for a worker that holds fewer
            elif full:
                listen = self._taking_one or (bool(self._paused) and now - self._paused_at > PATIENCE)
            else:
                listen = True
            self._taking_one = listen and full
            if listen and self._paused:
                for sock, accept in self._paused.items():
                    self.poller.register(sock, selectors.EVENT_READ, accept)
                self._paused.clear()
            elif not listen and not self._paused:
                for sock in self.sockets:
                    self._paused[sock] = self.poller.unregister(sock).data
                self._paused_at = now
