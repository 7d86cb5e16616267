"""Load generation for the benchmarks, without Django: wrk driven by bench/wrk/targets.lua, and how
its connections sit on the server's processes."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LUA = REPO / "bench" / "wrk" / "targets.lua"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
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


def start_gunicorn(
    app: str, port: int, *, workers: int, threads: int, ready_path: str, log_path: Path
) -> subprocess.Popen:
    """gunicorn serving `app` on 127.0.0.1:`port`, once `ready_path` answers 200; its output goes to
    `log_path`."""
    command = gunicorn_command(app, port, workers=workers, threads=threads)
    log_file = log_path.open("w")
    server = subprocess.Popen(  # own process group, so it can be stopped with everything it forked
        command, cwd=REPO, env=os.environ.copy(), stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
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
    raise SystemExit(f"gunicorn did not start; see {log_path}")


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
