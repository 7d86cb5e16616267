"""Instructions per request, counted by valgrind's callgrind: the same figure on a busy machine as on
a quiet one, so a change of a few per cent in what a request costs shows, where CPU time drifts by
15-30% between runs minutes apart (bench/README.md). Started by `bench/serve_and_load.py
--instructions N` under valgrind; not meant to be run by hand.

Each request goes through the WSGI application gunicorn serves (`contactcentre.wsgi`; gunicorn's own
HTTP parsing is not counted), in this one process. Before each endpoint's measured requests it makes
warm-up requests (sessions, caches, prepared statements). Then, WINDOWS times over, it zeroes
callgrind's counters, makes N requests and dumps the counters as "<endpoint> <window>"
(serve_and_load.py reads the dumps and takes the median window: now and then something that happens
once in a few hundred requests, such as a reconnect, lands in one window). Windows with no request
("overhead") count what steering valgrind itself costs this process; that is taken off each window. Only this process's
instructions count: PostgreSQL and Redis work in their own processes, and waiting on them costs none.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

WARM_UP = 32  # twice round the 16 agents' sessions: each is in the cache before counting starts
WINDOWS = 3


def callgrind(command: str, argument: str = "") -> None:
    """Steer the valgrind this process runs under (`callgrind_control` talks to it through vgdb)."""
    subprocess.run(["callgrind_control", f"--{command}{argument}", str(os.getpid())], check=True, capture_output=True)


def environ(factory, method: str, target: str, body: str, headers: dict[str, str]) -> dict:
    """The WSGI environ of one target, as Django's RequestFactory builds it (made before counting starts)."""
    return factory.generic(method, target, body, "application/json", headers=headers).environ


def serve(handler, environ: dict) -> int:
    status = []
    chunks = handler(environ, lambda s, _headers, _exc=None: status.append(s))
    b"".join(chunks)
    chunks.close()
    return int(status[0].split()[0])


def main() -> None:
    targets_file, count = Path(sys.argv[1]), int(sys.argv[2])
    from django.test import RequestFactory

    from contactcentre.wsgi import application as handler

    factory = RequestFactory()
    callgrind("instr=", "on")  # valgrind started with it off: Django's start-up is not measured
    for window in range(WINDOWS):
        callgrind("zero")
        callgrind("dump=", f"overhead {window}")
    for name, targets in json.loads(targets_file.read_text()).items():
        targets = targets * ((WARM_UP + count) // len(targets) + 1)
        statuses = {serve(handler, environ(factory, *target)) for target in targets[:WARM_UP]}
        for window in range(WINDOWS):
            environs = [environ(factory, *target) for target in targets[WARM_UP : WARM_UP + count]]
            callgrind("zero")
            statuses |= {serve(handler, one) for one in environs}
            callgrind("dump=", f"{name} {window}")
        if statuses - {200}:
            raise SystemExit(f"{name}: answers {sorted(statuses)}")


if __name__ == "__main__":
    main()
