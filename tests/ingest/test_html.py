"""HTML pages to Documents: live-blog headlines, each update's own time, paragraphs, metadata, malformed markup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_pages import FLAT_BLOG, HEADLESS_BLOG, LIVE_BLOG

from bot.errors import BadInput
from bot.ingest import Document, Loaded, parse
from bot.ingest.htmlpage import parse_html

BST = timezone(timedelta(hours=1))


def offsets_hold(document: Document) -> None:
    """Every headline and paragraph sits in ``document.text`` exactly at its offset."""
    for update in document.updates:
        if update.headline is not None:
            assert update.headline_start is not None
            assert (
                document.text[update.headline_start : update.headline_start + len(update.headline)] == update.headline
            )
        for paragraph in update.paragraphs:
            assert document.text[paragraph.start : paragraph.start + len(paragraph.text)] == paragraph.text


def test_live_blog_updates_keep_headline_time_and_paragraphs() -> None:
    document = parse_html(LIVE_BLOG, url="http://127.0.0.1:8000/live", name="live")
    lead, *updates = document.updates
    assert lead.headline == "Harbour strike live: dockers and port authority trade claims"
    assert lead.time is None and len(lead.paragraphs) == 1
    assert [(u.headline, u.time, u.time_text) for u in updates] == [
        ("Port authority says half the berths are working", datetime(2030, 6, 12, 11, 20, tzinfo=BST), "11:20"),
        ("Union says no ship has been unloaded since dawn", datetime(2030, 6, 12, 9, 45, tzinfo=BST), "09:45"),
        ("Strike begins at the port of Lindmere", datetime(2030, 6, 12, 7, 5, tzinfo=BST), "07:05"),
    ]
    assert [p.text for p in updates[0].paragraphs] == [
        "The port authority said half of the berths were still working and that only four ships were waiting.",
        '"The harbour is open and cargo is moving," authority director Petra Lund told reporters.',
    ]
    assert [len(u.paragraphs) for u in updates] == [2, 2, 2]
    offsets_hold(document)


def test_navigation_ads_share_buttons_and_sidebars_are_dropped() -> None:
    text = parse_html(LIVE_BLOG).text
    for boilerplate in ("Home", "SPECIAL OFFER", "Share this post", "Most read", "rain-day soup", "rights reserved"):
        assert boilerplate not in text
    assert "Pickets gathered at the main gate" in text


def test_page_metadata() -> None:
    document = parse_html(LIVE_BLOG, url="https://gazette.example/live?utm=x", name="gazette")
    assert document.title == "Harbour strike live: dockers and port authority trade claims"  # og:title, no suffix
    assert document.canonical_url == "https://gazette.example/live/harbour-strike"  # made absolute
    assert document.url == "https://gazette.example/live?utm=x" and document.name == "gazette"
    assert document.published_at == datetime(2030, 6, 12, 6, 0, tzinfo=BST)


def test_flat_layout_times_beside_headings_and_bare_times_take_the_page_date() -> None:
    document = parse_html(FLAT_BLOG)
    assert document.published_at == datetime(2030, 6, 12)
    assert [(u.headline, u.time) for u in document.updates[1:]] == [
        ("Port authority says half the berths are working", datetime(2030, 6, 12, 11, 20)),
        ("Union says no ship has been unloaded since dawn", datetime(2030, 6, 12, 9, 45)),
    ]
    assert document.updates[0].paragraphs[0].text.startswith("Dockers at the port of Lindmere")
    offsets_hold(document)


def test_time_after_the_heading_in_a_flat_layout() -> None:
    page = FLAT_BLOG.replace("<time>11:20</time><h2>Port authority says half the berths are working</h2>",
                             "<h2>Port authority says half the berths are working</h2><time>11:20</time>")  # fmt: skip
    document = parse_html(page)
    assert document.updates[1].time == datetime(2030, 6, 12, 11, 20)


def test_headline_less_updates_are_split_by_their_dated_blocks() -> None:
    document = parse_html(HEADLESS_BLOG)
    lead, *updates = document.updates
    assert lead.headline == "Harbour strike minute by minute" and not lead.paragraphs
    assert [(u.headline, u.time) for u in updates] == [
        (None, datetime(2030, 6, 12, 10, 20, tzinfo=UTC)),
        (None, datetime(2030, 6, 12, 8, 45, tzinfo=UTC)),
        (None, datetime(2030, 6, 12, 6, 25, tzinfo=UTC)),
    ]
    assert all(len(u.paragraphs) == 1 for u in updates)
    assert updates[2].paragraphs[0].text.startswith("Pickets gathered")
    offsets_hold(document)


def test_sibling_article_updates_with_header_wrappers_all_survive() -> None:
    # each update an <article> with its time and headline in a <header class="...meta">: trafilatura alone
    # would keep only the first <article> and drop the headers
    posts = "".join(
        f'<article class="post"><header class="post-meta"><time datetime="2030-06-12T{h}:00:00Z">{h}:00</time>'
        f"<h2>Update number {n} from the harbour</h2></header>"
        f"<p>Paragraph {n} says the union and the port authority still disagree about the ships waiting outside.</p>"
        "</article>"
        for n, h in ((3, "12"), (2, "11"), (1, "10"))
    )
    page = f"<html><head><title>Harbour</title></head><body><main><h1>Harbour</h1>{posts}</main></body></html>"
    document = parse_html(page)
    assert [(u.headline, u.time.hour if u.time else None) for u in document.updates[1:]] == [
        ("Update number 3 from the harbour", 12),
        ("Update number 2 from the harbour", 11),
        ("Update number 1 from the harbour", 10),
    ]
    offsets_hold(document)


def test_json_ld_update_times_fill_in_when_the_markup_has_none() -> None:
    page = """<html><head><title>Harbour</title><script type="application/ld+json">
    {"@type": "LiveBlogPosting", "headline": "Harbour", "datePublished": "2030-06-12T06:00:00Z",
     "liveBlogUpdate": [{"@type": "BlogPosting", "headline": "Ships wait outside the harbour wall",
                         "datePublished": "2030-06-12T08:30:00Z"}]}</script></head>
    <body><article><h1>Harbour</h1><p>The strike at the port of Lindmere entered its second day on Wednesday morning.</p>
    <h2>Ships wait outside the harbour wall</h2>
    <p>Four ships were waiting outside the harbour wall, the port authority said in a short statement.</p>
    </article></body></html>"""
    document = parse_html(page)
    assert document.published_at == datetime(2030, 6, 12, 6, 0, tzinfo=UTC)
    assert document.updates[1].time == datetime(2030, 6, 12, 8, 30, tzinfo=UTC)


def test_an_ordinary_article_is_one_update_under_its_title() -> None:
    page = """<html><head><title>Dockers strike at Lindmere - Test Gazette</title></head><body>
    <article><h1>Dockers strike at Lindmere</h1>
    <p>Dockers at the port of Lindmere walked out at dawn on Wednesday, union officials said.</p>
    <p>The port authority said half of the berths were still working and only four ships were waiting.</p>
    </article></body></html>"""
    document = parse_html(page)
    assert document.title == "Dockers strike at Lindmere"
    assert len(document.updates) == 1 and len(document.updates[0].paragraphs) == 2
    assert document.updates[0].headline == "Dockers strike at Lindmere" and document.updates[0].time is None


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><p>Unclosed paragraph <b>bold <i>both</p></div></div></span> stray closers",
        "<<<>>> <p <p <p> </ </> <!-- never closed",
        "<html><head><title>x</title><body><p>" + "<div>" * 3000 + "deep" + "</div>" * 10,
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>An XML declaration first.</p></body></html>',
        "<html><body><time datetime='not a date'>soon</time><h2>Odd time</h2><p>Text.</p></body></html>",
        "<html><body><script>var a = '<p>in script</p>';</script><style>p {}</style></body></html>",
        "<html><body><p>\x0b\x0c control characters \ufffd and a lone surrogate-free emoji 🙂</p></body></html>",
        "",
        "   ",
        "<html><head><script type='application/ld+json'>{broken json</script></head><body><p>x</p></body></html>",
    ],
)
def test_malformed_html_never_crashes(page: str) -> None:
    document = parse_html(page)
    assert isinstance(document, Document)
    offsets_hold(document)


_FRAGMENTS = st.sampled_from(
    ["<p>", "</p>", "<h2>", "</h2>", "<div>", "</div>", "<article>", "</article>", "<header>", "<time>", "</time>",
     '<time datetime="2030-06-12T10:00:00Z">', "10:32", "<br>", "<nav>", "</nav>", "&amp;", "&#xD800;", "<!--",
     "-->", "<script>", "</script>", "<table><tr><td>", "The union said the port was closed. ", "Headline words ",
     '"A quote," she said. ', "\n", "<", ">", "/"]
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FRAGMENTS, max_size=60))
def test_any_tag_soup_parses_with_consistent_offsets(fragments: list[str]) -> None:
    document = parse_html("".join(fragments))
    offsets_hold(document)


def test_parse_of_served_html_names_and_validates() -> None:
    loaded = Loaded(data=LIVE_BLOG.encode(), content_type="text/html", url="http://127.0.0.1/live", name="live")
    document = parse(loaded)
    assert document.url == "http://127.0.0.1/live" and len(document.updates) == 4
    with pytest.raises(BadInput, match="no article text"):
        parse(Loaded(data=b"<html><body><nav>Home</nav></body></html>", content_type="text/html", url=None, name=None))


def test_a_sidebar_heading_before_the_article_does_not_become_a_headline() -> None:
    page = """<html><head><title>Dockers strike</title></head><body>
    <div class="rail"><h3>Related stories</h3><ul><li><a href="/a">Older strike story</a></li></ul></div>
    <article><h1>Dockers strike</h1>
    <p>Dockers at the port of Lindmere walked out at dawn on Wednesday, union officials said in a statement.</p>
    <p>The port authority said half of the berths were still working and only four ships were waiting.</p>
    </article></body></html>"""
    headlines = [u.headline for u in parse_html(page).updates]
    assert headlines == ["Dockers strike"]


def test_many_post_class_updates_are_all_kept_and_their_furniture_dropped() -> None:
    # class="post" on every update invites trafilatura to take the first one for the whole story
    posts = "".join(
        f'<div class="post" id="post-{n}"><div class="meta"><time datetime="2030-06-12T{n:02d}:15:00Z">{n:02d}:15</time>'
        f"</div><h2>Harbour update {n}: the union and the authority disagree again</h2>"
        f"<p>In update {n} the union said {n} more ships had been turned away from the berths during the hour.</p>"
        f"<p>The authority said in update {n} that the figure was wrong and that cargo was still moving.</p>"
        '<div class="tools"><span>Share</span></div></div>'
        for n in range(20, 0, -1)
    )
    page = f"<html><head><title>Harbour</title></head><body><main><h1>Harbour</h1>{posts}</main></body></html>"
    document = parse_html(page)
    updates = document.updates[1:]
    assert [u.headline for u in updates] == [
        f"Harbour update {n}: the union and the authority disagree again" for n in range(20, 0, -1)
    ]
    assert [u.time.hour if u.time else None for u in updates] == list(range(20, 0, -1))
    assert all(len(u.paragraphs) == 2 for u in updates)
    assert "Share" not in document.text
    offsets_hold(document)
