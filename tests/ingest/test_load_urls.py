"""Guarded URL loading against real HTTP servers on 127.0.0.1; nothing here contacts any other address."""

from __future__ import annotations

import gzip
import importlib
import io
import ipaddress
import socket
import ssl
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import LoopbackServer, Route
from ingest_pages import ARTICLE_TEXT, LIVE_BLOG

from bot.errors import BadInput
from bot.ingest import load_and_parse
from bot.ingest.load import LoadPolicy, address_refusal, load, read_capped

load_module = importlib.import_module("bot.ingest.load")  # the module, to patch its address check

LOCAL = LoadPolicy(allow_private=True, timeout=5.0)
GUARDED = LoadPolicy(allow_private=False, timeout=5.0)


def refused(target: str, policy: LoadPolicy) -> str:
    with pytest.raises(BadInput) as caught:
        load(target, policy)
    return str(caught.value)


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Fails the test if any connection is attempted to an address other than 127.0.0.1; records the others."""
    made: list[tuple[str, int]] = []
    real = socket.create_connection

    def guarded(address: tuple[str, int], *args: Any, **kw: Any) -> socket.socket:
        assert address[0] == "127.0.0.1", f"tried to connect to {address[0]}"
        made.append(address)
        return real(address, *args, **kw)

    monkeypatch.setattr(socket, "create_connection", guarded)
    return made


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """A resolver answering from a table (no real DNS); counts lookups under the key "#calls"."""
    table: dict[str, list[str]] = {"#calls": []}

    def getaddrinfo(host: str, port: int, *args: Any, **kw: Any) -> list[tuple[Any, ...]]:
        try:
            answers = [str(ipaddress.ip_address(host))]  # connecting to an address needs no lookup: not counted
        except ValueError:
            table["#calls"].append(host)
            if host not in table:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
            answers = table[host]
        family = {True: socket.AF_INET6, False: socket.AF_INET}
        return [(family[":" in a], socket.SOCK_STREAM, 6, "", (a, port)) for a in answers]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


# --- pages that load ---------------------------------------------------------------------------------------------


def test_loads_a_page_from_loopback_when_private_addresses_are_allowed(server: LoopbackServer, loopback_only) -> None:
    url = server.page("/live", LIVE_BLOG)
    loaded = load(url, LOCAL)
    assert loaded.data == LIVE_BLOG.encode()
    assert loaded.content_type == "text/html; charset=utf-8"
    assert loaded.url == url and loaded.name == url
    assert server.requests[0][1]["user-agent"].startswith("Crosscheck/")


def test_the_same_url_is_refused_when_private_addresses_are_not_allowed(server: LoopbackServer) -> None:
    url = server.page("/live", LIVE_BLOG)
    assert refused(url, GUARDED) == "That URL points to a private network address, so I won't fetch it."
    assert server.requests == []  # refused before connecting


def test_load_and_parse_reads_a_served_live_blog(server: LoopbackServer, loopback_only) -> None:
    document = load_and_parse(server.page("/live", LIVE_BLOG), LOCAL)
    assert [u.headline for u in document.updates[1:]] == [
        "Port authority says half the berths are working",
        "Union says no ship has been unloaded since dawn",
        "Strike begins at the port of Lindmere",
    ]
    assert document.url == server.url("/live")
    assert document.canonical_url == server.url("/live/harbour-strike")


def test_plain_text_page_loads(server: LoopbackServer, loopback_only) -> None:
    document = load_and_parse(server.page("/story.txt", ARTICLE_TEXT, "text/plain; charset=utf-8"), LOCAL)
    assert document.updates[0].paragraphs[0].text.startswith("The dockers' union said")


def test_a_page_without_content_type_is_sniffed(server: LoopbackServer, loopback_only) -> None:
    document = load_and_parse(server.page("/bare", LIVE_BLOG, content_type=""), LOCAL)
    assert document.title == "Harbour strike live: dockers and port authority trade claims"


def test_gzip_body_is_decompressed(server: LoopbackServer, loopback_only) -> None:
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    server.routes["/gz"] = Route(body=gzip.compress(LIVE_BLOG.encode()), headers=headers)
    assert load(server.url("/gz"), LOCAL).data == LIVE_BLOG.encode()


def test_gzip_bomb_is_refused_once_uncompressed(server: LoopbackServer, loopback_only) -> None:
    bomb = gzip.compress(b" " * 3_000_000)  # about 3 KB on the wire
    server.routes["/bomb"] = Route(body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    message = refused(server.url("/bomb"), LoadPolicy(allow_private=True, max_bytes=1_000_000))
    assert message == "That page is over the 1 MB limit once uncompressed."


# --- schemes, credentials and address forms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["file:///etc/passwd", "ftp://127.0.0.1/pub/a.txt", "gopher://127.0.0.1:70/1", "data:text/html,<p>hi</p>",
     "javascript:alert(1)", "FILE:///etc/hostname"],
)  # fmt: skip
def test_non_http_schemes_are_refused(target: str, loopback_only) -> None:
    message = refused(target, LOCAL)
    assert message.startswith("I can only fetch http and https URLs")
    assert loopback_only == []


@pytest.mark.parametrize(
    "host",
    ["2130706433", "0x7f.1", "0x7f000001", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]", "[::1]", "localhost",
     "127.0.0.1.", "[::ffff:7f00:1]"],
)  # fmt: skip
def test_loopback_in_any_spelling_is_refused(server: LoopbackServer, host: str, loopback_only) -> None:
    server.page("/live", LIVE_BLOG)
    message = refused(f"http://{host}:{server.port}/live", GUARDED)
    assert message == "That URL points to a private network address, so I won't fetch it."
    assert loopback_only == [] and server.requests == []


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "0177.0.0.1", "127.1"])
def test_old_ipv4_spellings_really_mean_loopback(server: LoopbackServer, host: str, loopback_only) -> None:
    # allowed, the same spellings reach our loopback server: the refusal above is about the address itself
    server.page("/live", LIVE_BLOG)
    assert load(f"http://{host}:{server.port}/live", LOCAL).data == LIVE_BLOG.encode()
    assert loopback_only == [("127.0.0.1", server.port)]


def test_credentials_in_a_url_are_refused(server: LoopbackServer) -> None:
    message = refused(f"http://user:secret@127.0.0.1:{server.port}/live", LOCAL)
    assert message == "I won't fetch a URL that carries a user name or password."


@pytest.mark.parametrize(
    "address, refusal",
    [
        ("10.0.0.7", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("100.64.0.1", "private"),
        ("169.254.10.10", "private"), ("0.0.0.0", "reserved"), ("224.0.0.1", "reserved"), ("240.0.0.1", "private"),
        ("255.255.255.255", "private"), ("::", "reserved"), ("fe80::1", "private"), ("fc00::1", "private"),
        ("ff02::1", "reserved"), ("::ffff:10.0.0.1", "private"), ("2002:7f00:1::", "private"),
        ("64:ff9b::a00:1", "private"), ("169.254.169.254", "cloud metadata"), ("fd00:ec2::254", "cloud metadata"),
        ("::ffff:169.254.169.254", "cloud metadata"), ("100.100.100.200", "cloud metadata"),
    ],
)  # fmt: skip
def test_address_refusals(address: str, refusal: str) -> None:
    message = address_refusal(ipaddress.ip_address(address), allow_private=False)
    assert message is not None and f"a {refusal} " in message


def test_metadata_and_multicast_stay_refused_when_private_is_allowed() -> None:
    for address in ("169.254.169.254", "fd00:ec2::254", "0.0.0.0", "224.0.0.251"):
        assert address_refusal(ipaddress.ip_address(address), allow_private=True) is not None
    for address in ("127.0.0.1", "10.1.2.3", "::1", "192.168.0.10"):
        assert address_refusal(ipaddress.ip_address(address), allow_private=True) is None
    assert address_refusal(ipaddress.ip_address("93.184.215.14"), allow_private=False) is None


def test_metadata_url_is_refused_even_when_private_is_allowed(loopback_only) -> None:
    message = refused("http://169.254.169.254/latest/meta-data/", LOCAL)
    assert message == "That URL points to a cloud metadata address, so I won't fetch it."
    assert loopback_only == []


# --- DNS: resolved once, checked, pinned -------------------------------------------------------------------------


def test_a_name_that_resolves_to_a_private_address_is_refused(fake_dns, loopback_only) -> None:
    fake_dns["intranet.test"] = ["10.20.30.40"]
    message = refused("http://intranet.test/wiki", GUARDED)
    assert message == "That URL points to a private network address, so I won't fetch it."
    assert loopback_only == []


def test_a_name_with_any_private_answer_is_refused(fake_dns, loopback_only) -> None:
    # one answer looks public, one is loopback: neither is trusted, and nothing is contacted
    fake_dns["mixed.test"] = ["93.184.215.14", "127.0.0.1"]
    assert "private network address" in refused("http://mixed.test/", GUARDED)
    assert loopback_only == []


def test_unknown_host_is_a_sentence(fake_dns) -> None:
    assert refused("http://nowhere.test/", GUARDED) == "I couldn't find the host nowhere.test; check the URL."


def test_the_host_is_resolved_once_and_the_checked_address_is_used(
    server: LoopbackServer, fake_dns, loopback_only
) -> None:
    fake_dns["news.test"] = ["127.0.0.1"]
    server.page("/live", LIVE_BLOG)
    loaded = load(f"http://news.test:{server.port}/live", LOCAL)
    assert loaded.data == LIVE_BLOG.encode()
    assert fake_dns["#calls"] == ["news.test"]  # one lookup: no second answer can replace the checked one
    assert loopback_only == [("127.0.0.1", server.port)]  # the socket went to the address, not the name
    assert server.requests[0][1]["host"] == f"news.test:{server.port}"  # while the server saw the name


# --- redirects ---------------------------------------------------------------------------------------------------


def test_redirects_are_followed_and_the_final_url_kept(server: LoopbackServer, loopback_only) -> None:
    server.page("/live", LIVE_BLOG)
    server.redirect("/old", "/moved", 301)
    server.redirect("/moved", server.url("/live"), 308)
    loaded = load(server.url("/old"), LOCAL)
    assert loaded.data == LIVE_BLOG.encode() and loaded.url == server.url("/live")
    assert [path for path, _ in server.requests] == ["/old", "/moved", "/live"]


def test_redirect_to_a_private_address_is_refused(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch, loopback_only
) -> None:
    # treat our loopback server as the one public site, keeping every other address guarded
    real = load_module.address_refusal

    def only_our_server(address: Any, *, allow_private: bool, redirect: bool = False) -> str | None:
        if str(address) == "127.0.0.1":
            return None
        return real(address, allow_private=False, redirect=redirect)

    monkeypatch.setattr(load_module, "address_refusal", only_our_server)
    server.redirect("/go", "http://10.0.0.5/admin")
    message = refused(server.url("/go"), GUARDED)
    assert message == "That URL redirects to a private network address, so I won't fetch it."
    server.redirect("/go6", "http://[::ffff:192.168.0.1]/")
    assert "redirects to a private network address" in refused(server.url("/go6"), GUARDED)
    assert [path for path, _ in server.requests] == ["/go", "/go6"]


def test_redirect_to_metadata_is_refused(server: LoopbackServer, loopback_only) -> None:
    server.redirect("/go", "http://169.254.169.254/latest/meta-data/iam/")
    assert refused(server.url("/go"), LOCAL) == "That URL redirects to a cloud metadata address, so I won't fetch it."


def test_redirect_to_a_name_resolving_to_a_private_address_is_refused(
    server: LoopbackServer, fake_dns, loopback_only
) -> None:
    fake_dns["news.test"] = ["127.0.0.1"]
    fake_dns["internal.test"] = ["169.254.169.254"]
    server.redirect("/go", "http://internal.test/")
    message = refused(f"http://news.test:{server.port}/go", LOCAL)
    assert message == "That URL redirects to a cloud metadata address, so I won't fetch it."


def test_redirect_to_another_scheme_is_refused(server: LoopbackServer, loopback_only) -> None:
    server.redirect("/go", "file:///etc/passwd")
    assert refused(server.url("/go"), LOCAL) == "That URL redirects to a file: address; I follow only http and https."


def test_redirect_loop(server: LoopbackServer, loopback_only) -> None:
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    assert refused(server.url("/a"), LOCAL) == "That URL redirects in a loop, so I stopped following it."


def test_too_many_redirects(server: LoopbackServer, loopback_only) -> None:
    for n in range(1, 8):
        server.redirect(f"/r{n}", f"/r{n + 1}")
    server.page("/r8", LIVE_BLOG)
    message = refused(server.url("/r1"), LoadPolicy(allow_private=True, max_redirects=5))
    assert message == "That URL redirected more than 5 times, so I stopped following it."
    assert len(server.requests) == 6
    assert load(server.url("/r1"), LoadPolicy(allow_private=True, max_redirects=7)).data == LIVE_BLOG.encode()


# --- timeouts, sizes, types, statuses ----------------------------------------------------------------------------


def _stall(handler: BaseHTTPRequestHandler, release: threading.Event) -> None:
    release.wait(10)  # answers nothing until the test ends


def _drip(handler: BaseHTTPRequestHandler, release: threading.Event) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    while not release.is_set():  # a byte every 50 ms: each read is quick, the whole never ends
        handler.wfile.write(b"x")
        handler.wfile.flush()
        release.wait(0.05)


def test_a_silent_server_times_out(server: LoopbackServer, loopback_only) -> None:
    url = server.handle("/slow", _stall)
    message = refused(url, LoadPolicy(allow_private=True, timeout=0.3))
    assert message == "I couldn't reach 127.0.0.1: the connection timed out after 0.3 seconds."


def test_a_dripping_server_hits_the_total_timeout(server: LoopbackServer, loopback_only) -> None:
    url = server.handle("/drip", _drip)
    message = refused(url, LoadPolicy(allow_private=True, timeout=0.4))
    assert message == "I couldn't reach 127.0.0.1: the connection timed out after 0.4 seconds."


def test_a_declared_oversized_page_is_refused_before_reading(server: LoopbackServer, loopback_only) -> None:
    def declare(handler: BaseHTTPRequestHandler, release: threading.Event) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "12000000")
        handler.end_headers()
        handler.wfile.write(b"<p>" * 1000)
        release.wait(10)

    url = server.handle("/big", declare)
    assert refused(url, LoadPolicy(allow_private=True)) == "That page is 12 MB; the limit is 5 MB."


def test_an_undeclared_oversized_page_is_cut_off_while_streaming(server: LoopbackServer, loopback_only) -> None:
    def endless(handler: BaseHTTPRequestHandler, release: threading.Event) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        chunk = b"<p>more words</p>" * 4000
        for _ in range(400):  # up to 27 MB, far past the cap
            handler.wfile.write(chunk)

    url = server.handle("/endless", endless)
    message = refused(url, LoadPolicy(allow_private=True, max_bytes=200_000))
    assert message == "That page is over the 200 KB limit."


class _CountingStream:
    """A body that never ends, counting what is read from it."""

    def __init__(self) -> None:
        self.read_total = 0

    def read1(self, size: int = -1) -> bytes:
        assert size > 0
        self.read_total += size
        return b"a" * size


def test_the_cap_never_reads_more_than_one_byte_past_the_limit() -> None:
    for cap in (1, 1000, 65536, 100_000, 5_000_000):
        stream = _CountingStream()
        with pytest.raises(BadInput):
            read_capped(stream, cap, time.monotonic() + 5)
        assert stream.read_total == cap + 1
    assert read_capped(io.BufferedReader(io.BytesIO(b"short body")), 10, time.monotonic() + 5) == b"short body"


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json", "video/mp4"])
def test_wrong_content_types_are_refused(server: LoopbackServer, content_type: str, loopback_only) -> None:
    url = server.page("/file", b"%PDF-1.7 not really", content_type)
    message = refused(url, LOCAL)
    assert message == f"That URL serves {content_type}, not a web page or plain text, so I can't read it."


@pytest.mark.parametrize("content_type", ["text/html", "TEXT/HTML; charset=UTF-8", "application/xhtml+xml"])
def test_allowed_content_types(server: LoopbackServer, content_type: str, loopback_only) -> None:
    assert load(server.page("/p", LIVE_BLOG, content_type), LOCAL).content_type == content_type


def test_error_status_is_a_sentence(server: LoopbackServer, loopback_only) -> None:
    assert refused(server.url("/missing"), LOCAL) == "I couldn't fetch that page: 127.0.0.1 answered 404 Not Found."


def test_refused_connection_is_a_sentence(loopback_only) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert refused(f"http://127.0.0.1:{port}/", LOCAL) == "I couldn't reach 127.0.0.1: the connection was refused."


def test_garbage_instead_of_http_is_a_sentence(loopback_only) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def answer() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(4096)
            conn.sendall(b"SSH-2.0-OpenSSH_9.0\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        message = refused(f"http://127.0.0.1:{port}/", LOCAL)
    finally:
        thread.join(5)
        listener.close()
    assert message == "I couldn't read the answer from 127.0.0.1: it was not valid HTTP."


def test_files_can_be_switched_off_for_chat_users(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE_TEXT)
    policy = LoadPolicy(allow_files=False)
    assert refused(str(path), policy) == "I can only read web pages here: give me an http or https URL."
    assert refused("-", policy) == "I can only read web pages here: give me an http or https URL."


# --- https: SNI and the certificate use the host name ------------------------------------------------------------


def _certificate(tmp_path: Path, name: str) -> tuple[Path, Path]:
    crypto = pytest.importorskip("cryptography")
    del crypto
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def test_https_keeps_sni_and_certificate_checks_on_the_host_name(tmp_path: Path, fake_dns, loopback_only) -> None:
    cert_path, key_path = _certificate(tmp_path, "news.test")
    seen_sni: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    context.sni_callback = lambda sock, name, ctx: seen_sni.append(name)  # type: ignore[assignment,misc]
    body = LIVE_BLOG.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    fake_dns["news.test"] = ["127.0.0.1"]
    fake_dns["other.test"] = ["127.0.0.1"]
    try:
        policy = LoadPolicy(allow_private=True, ca_file=str(cert_path), timeout=5.0)
        assert load(f"https://news.test:{port}/live", policy).data == body
        assert seen_sni[0] == "news.test"
        message = refused(f"https://other.test:{port}/live", policy)
        assert message == "I couldn't reach other.test: its certificate could not be verified."
        without_ca = LoadPolicy(allow_private=True, timeout=5.0)
        assert "certificate could not be verified" in refused(f"https://news.test:{port}/live", without_ca)
    finally:
        httpd.shutdown()
        httpd.server_close()
