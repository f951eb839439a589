"""Evidence captured from a link (issue 24, item 1): real captures by Debian's Chromium of
pages served by a local fixture site (fixture_site.py): what is kept, what is refused, the
hashes and the ledger events."""

import hashlib
import io
import time

import pytest
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator

from fairhearing.evidence import capture
from fairhearing.evidence.capture_queue import capture_request, capture_retry, evidence_recapture
from fairhearing.evidence.capture_record import capture_run
from fairhearing.evidence.models import Blob, CaptureRequest, EvidenceItem, WebCapture
from fairhearing.evidence.queries import capture_comparison
from fairhearing.evidence.services import CLOSED, EvidenceRefused
from fairhearing.evidence.storage import blob_read
from fairhearing.ledger.chain import content_hash
from fairhearing.ledger.models import Event, EventKind
from fairhearing.ledger.queries import ledger_verify

from .fixture_site import AVATAR, EDITED_TEXT, HUGE_BYTES, POST_TEXT, FixtureSite, fixture_site

pytestmark = [pytest.mark.django_db, pytest.mark.browser]
LIMIT = 5


@pytest.fixture(scope="module")
def site():
    with fixture_site() as running:
        yield running


@pytest.fixture(autouse=True)
def _capture_settings(settings, site: FixtureSite) -> None:
    settings.CAPTURE_ALLOW_PRIVATE = [site.allow]
    settings.CAPTURE_TIMEOUT_SECONDS = LIMIT
    settings.CAPTURE_MAX_BYTES = 2 * 1024 * 1024


def run(case, actor, url: str) -> CaptureRequest:
    request = capture_request(actor=actor, case=case, url=url, description="The post")
    return capture_run(request_id=request.pk)


def item_of(request: CaptureRequest) -> EvidenceItem:
    assert request.item is not None, request.failure
    return request.item


def events(kind, case):
    return list(Event.objects.filter(kind=kind, case_id=case.pk).order_by("seq"))


def warc_records(data: bytes) -> list[tuple[str, str, str, bytes]]:
    """(type, URI, HTTP status, body) of each record."""
    records = []
    for record in ArchiveIterator(io.BytesIO(data)):
        status = record.http_headers.get_statuscode() if record.http_headers else ""
        records.append(
            (
                record.rec_type,
                record.rec_headers.get_header("WARC-Target-URI") or "",
                status if record.rec_type == "response" else "",
                record.content_stream().read(),
            )
        )
    return records


def test_a_post_is_kept_as_screenshot_html_and_warc_each_hashed(case, case_officer, site) -> None:
    request = run(case, case_officer, f"{site.base}/post/1")

    assert request.state == CaptureRequest.State.CAPTURED, request.failure
    item = item_of(request)
    assert item.kind == "post" and item.number == 1
    assert item.blob is not None
    web = WebCapture.objects.get(item=item)
    screenshot = blob_read(item.blob.sha256)
    html = blob_read(web.html_blob_id)
    warc = blob_read(web.warc_blob_id)
    assert screenshot.startswith(b"\x89PNG\r\n\x1a\n")
    assert item.blob.content_type == "image/png"
    assert POST_TEXT.encode() in html
    assert POST_TEXT in item.captured_text
    for blob, data in ((item.blob, screenshot), (web.html_blob, html), (web.warc_blob, warc)):
        assert blob.sha256 == hashlib.sha256(data).hexdigest() and blob.size == len(data)
    records = warc_records(warc)
    assert records[0][0] == "warcinfo"
    responses = {uri: (status, body) for kind, uri, status, body in records if kind == "response"}
    assert responses[f"{site.base}/post/1"][0] == "200"
    assert POST_TEXT.encode() in responses[f"{site.base}/post/1"][1]
    assert responses[f"{site.base}/avatar.svg"] == ("200", AVATAR)
    assert web.requested_url == web.final_url == f"{site.base}/post/1"
    assert web.http_status == 200
    assert web.title == "Post by @fictional_member"
    assert web.browser_version.split(".")[0].isdigit()
    assert web.software.startswith("Fairhearing ")
    assert f"Chromium {web.browser_version}" in web.software
    assert item.captured_at is not None and item.captured_at <= timezone.now()

    [asked] = events(EventKind.CAPTURE_REQUESTED, case)
    assert asked.payload["request"] == request.pk and asked.payload["attempt"] == 1
    assert asked.payload["url_sha256"] == content_hash(f"{site.base}/post/1")
    [added] = events(EventKind.EVIDENCE_ADDED, case)
    assert added.actor_id == case_officer.pk
    assert added.payload["sha256"] == item.sha256
    assert added.payload["capture"] == {
        "request": request.pk,
        "screenshot_sha256": item.blob_id,
        "html_sha256": web.html_blob_id,
        "warc_sha256": web.warc_blob_id,
        "final_url_sha256": content_hash(web.final_url),
        "http_status": 200,
        "software": web.software,
        "recapture_of": None,
    }
    assert "example post" not in str(added.payload)  # hashes, never the text
    assert ledger_verify().ok


def test_redirects_are_followed_hop_by_hop_and_the_final_address_kept(
    case, case_officer, site
) -> None:
    request = run(case, case_officer, f"{site.base}/go")

    assert request.state == CaptureRequest.State.CAPTURED, request.failure
    web = WebCapture.objects.get(item=request.item)
    assert web.requested_url == f"{site.base}/go"
    assert web.final_url == f"{site.base}/post/1"
    assert web.http_status == 200
    statuses = [
        (uri, status)
        for kind, uri, status, _ in warc_records(blob_read(web.warc_blob_id))
        if kind == "response"
    ]
    assert statuses[:3] == [
        (f"{site.base}/go", "302"),
        (f"{site.base}/go2", "302"),
        (f"{site.base}/post/1", "200"),
    ]


def test_a_deleted_post_is_kept_with_its_status(case, case_officer, site) -> None:
    request = run(case, case_officer, f"{site.base}/gone")
    assert request.state == CaptureRequest.State.CAPTURED
    assert WebCapture.objects.get(item=request.item).http_status == 404
    assert "Post deleted" in item_of(request).captured_text


def test_a_page_that_never_finishes_loading_is_kept_as_it_was_at_the_limit(
    case, case_officer, site
) -> None:
    started = time.monotonic()
    request = run(case, case_officer, f"{site.base}/slow")

    assert time.monotonic() - started < LIMIT + 5
    assert request.state == CaptureRequest.State.CAPTURED, request.failure
    web = WebCapture.objects.get(item=request.item)
    assert capture.NOTE_UNFINISHED in web.notes
    assert b"Loading for ever" in blob_read(web.html_blob_id)


def test_a_page_that_never_arrives_fails_saying_why(case, case_officer, site) -> None:
    started = time.monotonic()
    request = run(case, case_officer, f"{site.base}/hang")

    assert time.monotonic() - started < LIMIT + 5
    assert request.state == CaptureRequest.State.FAILED
    assert request.failure == capture.TOO_SLOW.format(seconds=LIMIT)
    assert request.item is None
    [failed] = events(EventKind.CAPTURE_FAILED, case)
    assert failed.payload == {"request": request.pk, "attempt": 1, "reason": "timeout"}
    assert not EvidenceItem.objects.filter(case=case).exists()


def test_a_huge_page_is_refused_and_nothing_is_kept(case, case_officer, site) -> None:
    assert HUGE_BYTES > 2 * 1024 * 1024
    request = run(case, case_officer, f"{site.base}/huge")

    assert request.state == CaptureRequest.State.FAILED
    assert request.failure == capture.TOO_BIG.format(mb="2")
    assert not EvidenceItem.objects.filter(case=case).exists()
    assert not Blob.objects.exists()


def test_a_download_the_page_starts_is_refused_and_the_page_kept(case, case_officer, site) -> None:
    request = run(case, case_officer, f"{site.base}/download-page")

    assert request.state == CaptureRequest.State.CAPTURED, request.failure
    web = WebCapture.objects.get(item=request.item)
    assert capture.NOTE_DOWNLOAD.format(url=f"{site.base}/file.bin") in web.notes
    warc = blob_read(web.warc_blob_id)
    assert b"DOWNLOADED-BYTES" not in warc
    assert all(b"DOWNLOADED-BYTES" not in blob_read(b.sha256) for b in Blob.objects.all())
    assert "A post that starts a download" in item_of(request).captured_text


def test_a_link_to_a_download_fails_saying_why(case, case_officer, site) -> None:
    request = run(case, case_officer, f"{site.base}/file.bin")
    assert request.state == CaptureRequest.State.FAILED
    assert request.failure == capture.IS_DOWNLOAD
    assert not Blob.objects.exists()


@pytest.mark.parametrize(
    ("path", "host"),
    [
        ("/to-metadata", "169.254.169.254"),  # link-local: the cloud metadata address
        ("/to-loopback", "localhost"),  # loopback, on a port not allowed
        ("/to-private", "10.0.0.7"),
    ],
)
def test_a_redirect_to_a_private_address_is_refused(case, case_officer, site, path, host) -> None:
    before = len(site.requests)
    request = run(case, case_officer, f"{site.base}{path}")

    assert request.state == CaptureRequest.State.FAILED
    assert request.failure == capture.PRIVATE_ADDRESS.format(host=host)
    assert request.failure_code == "private_address"
    asked = site.requests[before:]
    assert path in asked
    assert "/post/1" not in asked  # the loopback redirect's target was never asked for
    assert not EvidenceItem.objects.filter(case=case).exists()


def test_a_part_of_the_page_on_a_private_address_is_left_out(case, case_officer, site) -> None:
    before = len(site.requests)
    request = run(case, case_officer, f"{site.base}/peek")

    assert request.state == CaptureRequest.State.CAPTURED
    web = WebCapture.objects.get(item=request.item)
    assert capture.NOTE_PRIVATE.format(url=f"http://localhost:{site.port}/avatar.svg") in web.notes
    asked = site.requests[before:]
    assert "/peek" in asked and "/avatar.svg" not in asked


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://169.254.169.254/latest/meta-data/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",  # shared address space
        "http://[fe80::1]/",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url) -> None:
    with pytest.raises(capture.CaptureFailed) as refused:
        capture.address_check(url)
    assert refused.value.code == "private_address"


@pytest.mark.parametrize("url", ["ftp://example.org/", "file:///etc/passwd", "javascript:1", "x"])
def test_only_web_addresses_are_captured(url) -> None:
    with pytest.raises(capture.CaptureFailed) as refused:
        capture.address_check(url)
    assert refused.value.reason == capture.NOT_A_WEB_ADDRESS


def test_the_allowance_names_one_host_and_port_only(settings, site) -> None:
    capture.address_check(f"{site.base}/post/1")
    with pytest.raises(capture.CaptureFailed):
        capture.address_check(f"http://127.0.0.1:{site.port + 1}/")
    settings.CAPTURE_ALLOW_PRIVATE = []
    with pytest.raises(capture.CaptureFailed):
        capture.address_check(f"{site.base}/post/1")


def test_a_failed_capture_can_be_tried_again(settings, case, case_officer, investigator, site):
    settings.CAPTURE_MAX_BYTES = 1000
    failed = run(case, case_officer, f"{site.base}/post/1")
    assert failed.state == CaptureRequest.State.FAILED

    settings.CAPTURE_MAX_BYTES = 2 * 1024 * 1024
    again = capture_retry(actor=investigator, request=failed)
    assert (again.state, again.attempts, again.failure) == ("queued", 2, "")
    done = capture_run(request_id=again.pk)

    assert done.state == CaptureRequest.State.CAPTURED, done.failure
    assert item_of(done).number == 1
    [first, second] = events(EventKind.CAPTURE_REQUESTED, case)
    assert (first.payload["attempt"], second.payload["attempt"]) == (1, 2)
    assert second.actor_id == investigator.pk
    with pytest.raises(EvidenceRefused, match="Only a capture that failed"):
        capture_retry(actor=investigator, request=done)


def test_a_recapture_keeps_both_versions_and_compares_them(case, case_officer, site) -> None:
    first = item_of(run(case, case_officer, f"{site.base}/post/1"))
    same = item_of(capture_run(request_id=evidence_recapture(actor=case_officer, item=first).pk))
    site.edited = True
    try:
        again = evidence_recapture(actor=case_officer, item=first)
        edited = item_of(capture_run(request_id=again.pk))
    finally:
        site.edited = False

    assert [i.number for i in EvidenceItem.objects.filter(case=case)] == [1, 2, 3]
    unchanged = capture_comparison(same)
    assert unchanged is not None
    assert unchanged.earlier.number == 1 and unchanged.later.number == 2
    assert not unchanged.text_changed and unchanged.html_changed is False
    changed = capture_comparison(edited)
    assert changed is not None and changed.text_changed and changed.html_changed
    assert EDITED_TEXT in edited.captured_text and POST_TEXT in first.captured_text
    assert changed.earlier.html_sha256 == WebCapture.objects.get(item=first).html_blob_id
    assert changed.later.html_sha256 == WebCapture.objects.get(item=edited).html_blob_id
    assert changed.earlier.html_sha256 != changed.later.html_sha256
    assert capture_comparison(first) is None
    added = events(EventKind.EVIDENCE_ADDED, case)
    assert [e.payload["capture"]["recapture_of"] for e in added] == [None, first.pk, first.pk]


def test_a_closed_case_takes_no_capture(case, case_officer, site) -> None:
    case.closed_at = timezone.now()
    with pytest.raises(EvidenceRefused, match=CLOSED):
        capture_request(actor=case_officer, case=case, url=f"{site.base}/post/1")


def test_the_fetch_connects_to_the_address_checked_never_to_the_name_again(
    site: FixtureSite,
) -> None:
    """`pinned_fetch` never resolves the name: a host that resolves nowhere (.invalid) is
    fetched from the address it is given, the name sent as the Host header."""
    fetched = capture.pinned_fetch(
        f"http://nowhere.invalid:{site.port}/post/1",
        address="127.0.0.1",
        deadline=time.monotonic() + LIMIT,
        max_bytes=1024 * 1024,
    )
    assert fetched.status == 200 and POST_TEXT.encode() in fetched.body
    # A body past the bytes allowed is refused as it is read, not after.
    with pytest.raises(capture.FetchFailed, match="too_big"):
        capture.pinned_fetch(
            f"{site.base}/huge",
            address="127.0.0.1",
            deadline=time.monotonic() + LIMIT,
            max_bytes=64 * 1024,
        )


def test_a_name_that_rebinds_to_a_private_address_is_never_reached(
    case, case_officer, site: FixtureSite, settings, monkeypatch
) -> None:
    """DNS rebinding: the name resolves to a public address when checked and to this machine
    (the fixture site) any other time. Every fetch goes to the address checked, so the fixture
    site never hears from the capture (which fails: the public address is not reached here)."""
    settings.CAPTURE_ALLOW_PRIVATE = []
    public = "93.184.215.14"
    real = capture.socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        import inspect

        checking = any(f.function == "address_check" for f in inspect.stack())
        address = public if checking else "127.0.0.1"
        return real(address, port, *args, **kwargs)

    fetched_from: list[str] = []
    pinned = capture.pinned_fetch

    def spy(url, **kwargs):
        fetched_from.append(kwargs["address"])
        return pinned(url, **kwargs)

    monkeypatch.setattr(capture.socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(capture, "pinned_fetch", spy)
    before = len(site.requests)
    request = run(case, case_officer, f"http://rebind.example:{site.port}/post/1")
    assert request.state == CaptureRequest.State.FAILED
    assert fetched_from and set(fetched_from) == {public}
    assert len(site.requests) == before


def test_a_pinned_https_fetch_still_checks_the_certificate(tmp_path) -> None:
    """Connecting to an address, not a name, must not loosen TLS: a site whose certificate no
    authority signed is not fetched."""
    import datetime as dt
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    class Hello(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"hello")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(capture.FetchFailed, match="unreachable"):
            capture.pinned_fetch(
                f"https://localhost:{server.server_address[1]}/",
                address="127.0.0.1",
                deadline=time.monotonic() + LIMIT,
                max_bytes=1024,
            )
    finally:
        server.shutdown()
        server.server_close()
