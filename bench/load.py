"""Load generation for the benchmarks, without Django: wrk driven by bench/wrk/targets.lua, how its
connections sit on the server's processes, and the CPU each process used meanwhile."""

import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LUA = REPO / "bench" / "wrk" / "targets.lua"


# Production settings (PRODUCTION=1: DEBUG off, secure cookies, no demo conveniences) with the bench
# URLconf; the HTTPS redirect is off because the servers listen on loopback only.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "PRODUCTION": "1",
    "DEMO_MODE": "0",
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "LOG_LEVEL": "INFO",  # the access log: one JSON line per request with its duration_ms
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(app: str, port: int, *, workers: int, threads: int) -> list[str]:
    """Stock gunicorn with its own gthread worker, as production runs it (README.md, "Production")."""
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--backlog",
        "512",
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
    ]


def start_server(
    command: list[str], port: int, *, ready_path: str, log_path: Path, env: dict | None = None
) -> subprocess.Popen:
    """A server process (gunicorn, uvicorn) on 127.0.0.1:`port`, once `ready_path` answers 200; its output
    goes to `log_path`; `env` is its environment (default: this process's)."""
    server = subprocess.Popen(  # own process group, so it can be stopped with everything it forked
        command,
        cwd=REPO,
        env=env or os.environ.copy(),
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_gunicorn(server)
    raise SystemExit(f"{Path(command[0]).name} did not start; see {log_path}")


def start_gunicorn(
    app: str, port: int, *, workers: int, threads: int, ready_path: str, log_path: Path, env: dict | None = None
) -> subprocess.Popen:
    """Stock gunicorn serving `app` (see start_server)."""
    command = gunicorn_command(app, port, workers=workers, threads=threads)
    return start_server(command, port, ready_path=ready_path, log_path=log_path, env=env)


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def ensure_tool(command: str) -> str:
    """The path of `command` (wrk), installed from Debian's package of that name if missing."""
    found = shutil.which(command)
    if found:
        return found
    log(f"{command} not found: apt-get install -y {command}")
    subprocess.run(["apt-get", "install", "-y", command], check=True)
    return shutil.which(command) or command


def run_wrk(wrk: str, port: int, targets_file: Path, clients: int, duration: int, threads: int) -> dict:
    command = [
        wrk,
        f"-t{min(threads, clients)}",
        f"-c{clients}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
    ]
    load = subprocess.Popen(
        command,
        env={**os.environ, "BENCH_TARGETS": str(targets_file)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(min(2, duration / 2))
    spread = connections_per_worker(port)
    stdout, stderr = load.communicate()
    if load.returncode:
        raise SystemExit(f"wrk failed ({load.returncode}):\n{stdout}\n{stderr}")
    line = next((ln for ln in stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{stdout}\n{stderr}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in raw if k.startswith("errors_"))
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "mean_ms": round(raw["mean_us"] / 1000, 3),
        "errors": errors,
        "non_2xx": raw["errors_status"],
        "connections_per_worker": spread,
    }


def connections_per_worker(port: int) -> list[int]:
    """How wrk's connections are spread over the server's processes, busiest first: gunicorn's workers
    share one listening socket and keep a connection for its life, so 16 clients can sit 12/4/0/0
    (bench/README.md). Read with `ss` while the load runs."""
    out = subprocess.run(
        ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"], capture_output=True, text=True, check=False
    ).stdout
    return sorted(Counter(re.findall(r"pid=(\d+)", out)).values(), reverse=True)


Target = tuple[str, str, str, dict[str, str]]  # method, path, JSON body or "", headers


def write_targets(path: Path, targets: list[Target]) -> None:
    """Header sets once ("#S<TAB>set<TAB>name<TAB>value"), then one request per line naming its set."""
    sets: dict[tuple, int] = {}
    lines = []
    for _method, _path, _body, headers in targets:
        key = tuple(sorted(headers.items()))
        if key not in sets:
            sets[key] = len(sets) + 1
            lines += [f"#S\t{sets[key]}\t{name}\t{value}" for name, value in key]
    for method, target_path, body, headers in targets:
        lines.append(f"{method}\t{target_path}\t{body}\t{sets[tuple(sorted(headers.items()))]}")
    path.write_text("\n".join(lines) + "\n")


TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(entry.joinpath("stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
    return found


def server_times(log_path: Path, start: int, route: str) -> list[float]:
    """duration_ms of the access-log lines (contactcentre.api.middleware) of `route` answered 200, written
    since byte `start`: the server time, from the first middleware to the response."""
    times = []
    with log_path.open() as lines:
        lines.seek(start)
        for line in lines:
            if '"route"' not in line:
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("route") == route and entry.get("status") == 200:
                times.append(float(entry["duration_ms"]))
    return times


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))], 2) if ordered else 0.0


def check_targets(port: int, name: str, targets: list[Target]) -> None:
    """Every target must answer 2xx before it is measured (a 403/404 is fast and would flatter)."""
    bad = 0
    for method, path, body, headers in targets[:50]:
        request = urllib.request.Request(  # noqa: S310
            f"http://127.0.0.1:{port}{path}",
            data=body.encode() if body else None,
            method=method,
            headers={**headers, **({"Content-Type": "application/json"} if body else {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            bad += 1
            if bad == 1:
                log(f"{name}: {method} {path} -> {error.code} {error.read()[:300]!r}")
    if bad:
        raise SystemExit(f"{name}: {bad} of {min(len(targets), 50)} sample requests failed; not measuring")


def machine_ticks() -> list[int]:
    """/proc/stat's machine-wide line: user nice system idle iowait irq softirq steal guest guest_nice."""
    return [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]


def machine_busy(values: list[int] | None = None) -> tuple[float, float]:
    values = values or machine_ticks()
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


def redis_pids() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.joinpath("comm").read_text().strip() == "redis-server":
                    found.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return found


class CpuMeter:
    """CPU seconds used during one load point by the server, its PostgreSQL backends and wrk.
    `backend_pids()` lists the PostgreSQL backends of the database under load (the caller asks it)."""

    def __init__(self, server_pid: int, backend_pids: Callable[[], list[int]]):
        self.server_pid = server_pid
        self.backend_pids = backend_pids
        self.redis = redis_pids()

    def snapshot(self) -> dict:
        server = [self.server_pid, *children_of(self.server_pid)]
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once waited for
        ticks = machine_ticks()
        busy, total = machine_busy(ticks)
        return {
            "server": sum(proc_cpu(p) for p in server),
            "postgres_by_pid": {p: proc_cpu(p) for p in self.backend_pids()},
            "redis": sum(proc_cpu(p) for p in self.redis),
            "wrk": usage.ru_utime + usage.ru_stime,
            "busy": busy,
            "iowait": ticks[4] / TICK,
            # Time the hypervisor gave this machine's cores to someone else: counted as busy by the
            # kernel, used by none of ours; a slow minute with much of it is the host, not the code.
            "steal": ticks[7] / TICK,
            "total": total,
        }

    @staticmethod
    def postgres(before: dict, after: dict) -> float:
        """Backends come and go: count each one from its first sight (0 if new) to its last."""
        old = before["postgres_by_pid"]
        return sum(cpu - old.get(pid, 0.0) for pid, cpu in after["postgres_by_pid"].items())

    @staticmethod
    def split(before: dict, after: dict) -> dict:
        wall = (after["total"] - before["total"]) / os.cpu_count()
        used = {k: after[k] - before[k] for k in ("server", "redis", "wrk", "busy", "steal")}
        used["postgres"] = CpuMeter.postgres(before, after)
        cores = lambda seconds: round(seconds / wall, 2) if wall else 0.0  # noqa: E731
        return {
            "server_cores": cores(used["server"]),
            "postgres_cores": cores(used["postgres"]),
            "redis_cores": cores(used["redis"]),
            "wrk_cores": cores(used["wrk"]),
            "other_cores": cores(
                max(used["busy"] - sum(used[k] for k in ("server", "postgres", "redis", "wrk", "steal")), 0)
            ),
            "steal_cores": cores(used["steal"]),
            "idle_cores": round(os.cpu_count() - cores(used["busy"]), 2),
            # Part of idle: waiting for the disk (WAL flushes, log writes), often other people's I/O.
            "iowait_cores": cores(after["iowait"] - before["iowait"]),
        }


def wait_for_quiet(max_wait: float, threshold: float = 0.5) -> float:
    """Wait (up to max_wait s) until the rest of the machine uses less than `threshold` cores over a
    second, so a point is less likely to be measured during someone else's burst. Returns the wait."""
    started = time.time()
    while time.time() - started < max_wait:
        busy0, total0 = machine_busy()
        time.sleep(1)
        busy1, total1 = machine_busy()
        wall = (total1 - total0) / os.cpu_count()
        if wall and (busy1 - busy0) / wall < threshold:
            break
    return round(time.time() - started, 1)


def measure_load(
    wrk: str, port: int, targets_file: Path, meter: CpuMeter, clients: int, duration: int, wrk_threads: int = 1
) -> dict:
    """One wrk run with the CPU each party used meanwhile, and the CPU per request."""
    before = meter.snapshot()
    result = run_wrk(wrk, port, targets_file, clients, duration, wrk_threads)
    after = meter.snapshot()
    result.update(clients=clients, cpu=CpuMeter.split(before, after))
    # CPU per request is what contention from other processes cannot inflate much: it says what a
    # request costs, and 2 cores / that cost is the throughput on a quiet machine.
    used = {"server": after["server"] - before["server"], "redis": after["redis"] - before["redis"]}
    used["postgres"] = CpuMeter.postgres(before, after)
    per_request = {k: round(v / max(result["requests"], 1) * 1000, 3) for k, v in used.items()}
    result["cpu_ms_per_request"] = {**per_request, "total": round(sum(per_request.values()), 3)}
    return result
