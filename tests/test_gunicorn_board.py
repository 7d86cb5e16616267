"""The gunicorn workers' shared board of connections held (contactcentre.gunicorn_worker.Board), with
forked processes in the part of the workers."""

import contextlib
import os
import time

from contactcentre.gunicorn_worker import Board


@contextlib.contextmanager
def worker_posting(board: Board, age: int, held: int):
    """A forked process that posts `held` in the slot of `age` and lives until the block ends."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(write)
        board.post(board.slot_of(age), held, time.monotonic())
        os.read(read, 1)  # until the parent closes its end
        os._exit(0)
    os.close(read)
    try:
        time.sleep(0.2)  # it has posted
        yield pid
    finally:
        os.close(write)
        os.waitpid(pid, 0)


def test_a_forked_worker_s_count_is_seen_by_the_others():
    board = Board()
    board.post(board.slot_of(1), 5, time.monotonic())
    with worker_posting(board, 2, 3):
        assert board.defer(board.slot_of(1), 4, 2, time.monotonic())
        assert not board.defer(board.slot_of(1), 3, 2, time.monotonic())


def test_workers_fill_up_to_their_threads_then_spread_evenly():
    board = Board()
    now = time.monotonic()
    board.post(board.slot_of(2), 1, now)  # has room for one more of its 2 threads' worth
    assert board.defer(board.slot_of(1), 0, 2, now)  # an empty worker leaves it to the one with room
    assert not board.defer(board.slot_of(1), 1, 2, now)  # as full as the other: either may take it
    board.post(board.slot_of(2), 2, now)  # full now
    assert not board.defer(board.slot_of(1), 0, 2, now)
    assert board.defer(board.slot_of(1), 3, 2, now)  # beyond its threads, another holds fewer
    assert not board.defer(board.slot_of(1), 2, 2, now)


def test_a_worker_s_own_slot_counts_for_nothing():
    board = Board()
    board.post(board.slot_of(1), 0, time.monotonic())
    assert not board.defer(board.slot_of(1), 1, 2, time.monotonic())


def test_a_killed_worker_s_slot_is_ignored_and_cleared():
    """A worker killed with SIGKILL never clears its slot: its process being gone is enough."""
    board = Board()
    board.post(board.slot_of(1), 4, time.monotonic())
    with worker_posting(board, 2, 0):
        pass  # posted 0, then ended (and was reaped) without clearing
    assert not board.defer(board.slot_of(1), 4, 2, time.monotonic())
    assert list(board._slot.iter_unpack(board._map))[2] == (0, 0, 0.0)


def test_a_slot_not_written_for_a_while_is_ignored():
    board = Board()
    board.post(board.slot_of(2), 1, time.monotonic() - Board.STALE - 1)  # a live process (this one), silent
    assert not board.defer(board.slot_of(1), 2, 2, time.monotonic())
    board.post(board.slot_of(2), 1, time.monotonic())
    assert board.defer(board.slot_of(1), 2, 2, time.monotonic())
