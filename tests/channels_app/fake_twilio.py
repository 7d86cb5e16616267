"""A local fake of Twilio's Messages API (POST /2010-04-01/Accounts/<sid>/Messages.json) on 127.0.0.1:
it records each request and answers like Twilio, 201 with the message resource, or what a test scripts."""

import base64
import json
import re
import threading
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC\w+)/Messages\.json$")
INVALID_NUMBER = (400, {"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400})
SERVER_ERROR = (500, {"code": 20500, "message": "Internal Server Error", "status": 500})
TOO_MANY_REQUESTS = (429, {"code": 20429, "message": "Too Many Requests", "status": 429})


class FakeTwilio:
    def __init__(self):
        self.requests: list[dict] = []
        self.scripted: deque[tuple[int, dict]] = deque()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
                match = MESSAGES_PATH.match(self.path)
                fake.requests.append(
                    {
                        "path": self.path,
                        "account": match and match["sid"],
                        "authorization": self.headers.get("Authorization", ""),
                        "form": form,
                    }
                )
                if match is None:
                    return self._answer(404, {"code": 20404, "message": "Not Found", "status": 404})
                if fake.scripted:
                    return self._answer(*fake.scripted.popleft())
                sid = "SM" + uuid.uuid4().hex
                message = {
                    "sid": sid,
                    "account_sid": match["sid"],
                    "to": form.get("To"),
                    "from": form.get("From"),
                    "body": form.get("Body"),
                    "status": "queued",
                    "num_segments": "1",
                    "uri": f"/2010-04-01/Accounts/{match['sid']}/Messages/{sid}.json",
                }
                return self._answer(201, message)

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format, *args):  # quiet: the test reads `requests`
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeTwilio":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, *answers: tuple[int, dict]) -> None:
        """The next requests get these answers, in order; then the default 201 again."""
        self.scripted.extend(answers)

    @staticmethod
    def basic_auth(request: dict) -> tuple[str, str]:
        scheme, _, encoded = request["authorization"].partition(" ")
        assert scheme == "Basic"
        user, _, password = base64.b64decode(encoded).decode().partition(":")
        return user, password
