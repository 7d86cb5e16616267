#!/usr/bin/env python
"""The screen pop's latency: from "call connected" (just before the connect's commit) to the pop
arriving on the agent's websocket, on a real ASGI server with the channel layer on Redis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> REDIS_URL=redis://127.0.0.1:6379/<n> \\
        .venv/bin/python bench/screen_pop.py --agents 20 --pops 300

It serves contactcentre.asgi with stock uvicorn (one process, as README.md's "Production" runs the
websocket side; production settings, DEBUG off), signs in `--agents` agents (a session each, as the
log-in makes) and opens one /ws/agent/ socket per agent (the `websockets` client, in a thread of this
process). This process is the phone door: for each pop it takes a waiting call (an open phone contact
of a recognised caller, so the connect writes its processing-log record) and puts it through to a
random agent with contactcentre.interactions.services.contact_moment_connect inside a transaction;
the clock starts just before the commit, so the figure is the commit, the publish after commit
(realtime.publish -> channels_redis group_send), the server's consumer (its session re-check when
due) and the websocket frame, up to the moment the client thread reads it. One pop at a time (the
latency of a pop, not a load test).

Baseline, interleaved with the pops in the same run: a bare channel-layer group_send of an event of
the same shape to the same agent's group, from the same process (no service, no database): what the
layer, the server and the socket cost by themselves. It prints p50/p95/p99 of both, their ratio, the
server's CPU per message (utime + stime of the uvicorn process around each message), and how many
messages reached a wrong socket or none (both must be 0). JSON to bench/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
sys.path.insert(0, str(REPO))
from bench.load import PRODUCTION_ENV, free_port, log, proc_cpu, start_server, stop_gunicorn  # noqa: E402

BENCH_ENV = {**PRODUCTION_ENV, "LOG_LEVEL": "WARNING"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=20, help="agents with an open socket (default 20)")
    parser.add_argument("--pops", type=int, default=300, help="measured pops, and as many baseline sends")
    parser.add_argument("--warmup", type=int, default=30, help="pops and sends first, not counted")
    parser.add_argument("--pause-ms", type=float, default=10, help="pause between two messages (default 10)")
    return parser.parse_args()


ARGS = parse_args()
os.environ.update(BENCH_ENV)
os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
if not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")):
    raise SystemExit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: the pop is measured on both.")

import django  # noqa: E402

django.setup()

import websockets  # noqa: E402
from asgiref.sync import async_to_sync  # noqa: E402
from channels.layers import get_channel_layer  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from bench.sessions import signed_in_headers  # noqa: E402
from contactcentre import realtime  # noqa: E402
from contactcentre.api.roles import roles_sync  # noqa: E402
from contactcentre.interactions.models import ContactMoment  # noqa: E402
from contactcentre.interactions.services import contact_moment_connect  # noqa: E402
from contactcentre.principal import SYSTEM  # noqa: E402
from contactcentre.registry.models import Party  # noqa: E402


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def agents_signed_in(count: int) -> list[tuple[object, str]]:
    """(user, session cookie) of `count` agents, a new session each as the log-in would make."""
    roles_sync()
    group = Group.objects.get(name="agent")
    signed_in = []
    for index in range(count):
        user, _ = get_user_model().objects.get_or_create(username=f"bench-pop-agent-{index}")
        user.groups.add(group)
        signed_in.append((user, signed_in_headers(user)["Cookie"]))
    return signed_in


def waiting_calls(count: int) -> list[ContactMoment]:
    """Calls in the phone queue from a recognised caller (the connect logs the read of their contact)."""
    caller = Party.objects.filter(kind=Party.Kind.PERSON).first() or Party.objects.create(
        kind=Party.Kind.PERSON, bsn="111222333", given_names="Bench", surname="Beller"
    )
    return [ContactMoment.objects.create(channel="phone", party=caller, identified_by="phone") for _ in range(count)]


def start_uvicorn(port: int, log_path: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "uvicorn"), "contactcentre.asgi:application", "--host", "127.0.0.1",
        "--port", str(port), "--lifespan", "off", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    return start_server(command, port, ready_path="/healthz", log_path=log_path)


class Sockets:
    """One /ws/agent/ socket per agent, read in a thread; every message read goes on `arrived` as
    (agent index, event, data, perf_counter at reading)."""

    def __init__(self, port: int, cookies: list[str]):
        self.port, self.cookies = port, cookies
        self.arrived: queue.Queue = queue.Queue()
        self.ready = threading.Event()
        self.failed: BaseException | None = None
        self.stop = asyncio.Event()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(self._main(),), daemon=True)

    async def _read(self, index: int, socket) -> None:
        async for frame in socket:
            at = time.perf_counter()
            message = json.loads(frame)
            self.arrived.put((index, message["event"], message["data"], at))

    async def _main(self) -> None:
        try:
            origin = f"http://127.0.0.1:{self.port}"
            sockets = [
                await websockets.connect(
                    f"ws://127.0.0.1:{self.port}/ws/agent/", origin=origin, additional_headers={"Cookie": cookie}
                )
                for cookie in self.cookies
            ]
        except BaseException as exc:
            self.failed = exc
            self.ready.set()
            raise
        self.ready.set()
        readers = [asyncio.create_task(self._read(index, socket)) for index, socket in enumerate(sockets)]
        await self.stop.wait()
        for socket in sockets:
            await socket.close()
        await asyncio.gather(*readers, return_exceptions=True)

    def start(self) -> None:
        self.thread.start()
        self.ready.wait(30)
        if self.failed is not None:
            raise SystemExit(f"could not open the agents' sockets: {self.failed!r}")

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(10)


def percentiles(values: list[float]) -> dict:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "n": len(values),
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "max": max(values),
        "mean": statistics.fmean(values),
    }


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    load_before = uptime()
    log(f"uptime: {load_before}")
    call_command("migrate", verbosity=0)
    agents = agents_signed_in(ARGS.agents)
    rounds = ARGS.warmup + ARGS.pops
    calls = waiting_calls(rounds)
    port = free_port()
    server = start_uvicorn(port, RESULTS / f"screen_pop-{stamp}.log")
    sockets = Sockets(port, [cookie for _user, cookie in agents])
    layer = get_channel_layer()
    latencies: dict[str, list[float]] = {"pop": [], "baseline": []}
    sender: dict[str, list[float]] = {"pop": [], "baseline": []}  # until the sending call returned
    cpu: dict[str, float] = {"pop": 0.0, "baseline": 0.0}
    wrong = lost = 0
    try:
        sockets.start()
        log(f"uvicorn pid {server.pid} on :{port}; {len(agents)} agents' sockets open; {rounds} rounds")
        started = time.time()
        for round_ in range(rounds):
            for kind in ("baseline", "pop") if round_ % 2 else ("pop", "baseline"):
                index = random.randrange(len(agents))
                user = agents[index][0]
                cpu_before = proc_cpu(server.pid)
                if kind == "pop":
                    call = calls[round_]
                    expected = ("contact.connected", call.pk)
                    with transaction.atomic():
                        contact_moment_connect(contact=call, agent=user, actor=SYSTEM)
                        t0 = time.perf_counter()
                    returned = time.perf_counter()  # committed, and the publish after commit sent
                else:
                    expected = ("bench.baseline", round_)
                    message = {
                        "type": realtime.MESSAGE_TYPE,
                        "event": "bench.baseline",
                        "data": {"contact_moment": round_},
                    }
                    t0 = time.perf_counter()
                    async_to_sync(layer.group_send)(realtime.agent_group(user.pk), message)
                    returned = time.perf_counter()
                try:
                    got_index, event, data, at = sockets.arrived.get(timeout=5)
                except queue.Empty:
                    lost += 1
                    continue
                time.sleep(ARGS.pause_ms / 1000)  # the server finishes its part before its CPU is read
                if (event, data.get("contact_moment")) != expected or got_index != index:
                    wrong += 1
                if round_ >= ARGS.warmup:
                    latencies[kind].append((at - t0) * 1000)
                    sender[kind].append((returned - t0) * 1000)
                    cpu[kind] += proc_cpu(server.pid) - cpu_before
        elapsed = time.time() - started
        time.sleep(0.5)
        wrong += sockets.arrived.qsize()  # anything else that arrived went where nothing was sent
    finally:
        sockets.close()
        stop_gunicorn(server)
    result = {
        "stamp": stamp,
        "agents": len(agents),
        "uptime_before": load_before,
        "uptime_after": uptime(),
        "elapsed_seconds": round(elapsed, 1),
        "wrong_socket": wrong,
        "lost": lost,
        "server": "uvicorn (1 process), bench.settings (PRODUCTION=1, DEBUG=0), channels_redis",
        "session_check_seconds": settings.WEBSOCKET_SESSION_CHECK_SECONDS,
    }
    for kind, values in latencies.items():
        result[kind] = {
            **percentiles(values),
            "sender_p50": statistics.median(sender[kind]),
            "server_cpu_ms": cpu[kind] * 1000 / len(values),
        }
    (RESULTS / f"screen_pop-{stamp}.json").write_text(json.dumps(result, indent=2))
    print_result(result)


def print_result(result: dict) -> None:
    print(f"\nscreen pop, {result['agents']} agents' sockets, {result['pop']['n']} pops + as many baseline sends")
    print(f"{'':<10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'sender p50':>12}{'server CPU ms/msg':>19}")
    for kind in ("pop", "baseline"):
        row = result[kind]
        print(
            f"{kind:<10}{row['p50']:>9.2f}{row['p95']:>9.2f}{row['p99']:>9.2f}{row['max']:>9.2f}"
            f"{row['sender_p50']:>12.2f}{row['server_cpu_ms']:>19.2f}"
        )
    print("(sender: from the start of the clock until the commit and the publish, or the bare send, returned)")
    pop, base = result["pop"], result["baseline"]
    print(f"pop / baseline: p50 x{pop['p50'] / base['p50']:.2f}, p95 x{pop['p95'] / base['p95']:.2f}")
    print(f"wrong socket: {result['wrong_socket']}, lost: {result['lost']}; {result['elapsed_seconds']} s")
    print(f"uptime before: {result['uptime_before']}\nuptime after:  {result['uptime_after']}")


if __name__ == "__main__":
    main()
