"""The WSGI and ASGI modules the servers load (gunicorn: contactcentre.wsgi; daphne or uvicorn:
contactcentre.asgi) load in a fresh interpreter, as a server worker starts, and answer a request.
Websockets through the ASGI application are tested in tests/channels_app/test_websockets.py."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WSGI_PROBE = """
from wsgiref.util import setup_testing_defaults
from contactcentre.wsgi import application

environ = {"PATH_INFO": "/healthz", "HTTP_HOST": "localhost"}
setup_testing_defaults(environ)
answer = {}
body = b"".join(application(environ, lambda status, headers, exc_info=None: answer.update(status=status)))
print(answer["status"].split()[0], body.decode())
"""

ASGI_PROBE = """
import asyncio
from contactcentre.asgi import application

async def main():
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": "/healthz", "raw_path": b"/healthz", "query_string": b"", "root_path": "",
        "headers": [(b"host", b"localhost")], "client": ("127.0.0.1", 50000), "server": ("localhost", 80),
    }
    sent, incoming = [], asyncio.Queue()
    incoming.put_nowait({"type": "http.request", "body": b"", "more_body": False})

    async def receive():  # the request, then nothing until the client goes away
        return await incoming.get()

    async def send(message):
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            incoming.put_nowait({"type": "http.disconnect"})

    await application(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    print(status, body.decode())

asyncio.run(main())
"""


def serve_once(probe: str) -> tuple[int, dict]:
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    return int(status), json.loads(body)


def test_the_wsgi_application_loads_and_serves():
    assert serve_once(WSGI_PROBE) == (200, {"status": "ok"})


def test_the_asgi_application_loads_and_serves_http():
    assert serve_once(ASGI_PROBE) == (200, {"status": "ok"})
