"""gunicorn's threaded worker, made to place each new connection on the worker that should hold it.

gunicorn's workers share one listening socket, and a gthread worker accepts whenever that socket is
readable, however many connections it already holds. A keep-alive connection then stays with that
worker for life: when many consoles connect at once one worker can take most of them (14 of 16 was
seen, bench/README.md) and serve them with its two threads and one GIL while other workers idle, and
those agents wait several times as long as the rest. So the workers keep a shared board of how many
connections each holds, and a worker stops listening while the next connection is for another one:
workers fill up to their threads first (four clients on two workers of two threads cost less CPU a
request on two cores than on four workers of one, bench/README.md, sixth session), and once every
worker is full they spread evenly (16 clients on 4 workers: 4 each). A worker also stops while every
one of its threads has a connection in hand (accepted and not idle in keep-alive). Were the worker
a connection is for to stay busy, the connection would wait until it has a quiet moment (over a
second was seen), so a busy worker listens again after PATIENCE, takes one, and stops again.

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

    def defer(self, slot: int, held: int, threads: int, now: float) -> bool:
        """Whether the next connection is for another live worker than the one in `slot`, which holds
        `held`: while it has room for more (fewer than `threads`), a worker that has room too and
        holds more (connections fill workers up to their threads first); once full, a worker that
        holds fewer (then they spread evenly)."""
        offset, size = 0, self._slot.size
        for pid, others_held, written in self._slot.iter_unpack(self._map):
            busier = held < others_held < threads if held < threads else others_held < held
            if busier and offset != slot and now - written < self.STALE:
                try:
                    os.kill(pid, 0)  # only for a slot that would make this worker wait
                except ProcessLookupError:
                    self.clear(offset)
                else:
                    return True
            offset += size
        return False


class _ShortWhilePaused:
    """gthread's selector, waiting at most PATIENCE while its worker is not listening: gthread waits up
    to a second for an event, and a worker that leaves connections to the others may have none of its
    own to wake it when the board changes (an idle worker waiting for a busier one to fill up)."""

    def __init__(self, selector: selectors.BaseSelector, worker: "BalancedThreadWorker"):
        self._selector, self._worker = selector, worker

    def select(self, timeout=None):
        return self._selector.select(min(timeout, PATIENCE) if self._worker._paused and timeout else timeout)

    def __getattr__(self, name):
        return getattr(self._selector, name)


# Made when the master imports this module to load the worker class, before it forks the workers.
BOARD = Board()


class BalancedThreadWorker(ThreadWorker):
    def init_process(self):
        self._paused: dict = {}  # listening socket -> its accept callback, while not listening
        self._paused_at = 0.0
        self._taking_one = False  # listening again after PATIENCE: until a connection is taken
        self._defer = False  # the last look at the board, for _held connections at _looked_at
        self._held, self._looked_at = -1, 0.0
        self._slot = BOARD.slot_of(self.age)
        super().init_process()

    def run(self):
        self.poller = _ShortWhilePaused(self.poller, self)
        try:
            super().run()
        finally:
            BOARD.clear(self._slot)

    def notify(self):  # once per turn of gthread's loop, at least once a second
        super().notify()
        self._steer()

    def accept(self, server, listener):
        self._steer(look=True)  # the board may have changed while this worker waited: is this one for it?
        if self._paused:
            return  # no: it stays in the backlog for the worker it is for
        super().accept(server, listener)
        self._taking_one = False
        self._steer()

    def on_client_socket_readable(self, conn, client):
        super().on_client_socket_readable(conn, client)
        self._steer()

    def finish_request(self, fs):
        super().finish_request(fs)
        self._steer()

    def _steer(self, look: bool = False) -> None:
        """Listen while the board leaves the next connection to this worker and a thread is free; with
        every thread busy, listen again after PATIENCE until one connection is taken."""
        with self._lock:
            if not self.alive:  # shutting down: the listening sockets are being closed
                return
            now = time.monotonic()
            held = self.nr_conns
            BOARD.post(self._slot, held, now)
            full = held - len(self._keep) >= self.cfg.threads
            if look or held != self._held or now - self._looked_at > RESCAN:  # a look costs ~7 us: not per event
                self._defer = BOARD.defer(self._slot, held, self.cfg.threads, now)
                self._held, self._looked_at = held, now
            if self._defer:
                listen = False  # the connection is for another worker (Board.defer)
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
