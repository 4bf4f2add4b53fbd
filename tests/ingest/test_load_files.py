"""Loading files and stdin, and decoding what was loaded: sizes, binary content, encodings, empty input."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from ingest_pages import ARTICLE_TEXT, LIVE_BLOG

from bot.errors import BadInput
from bot.ingest import Loaded, LoadPolicy, load_and_parse, parse
from bot.ingest.decode import decode, looks_like_html
from bot.ingest.load import load

POLICY = LoadPolicy()


def refused_load(target: str, policy: LoadPolicy = POLICY) -> str:
    with pytest.raises(BadInput) as caught:
        load(target, policy)
    return str(caught.value)


def refused_parse(data: bytes, content_type: str | None = None) -> str:
    with pytest.raises(BadInput) as caught:
        parse(Loaded(data=data, content_type=content_type, url=None, name="sample"))
    return str(caught.value)


def test_a_text_file_loads_with_its_name_and_type(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE_TEXT, encoding="utf-8")
    loaded = load(str(path), POLICY)
    assert (loaded.data, loaded.content_type, loaded.url, loaded.name) == (
        ARTICLE_TEXT.encode(),
        "text/plain",
        None,
        "story.txt",
    )
    document = load_and_parse(str(path), POLICY)
    assert document.name == "story.txt"
    assert document.updates[0].paragraphs[1].text.startswith("The port authority said")


def test_an_html_file_is_parsed_as_html(tmp_path: Path) -> None:
    path = tmp_path / "live.html"
    path.write_text(LIVE_BLOG, encoding="utf-8")
    document = load_and_parse(str(path), POLICY)
    assert document.title == "Harbour strike live: dockers and port authority trade claims"
    assert len(document.updates) == 4


def test_a_50_mb_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: costs no disk and no time
    assert refused_load(str(path)) == "That file is 50 MB; the limit is 5 MB."
    assert refused_load(str(path), LoadPolicy(max_bytes=49_999_999)) == "That file is 50 MB; the limit is 50 MB."


def test_a_file_one_byte_over_a_small_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(b"x" * 1001)
    assert refused_load(str(path), LoadPolicy(max_bytes=1000)) == "That file is 1 KB; the limit is 1 KB."
    path.write_bytes(b"x" * 1000)
    assert len(load(str(path), LoadPolicy(max_bytes=1000)).data) == 1000


def test_missing_file_folder_and_device(tmp_path: Path) -> None:
    assert refused_load(str(tmp_path / "nope.txt")) == f"I couldn't find the file {tmp_path / 'nope.txt'}."
    assert refused_load(str(tmp_path)) == f"{tmp_path} is a folder; give me a file in it."
    if Path("/dev/zero").exists():
        assert refused_load("/dev/zero") == "/dev/zero is not a regular file, so I won't read it."


def test_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(ARTICLE_TEXT)
    path.chmod(0)
    try:
        if path.open("rb").readable():  # running as root: permissions do not apply
            pytest.skip("file permissions are not enforced for this user")
    except PermissionError:
        assert refused_load(str(path)) == f"I'm not allowed to read the file {path}."
    finally:
        path.chmod(0o600)


def test_a_file_name_with_a_colon_is_still_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes:draft.txt").write_text(ARTICLE_TEXT)
    assert load("notes:draft.txt", POLICY).name == "notes:draft.txt"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE_TEXT.encode())))
    loaded = load("-", POLICY)
    assert loaded.data == ARTICLE_TEXT.encode() and loaded.name == "stdin"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"y" * 2001)))
    assert refused_load("-", LoadPolicy(max_bytes=2000)) == "That input is over the 2 KB limit."


def test_empty_input_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(BadInput, match="^That input is empty; there is nothing to read.$"):
        load_and_parse(str(path), POLICY)
    assert refused_parse(b"  \n\t \n") == "That input is empty; there is nothing to read."
    assert refused_load("   ") == "Give me a URL, a file name, or - for text on standard input."


def test_binary_content_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(b"Ordinary words\x00\x01\x02\x00 then more" * 10)
    with pytest.raises(BadInput, match="binary file"):
        load_and_parse(str(path), POLICY)
    controls = bytes(range(1, 9)) * 200  # decodes as UTF-8 but is not text
    assert refused_parse(controls) == "That looks like a binary file, not text or HTML, so I can't read it."


@pytest.mark.parametrize(
    "data, what",
    [(b"%PDF-1.7\n...", "a PDF document"), (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"PK\x03\x04rest", "a ZIP archive")],
)
def test_known_binary_formats_are_named(data: bytes, what: str) -> None:
    assert refused_parse(data).startswith(f"That looks like {what}")


def test_non_utf8_without_a_declared_charset_is_refused_not_guessed() -> None:
    latin1 = "The café owner said the strike had emptied the terrace.".encode("latin-1")
    assert refused_parse(latin1) == (
        "That text is not valid UTF-8 and declares no other encoding I can use, so I won't guess; "
        "please save it as UTF-8."
    )


def test_declared_charsets_are_used_when_the_bytes_are_not_utf8() -> None:
    sentence = "The café owner said the strike had emptied the terrace “for good”."
    assert decode(sentence.encode("cp1252"), "text/plain; charset=windows-1252") == sentence
    # Latin-1 labels mean windows-1252 on the web (WHATWG), so curly quotes survive
    assert decode(sentence.encode("cp1252"), "text/html; charset=ISO-8859-1") == sentence
    page = f'<html><head><meta charset="windows-1252"></head><body><p>{sentence}</p></body></html>'
    assert sentence in decode(page.encode("cp1252"))
    http_equiv = f'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"><p>{sentence[:40]}</p>'
    assert sentence[:40] in decode(http_equiv.encode("iso-8859-15"))


def test_a_declared_charset_that_does_not_fit_is_refused() -> None:
    with pytest.raises(BadInput, match="does not decode as the shift_jis it declares"):
        decode(b"\x81\x20 words \xff\xfe", "text/plain; charset=shift_jis")
    with pytest.raises(BadInput, match="not valid UTF-8"):
        decode(b"caf\xe9", "text/plain; charset=no-such-charset")


def test_utf8_with_bom_and_utf16_with_bom() -> None:
    assert decode(b"\xef\xbb\xbfThe minister spoke.") == "The minister spoke."
    assert decode("The minister spoke.".encode("utf-16")) == "The minister spoke."
    assert decode(b"\xef\xbb\xbfcaf\xc3\xa9") == "café"


def test_html_sniffing() -> None:
    assert looks_like_html(LIVE_BLOG, None)
    assert looks_like_html("<!-- saved page -->\n<!DOCTYPE html><p>x</p>", "text/plain")
    assert not looks_like_html(ARTICLE_TEXT, None)
    assert not looks_like_html("He wrote <b>bold</b> once.", "text/plain")
    assert looks_like_html("<div><p>One</p><p>Two</p></div>", None)
    assert looks_like_html("anything", "application/xhtml+xml")


def test_non_english_text_is_refused() -> None:
    french = (
        "Le syndicat des dockers a déclaré mercredi qu'aucun navire n'avait été déchargé au port depuis le début "
        "de la grève, et que les chiffres de l'autorité portuaire étaient faux selon ses responsables."
    )
    assert refused_parse(french.encode()) == (
        "That article doesn't look like English; I can only read articles in English."
    )


def test_a_page_without_article_text_is_refused() -> None:
    page = (
        "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav>"
        "<footer>All rights reserved</footer></body></html>"
    )
    assert refused_parse(page.encode(), "text/html") == "I found no article text in that page."
    assert refused_parse(b"<html><body></body></html>", "text/html") == "I found no article text in that page."


def test_a_web_address_without_a_scheme_gets_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    hint = "I couldn't find the file www.gazette.example; for a web page, start it with https://."
    assert refused_load("www.gazette.example") == hint
    assert refused_load("gazette.example/live/strike").endswith("start it with https://.")
    assert refused_load("notes.txt") == "I couldn't find the file notes.txt."
