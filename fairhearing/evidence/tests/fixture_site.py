"""A local website for capture tests: a post, a redirect, a page that never finishes loading, a
huge page, a page that starts a download, and redirects to private addresses.

Serves on 127.0.0.1 on a free port, in a thread; only its own host:port is then allowed through
the capture's guard (`CAPTURE_ALLOW_PRIVATE`), so its redirects to other local addresses are
refused as they would be in production.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

POST_TEXT = "Fictional Member posted: an example post that the case is about."
POST_PAGE = f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Post by @fictional_member</title></head>
<body><main><article><h1>@fictional_member</h1><p id="text">{POST_TEXT}</p>
<p><img src="/avatar.svg" alt="avatar" width="40" height="40"></p></article></main></body></html>
"""
EDITED_TEXT = "Fictional Member posted: the same post, edited after the complaint."
AVATAR = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    b'<circle cx="20" cy="20" r="18" fill="#1d70b8"/></svg>'
)
SLOW_PAGE = """<!doctype html><html lang="en-GB"><head><title>Slow</title></head>
<body><p>Loading for ever</p><img src="/hang" alt=""></body></html>"""
DOWNLOAD_PAGE = """<!doctype html><html lang="en-GB"><head><title>Download</title></head>
<body><p>A post that starts a download</p><iframe src="/file.bin" title="x"></iframe>
<script>setTimeout(function () { location.href = "/file.bin"; }, 10);</script></body></html>"""
HUGE_BYTES = 3 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    site: FixtureSite

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, b"", "text/html", Location=location)

    def do_GET(self) -> None:
        self.site.requests.append(self.path)
        path = self.path.split("?")[0]
        html = "text/html; charset=utf-8"
        if path == "/post/1":
            page = POST_PAGE.replace(POST_TEXT, EDITED_TEXT) if self.site.edited else POST_PAGE
            self._send(200, page.encode(), html)
        elif path == "/avatar.svg":
            self._send(200, AVATAR, "image/svg+xml")
        elif path == "/go":
            self._redirect("/go2")
        elif path == "/go2":
            self._redirect("/post/1")
        elif path == "/gone":
            self._send(404, b"<!doctype html><title>Not found</title><p>Post deleted</p>", html)
        elif path == "/slow":
            self._send(200, SLOW_PAGE.encode(), html)
        elif path == "/hang":
            time.sleep(30)
        elif path == "/huge":
            self._send(200, b"<!doctype html><p>" + b"x" * HUGE_BYTES + b"</p>", html)
        elif path == "/download-page":
            self._send(200, DOWNLOAD_PAGE.encode(), html)
        elif path == "/file.bin":
            self._send(
                200,
                b"DOWNLOADED-BYTES" * 64,
                "application/octet-stream",
                Content_Disposition='attachment; filename="file.bin"',
            )
        elif path == "/to-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "/to-loopback":
            self._redirect(f"http://localhost:{self.site.port}/post/1")
        elif path == "/to-private":
            self._redirect("http://10.0.0.7/")
        elif path == "/peek":
            avatar = f"http://localhost:{self.site.port}/avatar.svg"
            page = f'<!doctype html><title>Peek</title><img src="{avatar}" alt="">'
            self._send(200, page.encode(), html)
        else:
            self._send(404, b"not found", "text/plain")

    def log_message(self, format: str, *args: object) -> None:
        pass


class FixtureSite:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.port = server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.allow = f"127.0.0.1:{self.port}"
        self.requests: list[str] = []
        self.edited = False


@contextmanager
def fixture_site() -> Iterator[FixtureSite]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.block_on_close = False
    site = FixtureSite(server)
    handler = type("Handler", (_Handler,), {"site": site})
    server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
