"""``serve``'s first seconds: answer on the address at once with a "building" page while the site is built,
then hand the address over to MkDocs' live-reload server."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

BUILDING_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>Building the fact-check site</title></head>
<body><p>Building the site&hellip; this page reloads by itself when the preview is ready.</p></body></html>
"""


class _Building(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(BUILDING_PAGE)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(BUILDING_PAGE)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet, like the build log
        return


class BuildingPage:
    """``with BuildingPage(host, port): build()``: the address answers during the build and is free after."""

    def __init__(self, host: str, port: int) -> None:
        self.server = ThreadingHTTPServer((host, port), _Building)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> BuildingPage:
        self.thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def split_addr(addr: str) -> tuple[str, int]:
    """``127.0.0.1:8000`` -> ("127.0.0.1", 8000); ValueError with the expected form otherwise."""
    host, sep, port = addr.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ValueError(f"--dev-addr {addr!r} is not HOST:PORT (for example 127.0.0.1:8000)")
    return host, int(port)
