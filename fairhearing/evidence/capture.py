"""Capture a web page as evidence: headless Chromium keeps a full-page screenshot, the rendered
HTML and a WARC of the responses that made the page (issue 24, item 1).

Runs in the worker (`tasks.evidence_capture_task`), never in a web request. Each capture is a
fresh browser and a fresh context: no cookies, no stored credentials, no service workers, no
downloads, no web sockets, no extensions or plugins.

The guard against reaching private networks (SSRF) works at two points:
- before the browser starts, the address is resolved and *every* address it resolves to must be
  public (not private, loopback, link-local, multicast, reserved or unspecified; an IPv6
  address that maps an IPv4 one is judged by that);
- every request the page makes passes through one route handler, which checks its host the
  same way and fetches it itself, with redirects off, from the very address it checked
  (`pinned_fetch`: urllib3 connecting to that IP, with the name sent as the Host header and
  for TLS, SNI and the certificate's check), and follows each redirect hop only after checking
  the next address. So a name that resolves to a public address for the check and to a private
  one a moment later (DNS rebinding) is never connected to again by name. Chromium does not
  show a route handler the hops of a redirect it follows itself, so it is never given one: a
  redirect of the page itself is turned into a new navigation (checked again), and a redirect
  of a part of the page (an image, a script) is followed here, hop by hop.

Bounds: one time limit for the whole capture (`CAPTURE_TIMEOUT_SECONDS`), one byte budget for
every response together and the screenshot and HTML (`CAPTURE_MAX_BYTES`), at most
`MAX_REDIRECTS` hops. A local fixture server is reached only when named, host and port, in
`CAPTURE_ALLOW_PRIVATE` (tests and the demo).
"""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

MAX_REDIRECTS = 10
MAX_TEXT = 20_000
VIEWPORT = {"width": 1280, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-plugins",
    "--dns-prefetch-disable",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
]
# What a capture keeps of a response's headers: the body is kept decoded, so its encoding and
# length are the stored body's, not the wire's.
DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}

# Why a capture failed, in people's words: shown on the evidence page, kept on the request.
NOT_A_WEB_ADDRESS = "That is not a web address: give one that starts with http:// or https://."
PRIVATE_ADDRESS = (
    "The link leads to a private or internal network address ({host}), which captures are "
    "not allowed to reach."
)
UNKNOWN_HOST = "No website was found at {host}. Check the address and try again."
TOO_SLOW = (
    "The page did not finish loading within {seconds} seconds, so nothing was kept. "
    "Try again later."
)
TOO_BIG = "The page is larger than the {mb} MB a capture may keep, so nothing was kept."
IS_DOWNLOAD = (
    "The link opens a file to download, not a page, so nothing was kept. Download the file "
    "yourself and add it as a file."
)
TOO_MANY_REDIRECTS = "The link redirected more than {n} times, so nothing was kept."
UNREACHABLE = (
    "The website could not be reached: it did not answer or refused the connection. Check the "
    "address and try again later."
)
BROWSER_FAILED = (
    "The capturing browser could not be started. Try again later, and tell your administrator "
    "if it keeps happening."
)
# What was left out of a capture that succeeded.
NOTE_DOWNLOAD = "A download the page tried to start was refused ({url})."
NOTE_UNFINISHED = (
    "The page had not finished loading in the time a capture is given: this is what it showed then."
)
NOTE_PRIVATE = "A request to a private or internal address was refused ({url})."


class CaptureFailed(Exception):
    """Nothing was kept: `reason` says why in people's words, `code` is the stable name the
    ledger keeps."""

    def __init__(self, reason: str, *, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass
class Response:
    """One response as the page received it, for the WARC."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    status_text: str
    headers: list[tuple[str, str]]
    body: bytes
    at: dt.datetime


@dataclass
class Captured:
    requested_url: str
    final_url: str
    http_status: int
    screenshot: bytes
    html: bytes
    warc: bytes
    text: str
    title: str
    captured_at: dt.datetime
    browser_version: str
    software: str
    notes: list[str] = field(default_factory=list)


def _limit_seconds() -> float:
    return float(settings.CAPTURE_TIMEOUT_SECONDS)


def _too_slow() -> CaptureFailed:
    return CaptureFailed(TOO_SLOW.format(seconds=f"{_limit_seconds():g}"), code="timeout")


def _too_big() -> CaptureFailed:
    mb = settings.CAPTURE_MAX_BYTES / (1024 * 1024)
    return CaptureFailed(TOO_BIG.format(mb=f"{mb:g}"), code="too_big")


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def address_check(url: str) -> list[str]:
    """The addresses the URL's host resolves to, every one of them checked: refuse
    (`CaptureFailed`) a URL that is not http(s), or whose host resolves to any address that is
    not public, unless its host:port is named in `CAPTURE_ALLOW_PRIVATE`. The fetch connects to
    one of these, never to the name again (`pinned_fetch`)."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise CaptureFailed(NOT_A_WEB_ADDRESS, code="not_web") from None
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host:
        raise CaptureFailed(NOT_A_WEB_ADDRESS, code="not_web")
    allowed = {entry.lower() for entry in settings.CAPTURE_ALLOW_PRIVATE}
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise CaptureFailed(UNKNOWN_HOST.format(host=host), code="unknown_host") from None
    addresses = [str(info[4][0]) for info in infos]
    if f"{host}:{port}".lower() not in allowed:
        for address in addresses:
            if not _public(address):
                raise CaptureFailed(PRIVATE_ADDRESS.format(host=host), code="private_address")
    return addresses


# Request headers Chromium sends that are not ours to pass on (hop by hop, or HTTP/2's own), and
# the encodings we can read back (Chromium would also ask for Brotli and Zstandard).
NOT_FORWARDED = {"host", "connection", "keep-alive", "transfer-encoding", "upgrade", "te"}
ACCEPT_ENCODING = "gzip, deflate"


# The fetches of every capture in this process, each a thread while it waits on the network.
_FETCHES = ThreadPoolExecutor(max_workers=8, thread_name_prefix="capture-fetch")
FETCH_POLL_MS = 20


class FetchFailed(Exception):
    """The pinned fetch did not get a whole response: `too_big`, `timeout` or `unreachable`
    (or `ended`: the capture did not wait for it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Fetched:
    status: int
    status_text: str
    headers: list[tuple[str, str]]
    body: bytes


def pinned_fetch(
    url: str,
    *,
    address: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    deadline: float,
    max_bytes: int,
) -> Fetched:
    """Fetch `url` from `address` (one `address_check` returned), redirects not followed,
    the body decoded (gzip, deflate) and read no further than `max_bytes` or the deadline. The
    URL's host name is the Host header and, for https, the name TLS asks for and checks the
    certificate against (certifi's authorities): the name is never resolved here."""
    import certifi
    import urllib3

    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    host = parts.hostname or ""
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = {k: v for k, v in (headers or {}).items() if k.lower() not in NOT_FORWARDED}
    sent = {k: v for k, v in sent.items() if not k.startswith(":")}
    sent["Host"] = parts.netloc.rsplit("@", 1)[-1]
    sent["Accept-Encoding"] = ACCEPT_ENCODING
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchFailed("timeout")
    timeout = urllib3.Timeout(connect=min(left, 10.0), read=left)
    pool: urllib3.HTTPConnectionPool
    if https:
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=host,
            assert_hostname=host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)
    try:
        response = pool.urlopen(
            method,
            target,
            body=body,
            headers=sent,
            redirect=False,
            assert_same_host=False,
            preload_content=False,
            decode_content=True,
        )
        data = bytearray()
        for chunk in response.stream(64 * 1024):
            data += chunk
            if len(data) > max_bytes:
                raise FetchFailed("too_big")
            if time.monotonic() >= deadline:
                raise FetchFailed("timeout")
        return Fetched(
            status=response.status,
            status_text=response.reason or "",
            headers=list(response.headers.items()),
            body=bytes(data),
        )
    except FetchFailed:
        raise
    except urllib3.exceptions.TimeoutError:
        raise FetchFailed("timeout") from None
    except (urllib3.exceptions.HTTPError, OSError):
        raise FetchFailed("unreachable") from None
    finally:
        pool.close()


def _is_download(headers: dict[str, str]) -> bool:
    return headers.get("content-disposition", "").strip().lower().startswith("attachment")


class _Guard:
    """The route handler every request of the capture passes through (see the module's
    docstring): checks, fetches, counts bytes, keeps each response for the WARC."""

    def __init__(self, page: Page, deadline: float) -> None:
        self.page = page
        self.deadline = deadline
        self.bytes = 0
        self.responses: list[Response] = []
        self.notes: list[str] = []
        self.failure: CaptureFailed | None = None
        self.redirect_to: str | None = None
        # The navigation the capture itself asked for: its failures fail the capture. The
        # page's own later navigations (a script, a refresh) are parts of it: refused ones are
        # noted and left out.
        self.navigating_to: str | None = None

    def remaining_ms(self) -> float:
        return max(1.0, (self.deadline - time.monotonic()) * 1000)

    def _fetch(self, url: str, **kwargs: Any) -> Fetched:
        """`pinned_fetch` in a thread of its own, the browser's events handled meanwhile (a
        blocking call here would stop the capture itself, and every other request, until it
        ended). `FetchFailed("ended")`: the capture finished, its page closed, while waiting."""
        future = _FETCHES.submit(pinned_fetch, url, **kwargs)
        while not future.done():
            try:
                self.page.wait_for_timeout(FETCH_POLL_MS)
            except Exception:
                future.cancel()
                raise FetchFailed("ended") from None
        return future.result()

    def _fail(self, failure: CaptureFailed, route: Route, error_code: str) -> None:
        self.failure = self.failure or failure
        route.abort(error_code)

    def _refuse_part(self, route: Route, note: str) -> None:
        self.notes.append(note)
        if route.request.is_navigation_request() and route.request.frame == self.page.main_frame:
            # Cancelled, as a download is: the browser stays on the page it has (refused, it
            # would show its error page in place of the post).
            route.abort("aborted")
        else:
            route.abort("blockedbyclient")

    def handle(self, route: Route) -> None:
        request = route.request
        url = request.url
        is_page = (
            request.is_navigation_request()
            and request.frame == self.page.main_frame
            and url == self.navigating_to
        )
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                addresses = address_check(url)
            except CaptureFailed as refused:
                if is_page:
                    self._fail(refused, route, "blockedbyclient")
                else:
                    self._refuse_part(route, NOTE_PRIVATE.format(url=url[:200]))
                return
            if time.monotonic() >= self.deadline:
                self._fail(_too_slow(), route, "timedout")
                return
            try:
                response = self._fetch(
                    url,
                    address=addresses[0],
                    method=request.method,
                    headers=request.headers,
                    body=request.post_data_buffer,
                    deadline=self.deadline,
                    max_bytes=settings.CAPTURE_MAX_BYTES - self.bytes,
                )
            except FetchFailed as failed:
                if failed.code == "ended":
                    return  # the capture finished without this part
                if failed.code == "too_big":
                    self._fail(_too_big(), route, "failed")
                elif failed.code == "timeout" or time.monotonic() >= self.deadline:
                    self._fail(_too_slow(), route, "timedout")
                elif is_page:
                    self._fail(CaptureFailed(UNREACHABLE, code="unreachable"), route, "failed")
                else:
                    route.abort("failed")
                return
            body = response.body
            headers = {k.lower(): v for k, v in response.headers}
            self.bytes += len(body)
            if self.bytes > settings.CAPTURE_MAX_BYTES:
                self._fail(_too_big(), route, "failed")
                return
            if _is_download(headers):
                if is_page:
                    self._fail(
                        CaptureFailed(IS_DOWNLOAD, code="download"), route, "blockedbyclient"
                    )
                else:
                    self._refuse_part(route, NOTE_DOWNLOAD.format(url=url[:200]))
                return
            self.responses.append(
                Response(
                    url=url,
                    method=request.method,
                    request_headers=list(request.headers.items()),
                    status=response.status,
                    status_text=response.status_text,
                    headers=response.headers,
                    body=body,
                    at=timezone.now(),
                )
            )
            location = headers.get("location")
            if not (300 <= response.status < 400 and location):
                kept = {k: v for k, v in response.headers if k.lower() not in DROPPED_HEADERS}
                route.fulfill(status=response.status, headers=kept, body=body)
                return
            url = urljoin(url, location)
            if is_page:
                # Chromium would follow this hop unseen: the capture navigates to it instead,
                # and this handler checks it then.
                self.redirect_to = url
                route.fulfill(status=200, content_type="text/html", body="")
                return
        self._fail(
            CaptureFailed(TOO_MANY_REDIRECTS.format(n=MAX_REDIRECTS), code="redirects"),
            route,
            "failed",
        )


def software_version(browser_version: str) -> str:
    return (
        f"Fairhearing {metadata.version('fairhearing')}; "
        f"Playwright {metadata.version('playwright')}; Chromium {browser_version}"
    )


def warc_of(responses: list[Response], *, software: str) -> bytes:
    """The responses as a gzipped WARC: a warcinfo record, then each request and response."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(
        writer.create_warcinfo_record(
            "capture.warc.gz", {"software": software, "format": "WARC File Format 1.0"}
        )
    )
    for r in responses:
        date = r.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        headers = [(k, v) for k, v in r.headers if k.lower() not in DROPPED_HEADERS]
        headers.append(("Content-Length", str(len(r.body))))
        http = StatusAndHeaders(f"{r.status} {r.status_text}".strip(), headers, protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                r.url,
                "response",
                payload=io.BytesIO(r.body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": date},
            )
        )
        parts = urlsplit(r.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = StatusAndHeaders(
            f"{r.method} {target} HTTP/1.1", r.request_headers, is_http_request=True
        )
        writer.write_record(
            writer.create_warc_record(
                r.url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=request,
                warc_headers_dict={"WARC-Date": date},
            )
        )
    return out.getvalue()


def _ms_until(moment: float) -> float:
    return max(1.0, (moment - time.monotonic()) * 1000)


def _capture(url: str) -> Captured:
    from playwright.sync_api import Error, sync_playwright
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    address_check(url)
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=settings.CAPTURE_CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                timeout=30_000,
            )
        except Error:
            raise CaptureFailed(BROWSER_FAILED, code="browser") from None
        # The time limit runs from here, the browser started (its start has its own limit).
        deadline = time.monotonic() + _limit_seconds()
        # The page has until here to load; the rest of the time is for the screenshot and HTML.
        load_deadline = deadline - min(10.0, _limit_seconds() / 3)
        try:
            context = browser.new_context(
                accept_downloads=False,
                service_workers="block",
                viewport=VIEWPORT,  # type: ignore[arg-type]
                locale="en-GB",
            )
            page = context.new_page()
            guard = _Guard(page, deadline)
            context.route("**/*", guard.handle)
            # A web socket routed here and never connected onwards reaches no server.
            context.route_web_socket("**/*", lambda ws: None)
            target, response = url, None
            for _hop in range(MAX_REDIRECTS + 1):
                guard.redirect_to = None
                guard.navigating_to = target
                try:
                    response = page.goto(target, wait_until="commit", timeout=guard.remaining_ms())
                    if guard.redirect_to is None and not guard.failure:
                        page.wait_for_load_state(
                            "domcontentloaded", timeout=_ms_until(load_deadline)
                        )
                except PlaywrightTimeout:
                    raise guard.failure or _too_slow() from None
                except Error:
                    raise guard.failure or CaptureFailed(UNREACHABLE, code="unreachable") from None
                if guard.failure:
                    raise guard.failure
                if guard.redirect_to is None:
                    break
                target = guard.redirect_to
            else:
                raise CaptureFailed(TOO_MANY_REDIRECTS.format(n=MAX_REDIRECTS), code="redirects")
            if response is None:
                raise CaptureFailed(UNREACHABLE, code="unreachable")
            try:
                page.wait_for_load_state("load", timeout=_ms_until(load_deadline))
            except PlaywrightTimeout:
                # Something on the page never finished (a stalled image, a script that began
                # another navigation): what it showed by then is kept, and said to be so.
                guard.notes.append(NOTE_UNFINISHED)
            if guard.failure:
                raise guard.failure
            captured_at = timezone.now()
            try:
                html = page.content().encode("utf-8")
                text = page.evaluate("() => document.body ? document.body.innerText : ''")
                title = page.title()
                screenshot = page.screenshot(
                    full_page=True, type="png", timeout=guard.remaining_ms(), animations="disabled"
                )
            except PlaywrightTimeout:
                raise guard.failure or _too_slow() from None
            if guard.failure:
                raise guard.failure
            if guard.bytes + len(html) + len(screenshot) > settings.CAPTURE_MAX_BYTES:
                raise _too_big()
            software = software_version(browser.version)
            return Captured(
                requested_url=url,
                final_url=page.url,
                http_status=response.status,
                screenshot=screenshot,
                html=html,
                warc=warc_of(guard.responses, software=software),
                text=str(text or "").strip()[:MAX_TEXT],
                title=title[:300],
                captured_at=captured_at,
                browser_version=browser.version,
                software=software,
                notes=list(dict.fromkeys(guard.notes)),
            )
        finally:
            browser.close()


def page_capture(url: str) -> Captured:
    """Capture `url` (see the module's docstring), or raise `CaptureFailed` saying why.

    Runs in a thread of its own: Playwright's synchronous API refuses to start inside a thread
    that already runs an event loop (or another Playwright)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["captured"] = _capture(url)
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, name="evidence-capture", daemon=True)
    thread.start()
    thread.join(timeout=_limit_seconds() + 60)
    if thread.is_alive():
        raise _too_slow()
    if "error" in outcome:
        raise outcome["error"]
    captured: Captured = outcome["captured"]
    return captured
