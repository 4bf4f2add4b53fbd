"""Loading an article's bytes from a URL, a file or stdin, guarded: the only network I/O of the core.

URLs: http and https only, one total timeout, a size cap enforced while streaming, allowed content types, redirects
followed by hand with every hop checked again, and no private, loopback, link-local, multicast, reserved or cloud
metadata addresses unless the policy allows private ones. Each host is resolved once and the connection goes to the
checked address (a DNS answer that changes between check and connect cannot slip through); the Host header and
TLS SNI / certificate check still use the host name.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
import stat
import sys
import threading
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import quote, urljoin, urlsplit

from bot.errors import BadInput
from bot.ingest.decode import media_type

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = "Crosscheck/0.1 (news claim cross-referencing bot)"
# Cloud instance-metadata endpoints: refused even when private addresses are allowed, since a bot never needs them
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.170.23",  # AWS EKS pod identity
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
        "fd00:ec2::254",  # AWS over IPv6
        "fd00:ec2::23",  # AWS EKS pod identity over IPv6
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_CHUNK = 65536
_URL_SAFE = "/%:@!$&'()*+,;=-._~"


class _Chunked(Protocol):
    def read1(self, size: int = ..., /) -> bytes: ...


@dataclass
class Loaded:
    """Bytes as loaded, with what the source said about them. ``name`` is the file name or the URL.

    ``status`` 304 (empty ``data``) answers a conditional request: the page has not changed. ``headers`` keeps the
    response's validators (lower-case ``etag`` and ``last-modified``) for the next conditional request.
    """

    data: bytes
    content_type: str | None
    url: str | None
    name: str | None
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadPolicy:
    """Limits for one load. ``timeout`` bounds the whole fetch, redirects included.

    ``allow_private`` lets URLs reach private, loopback and link-local addresses (tests, intranet deployments);
    cloud-metadata, multicast and unspecified addresses stay refused. ``allow_files`` lets a target be a local path
    or "-" (stdin): true for the command line, false wherever the target comes from a chat user.
    ``ca_file`` adds certificate authorities for https (a company proxy's, a test server's).
    """

    max_bytes: int = 5_000_000
    timeout: float = 10.0
    allow_private: bool = False
    max_redirects: int = 5
    allow_files: bool = True
    ca_file: str | None = None


def load(target: str, policy: LoadPolicy) -> Loaded:
    """Loads a path, an http(s) URL, or "-" (stdin bytes); raises BadInput with a sentence when it can't."""
    target = target.strip()
    if not target:
        raise BadInput("Give me a URL, a file name, or - for text on standard input.")
    if _is_url(target):
        return fetch(target, policy)
    if not policy.allow_files:
        raise BadInput("I can only read web pages here: give me an http or https URL.")
    if target == "-":
        return _load_stdin(sys.stdin.buffer, policy)
    return _load_file(Path(target).expanduser(), policy)


def _is_url(target: str) -> bool:
    """A target with a scheme ("https://", "file:", "gopher:") is a URL, unless it names an existing file."""
    if "://" in target:
        return True
    scheme, sep, _ = target.partition(":")
    if not sep or len(scheme) < 2 or not scheme.replace("+", "").replace("-", "").replace(".", "").isalnum():
        return False
    return not Path(target).exists()


def describe_size(n: int) -> str:
    """Bytes for people: "12 MB", "1.5 MB", "640 KB" (decimal units, as the limits are set)."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}".removesuffix(".0") + " MB"
    if n >= 1_000:
        return f"{n / 1_000:.0f} KB"
    return f"{n} bytes"


def _seconds(value: float) -> str:
    return f"{value:g} second" + ("" if value == 1 else "s")


# --- files and stdin ---------------------------------------------------------------------------------------------

_SUFFIX_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/plain",
}


def _load_file(path: Path, policy: LoadPolicy) -> Loaded:
    shown = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise BadInput(f"{shown} is a folder; give me a file in it.")
        if not stat.S_ISREG(info.st_mode):
            # devices and pipes can be endless (/dev/zero); a regular file has a size to check first
            raise BadInput(f"{shown} is not a regular file, so I won't read it.")
        if info.st_size > policy.max_bytes:
            raise BadInput(
                f"That file is {describe_size(info.st_size)}; the limit is {describe_size(policy.max_bytes)}."
            )
        with path.open("rb") as handle:
            data = handle.read(policy.max_bytes + 1)
    except FileNotFoundError:
        if _looks_like_address(shown):
            raise BadInput(f"I couldn't find the file {shown}; for a web page, start it with https://.") from None
        raise BadInput(f"I couldn't find the file {shown}.") from None
    except PermissionError:
        raise BadInput(f"I'm not allowed to read the file {shown}.") from None
    except OSError as error:
        raise BadInput(f"I couldn't read the file {shown}: {error.strerror or error}.") from None
    if len(data) > policy.max_bytes:  # it grew after the size check
        raise BadInput(f"That file is over the {describe_size(policy.max_bytes)} limit.")
    return Loaded(data=data, content_type=_SUFFIX_TYPES.get(path.suffix.lower()), url=None, name=path.name)


def _looks_like_address(target: str) -> bool:
    """ "www.example.org/story" rather than "notes/story.txt": a dotted first part that is not a file suffix."""
    first = target.split("/", 1)[0]
    return (
        " " not in target
        and first.count(".") >= 1
        and first.rsplit(".", 1)[-1].isalpha()
        and (first.startswith("www.") or "/" in target)
    )


def _load_stdin(stream: BinaryIO, policy: LoadPolicy) -> Loaded:
    data = stream.read(policy.max_bytes + 1)
    if len(data) > policy.max_bytes:
        raise BadInput(f"That input is over the {describe_size(policy.max_bytes)} limit.")
    return Loaded(data=data, content_type=None, url=None, name="stdin")


# --- addresses ---------------------------------------------------------------------------------------------------


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address carried inside an IPv6 one (mapped, 6to4, Teredo client, NAT64, IPv4-compatible)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64 or int(address) >> 32 == 0:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(address: IPAddress, *, allow_private: bool, redirect: bool = False) -> str | None:
    """Why a connection to ``address`` is refused (a sentence), or None when it is allowed."""
    subject = "That URL redirects to" if redirect else "That URL points to"
    embedded = _embedded_ipv4(address)
    candidates: list[IPAddress] = [address] if embedded is None else [address, embedded]
    # the most specific reason first: a mapped metadata address is reported as metadata, not as private
    if any(c in METADATA for c in candidates):
        return f"{subject} a cloud metadata address, so I won't fetch it."
    if any(c.is_unspecified or c.is_multicast for c in candidates):
        return f"{subject} a reserved network address, so I won't fetch it."
    if not allow_private and any(_internal(c) for c in candidates):
        return f"{subject} a private network address, so I won't fetch it."
    return None


def _internal(address: IPAddress) -> bool:
    """Not on the public internet: private, loopback, link-local, shared (CGNAT), reserved, documentation ranges."""
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
    )


def _literal_address(host: str) -> IPAddress | None:
    """An address written in the URL itself, including the old IPv4 forms (2130706433, 0x7f.1, 0177.0.0.1)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host) and host[0].isdigit():
        try:
            # inet_aton reads decimal, octal, hex and short dotted forms the way C resolvers do
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _resolve(host: str, port: int, deadline: float) -> list[IPAddress]:
    """Every address ``host`` resolves to, within the fetch's deadline (getaddrinfo has no timeout of its own)."""
    answers: list[tuple[int, object]] = []
    failed: list[BaseException] = []

    def work() -> None:
        try:
            answers.extend((info[0], info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as error:
            failed.append(error)

    worker = threading.Thread(target=work, name="crosscheck-resolve", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        raise TimeoutError
    if failed:
        log.info("resolving %s failed: %r", host, failed[0])
        raise BadInput(f"I couldn't find the host {host}; check the URL.")
    addresses: list[IPAddress] = []
    for family, raw in answers:
        if family in (socket.AF_INET, socket.AF_INET6):
            address = ipaddress.ip_address(str(raw).split("%")[0])
            if address not in addresses:
                addresses.append(address)
    if not addresses:
        raise BadInput(f"I couldn't find the host {host}; check the URL.")
    return addresses


# --- URLs --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # for the Host header, SNI and messages
    port: int
    path: str
    address: IPAddress


def _check_url(url: str, policy: LoadPolicy, deadline: float, *, redirect: bool) -> _Target:
    """Parses and checks one URL (scheme, credentials, port, every address it resolves to)."""
    subject = "That URL redirects to" if redirect else "That URL points to"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise BadInput(f"{subject} an address I can't parse; check the URL.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"a {scheme}: address" if scheme else "an address without http:// or https://"
        if redirect:
            raise BadInput(f"That URL redirects to {shown}; I follow only http and https.")
        raise BadInput(f"I can only fetch http and https URLs, not {shown}.")
    if parts.username is not None or parts.password is not None:
        raise BadInput("I won't fetch a URL that carries a user name or password.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BadInput(f"{subject} no host; check the URL.")
    try:
        # non-ASCII host names go on the wire in their IDNA form
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise BadInput(f"The host name {host} is not valid.") from None
    port = port or (443 if scheme == "https" else 80)
    literal = _literal_address(host)
    addresses = [literal] if literal is not None else _resolve(host, port, deadline)
    # every answer must pass: a name that also resolves to an internal address is not trusted with either
    for address in addresses:
        refusal = address_refusal(address, allow_private=policy.allow_private, redirect=redirect)
        if refusal:
            log.info("refused %s: %s resolves to %s", url, host, address)
            raise BadInput(refusal)
    path = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_URL_SAFE + "?")
    return _Target(url=url, scheme=scheme, host=host, port=port, path=path, address=addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Talks to ``host`` (Host header) over a socket to the already-checked ``address``."""

    def __init__(self, host: str, port: int, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = str(address)

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned_address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above over TLS: SNI and the certificate check use the host name, not the address."""

    def __init__(self, host: str, port: int, address: IPAddress, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self.pinned_address = str(address)
        self.pinned_context = context

    def connect(self) -> None:
        sock = socket.create_connection((self.pinned_address, self.port), self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self.pinned_context.wrap_socket(sock, server_hostname=self.host)


def _ssl_context(policy: LoadPolicy) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if policy.ca_file:
        context.load_verify_locations(cafile=policy.ca_file)
    return context


def fetch(url: str, policy: LoadPolicy, headers: Mapping[str, str] | None = None) -> Loaded:
    """GETs ``url`` under ``policy``; see the module docstring for the guards.

    ``headers`` adds request headers: a poller's If-None-Match / If-Modified-Since, answered by a 304 ``Loaded``.
    """
    deadline = time.monotonic() + policy.timeout
    seen: set[str] = set()
    current = url
    for hop in range(policy.max_redirects + 1):
        try:
            target = _check_url(current, policy, deadline, redirect=hop > 0)
        except TimeoutError:
            host = urlsplit(current).hostname or current
            raise BadInput(f"I couldn't reach {host}: looking up its address timed out.") from None
        seen.add(current.split("#")[0])
        try:
            result = _get(target, policy, deadline, headers or {})
        except TimeoutError:
            raise BadInput(
                f"I couldn't reach {target.host}: the connection timed out after {_seconds(policy.timeout)}."
            ) from None
        except ssl.SSLCertVerificationError as error:
            log.info("certificate of %s refused: %s", target.host, error)
            raise BadInput(f"I couldn't reach {target.host}: its certificate could not be verified.") from None
        except ssl.SSLError as error:
            log.info("TLS with %s failed: %s", target.host, error)
            raise BadInput(f"I couldn't reach {target.host}: the secure connection failed.") from None
        except ConnectionRefusedError:
            raise BadInput(f"I couldn't reach {target.host}: the connection was refused.") from None
        except http.client.HTTPException as error:
            log.info("bad HTTP from %s: %r", target.host, error)
            raise BadInput(f"I couldn't read the answer from {target.host}: it was not valid HTTP.") from None
        except OSError as error:
            log.info("connection to %s failed: %r", target.host, error)
            reason = error.strerror or "the connection failed"
            raise BadInput(f"I couldn't reach {target.host}: {reason[0].lower() + reason[1:]}.") from None
        if isinstance(result, str):  # a redirect's Location
            following = urljoin(current, result)
            if following.split("#")[0] in seen:
                raise BadInput("That URL redirects in a loop, so I stopped following it.")
            current = following
            continue
        return result
    raise BadInput(f"That URL redirected more than {policy.max_redirects} times, so I stopped following it.")


def _get(target: _Target, policy: LoadPolicy, deadline: float, headers: Mapping[str, str]) -> Loaded | str:
    """One request: the page, or the Location of a redirect."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target.host, target.port, target.address, remaining, _ssl_context(policy))
    else:
        connection = _PinnedHTTPConnection(target.host, target.port, target.address, remaining)
    try:
        connection.putrequest("GET", target.path, skip_accept_encoding=True)
        connection.putheader("User-Agent", USER_AGENT)
        connection.putheader("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9")
        connection.putheader("Accept-Encoding", "gzip, deflate")
        connection.putheader("Connection", "close")
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        if response.status in REDIRECTS:
            location = response.getheader("Location")
            if not location:
                raise BadInput(f"{target.host} answered with a redirect but did not say where to.")
            return location.strip()
        validators = {k: v for k in ("etag", "last-modified") if (v := response.getheader(k))}
        if response.status == 304 and headers:
            return Loaded(data=b"", content_type=None, url=target.url, name=target.url, status=304, headers=validators)
        if not 200 <= response.status < 300:
            raise BadInput(
                f"I couldn't fetch that page: {target.host} answered {response.status} {response.reason}.".rstrip()
            )
        content_type = response.getheader("Content-Type")
        mime, _ = media_type(content_type)
        if mime is not None and mime not in ALLOWED_TYPES:
            raise BadInput(f"That URL serves {mime}, not a web page or plain text, so I can't read it.")
        length = response.getheader("Content-Length")
        if length and length.strip().isdigit() and int(length) > policy.max_bytes:
            raise BadInput(
                f"That page is {describe_size(int(length))}; the limit is {describe_size(policy.max_bytes)}."
            )
        data = read_capped(response, policy.max_bytes, deadline, connection.sock)
        encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
        data = _decompress(data, encoding, policy.max_bytes)
        return Loaded(data=data, content_type=content_type, url=target.url, name=target.url, headers=validators)
    finally:
        connection.close()


def read_capped(stream: _Chunked, max_bytes: int, deadline: float, sock: object = None) -> bytes:
    """Reads until EOF but never more than ``max_bytes + 1`` bytes; over the cap is a refusal, not a truncation."""
    chunks: list[bytes] = []
    total = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        if isinstance(sock, socket.socket):
            sock.settimeout(remaining)  # a server dripping bytes must not stretch the total timeout
        chunk = stream.read1(min(_CHUNK, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise BadInput(f"That page is over the {describe_size(max_bytes)} limit.")


def _decompress(data: bytes, encoding: str, max_bytes: int) -> bytes:
    """Undoes gzip/deflate with the same cap on the result (a small compressed body can expand enormously)."""
    if encoding in ("identity", ""):
        return data
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise BadInput(f"That page came {encoding}-compressed, which I can't read.")
    # wbits 47 reads gzip and zlib headers; raw deflate (which some servers send as "deflate") needs -15
    for wbits in (47, -15):
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(data, max_bytes + 1)
        except zlib.error:
            continue
        if len(out) > max_bytes:
            raise BadInput(f"That page is over the {describe_size(max_bytes)} limit once uncompressed.")
        return out
    raise BadInput("That page's compressed body is damaged, so I can't read it.")
