"""HTML to a Document: trafilatura keeps the article text (boilerplate out), a small lxml pass keeps the rest.

trafilatura gives headings and paragraphs in order but loses each live-blog update's own time; the lxml pass finds
time marks (``<time datetime>``, ``data-timestamp``-style attributes, JSON-LD ``liveBlogUpdate``) and ties each to
its update (the block that holds the mark, or the heading right beside it), plus the page's title, canonical URL
and publication time.
"""

from __future__ import annotations

import bisect
import copy
import json
import logging
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree, html

from bot.ingest.document import Document, Paragraph, Update
from bot.ingest.times import parse_attribute, parse_iso, parse_stamp

log = logging.getLogger(__name__)

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SKIP = {"head", "script", "style", "noscript", "template", "svg"}
# attributes news sites put machine-readable times in, besides <time datetime>
_TIME_ATTRIBUTES = (
    "datetime",
    "data-timestamp",
    "data-time",
    "data-datetime",
    "data-date",
    "data-published",
    "data-published-at",
    "data-published-time",
    "data-posted",
    "data-utime",
    "data-epoch",
)
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{1,60}$")


def _clean(text: str | None) -> str:
    """Collapses white space (including non-breaking spaces) to single spaces."""
    return " ".join((text or "").split())


def _text_of(element: Any) -> str:
    return _clean("".join(element.itertext()))


# --- the page ----------------------------------------------------------------------------------------------------


def _page_tree(markup: str) -> Any | None:
    """The page parsed leniently; None when there is nothing lxml can build a tree from."""
    try:
        return html.document_fromstring(_XML_DECLARATION.sub("", markup, count=1))
    except (etree.ParserError, ValueError) as error:
        log.info("lxml could not parse the page: %s", error)
        return None


def _json_ld(tree: Any) -> list[Any]:
    """Every JSON-LD object on the page, outer objects before the ones nested in them."""
    out: list[Any] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue  # broken JSON-LD is common and harmless: the page has other sources
        queue: deque[Any] = deque([data])
        while queue:
            item = queue.popleft()
            if isinstance(item, list):
                queue.extend(item)
            elif isinstance(item, dict):
                out.append(item)
                queue.extend(v for v in item.values() if isinstance(v, list | dict))
    return out


@dataclass
class _Meta:
    title: str | None = None
    canonical: str | None = None
    published: datetime | None = None
    update_times: dict[str, deque[datetime]] = field(default_factory=lambda: defaultdict(deque))


def _meta(tree: Any, url: str | None) -> _Meta:
    meta = _Meta()
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = element.get("content")
        if key and content and key not in found:
            found[key] = content.strip()
    objects = _json_ld(tree)
    for key in _PUBLISHED_META:
        if key in found and (when := parse_iso(found[key])) is not None:
            meta.published = when
            break
    for element in tree.xpath("//*[@itemprop='datePublished']"):
        if meta.published is None:
            meta.published = parse_iso(element.get("datetime") or element.get("content") or "")
    for item in objects:
        if meta.published is None and isinstance(item.get("datePublished"), str):
            meta.published = parse_iso(item["datePublished"])
    # a live blog's JSON-LD often lists its updates with their times: a second source for update times
    for item in objects[1:]:
        headline, when_text = item.get("headline"), item.get("datePublished")
        if isinstance(headline, str) and isinstance(when_text, str) and (when := parse_iso(when_text)) is not None:
            meta.update_times[_clean(headline)].append(when)
    titles = [found.get("og:title"), found.get("twitter:title")]
    titles += [item.get("headline") for item in objects[:1] if isinstance(item.get("headline"), str)]
    h1 = tree.find(".//h1")
    titles.append(_text_of(h1) if h1 is not None else None)
    page_title = tree.findtext(".//title")
    titles.append(_TITLE_SUFFIX.sub("", _clean(page_title)) if page_title else None)
    meta.title = next((_clean(t) for t in titles if t and _clean(t)), None)
    canonical = tree.xpath("//link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href")
    target = canonical[0] if canonical else found.get("og:url")
    if target and target.strip():
        meta.canonical = urljoin(url or "", target.strip())
    return meta


# --- time marks and the blocks they date ---------------------------------------------------------------------------


@dataclass
class _Mark:
    element: Any
    when: datetime
    label: str


@dataclass
class _Block:
    """A part of the page that one time mark (or one cluster of them) dates: an update, usually."""

    element: Any
    when: datetime
    label: str
    text: str


def _skipped(element: Any) -> bool:
    return any(a.tag in _SKIP for a in element.iterancestors() if isinstance(a.tag, str))


def _marks(tree: Any, day: date | None) -> list[_Mark]:
    """Time marks in document order; a mark nested inside another (a <time> in a data-timestamp span) counts once."""
    marks: list[_Mark] = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in _SKIP:
            continue
        when = None
        for attribute in _TIME_ATTRIBUTES:
            value = element.get(attribute)
            if value and (when := parse_attribute(value, day=day)) is not None:
                break
        if when is None and element.tag == "time":
            when = parse_attribute(_text_of(element), day=day)
        if when is None:
            continue
        if _skipped(element):
            continue
        ancestors = list(element.iterancestors())
        if any(a is m.element for m in marks[-3:] for a in ancestors):
            continue
        marks.append(_Mark(element, when, _label(element)))
    return marks


def _label(element: Any) -> str:
    """The time as the page shows it: the mark's own text, or a short time-like text inside it (a container
    dated by an attribute shows its time in a child), else empty."""
    for node in (element, *element.iterdescendants()):
        if not isinstance(node.tag, str):
            continue
        text = _text_of(node)
        if len(text) <= 40 and any(c.isdigit() for c in text):
            return text
    return ""


def _common_ancestor(a: Any, b: Any) -> Any:
    # elements are dict/set keys by identity: lxml hands out the same proxy while one is referenced
    ancestors = {a, *a.iterancestors()}
    node = b
    while node is not None and node not in ancestors:
        node = node.getparent()
    return node


def _has_content(element: Any) -> bool:
    return bool(element.xpath(".//p | .//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6"))


def _blocks(tree: Any, marks: list[_Mark]) -> tuple[list[_Block], list[tuple[_Mark, Any]]]:
    """Groups marks that sit together (published and updated times in one header) and finds the largest
    element each group dates alone. Returns those blocks, and the marks that stand alone in a flat layout
    (a <time> between headings, with no element of its own) with the element to look beside."""
    position = {element: index for index, element in enumerate(tree.iter())}
    content = sorted(position[e] for e in tree.iter("p", *_HEADINGS))
    groups: list[list[_Mark]] = []
    for mark in marks:
        # no paragraph or heading between two marks (in document order): they date the same thing
        if groups and bisect.bisect_right(content, position[groups[-1][-1].element]) == bisect.bisect_left(
            content, position[mark.element]
        ):
            groups[-1].append(mark)
            continue
        groups.append([mark])
    anchors = []
    for group in groups:
        anchor = group[0].element
        for other in group[1:]:
            anchor = _common_ancestor(anchor, other.element)
        anchors.append(anchor)
    owners: dict[Any, set[int]] = defaultdict(set)  # element -> groups inside it
    for index, anchor in enumerate(anchors):
        for node in [anchor, *anchor.iterancestors()]:
            owners[node].add(index)
    blocks: list[_Block] = []
    loose: list[tuple[_Mark, Any]] = []
    for index, anchor in enumerate(anchors):
        node = anchor
        parent = node.getparent()
        while parent is not None and parent.tag not in ("body", "html") and owners[parent] == {index}:
            node, parent = parent, parent.getparent()
        first = groups[index][0]
        if _has_content(node):
            blocks.append(_Block(node, first.when, first.label, _text_of(node)))
        else:
            loose.append((first, node))
    return blocks, loose


def _is_heading(element: Any) -> bool:
    return isinstance(element.tag, str) and element.tag in _HEADINGS


def _heading_in(element: Any) -> Any | None:
    """The heading an element is, or the single heading it wraps."""
    if _is_heading(element):
        return element
    if not isinstance(element.tag, str):
        return None
    found = element.xpath(".//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6")
    return found[0] if len(found) == 1 and not element.xpath(".//p") else None


def _beside(node: Any) -> Any | None:
    """The heading right after a lone time mark, else the one right before it (flat layouts)."""
    following = node.getnext()
    while following is not None and not isinstance(following.tag, str):
        following = following.getnext()
    preceding = node.getprevious()
    while preceding is not None and not isinstance(preceding.tag, str):
        preceding = preceding.getprevious()
    for candidate in (following, preceding):
        if candidate is not None and (heading := _heading_in(candidate)) is not None:
            return heading
    return None


def _heading_times(tree: Any, blocks: list[_Block], loose: list[tuple[_Mark, Any]]) -> dict[str, deque[_Mark]]:
    """Each page heading's time, keyed by its text (several headings may share one; they queue in page order)."""
    dated: dict[Any, _Mark] = {}
    for mark, node in loose:
        heading = _beside(node)
        if heading is not None and heading not in dated:
            dated[heading] = mark
    block_of: dict[Any, _Block] = {}
    for block in blocks:
        for heading in block.element.iter(*_HEADINGS):
            block_of.setdefault(heading, block)
    out: dict[str, deque[_Mark]] = defaultdict(deque)
    for heading in tree.iter(*_HEADINGS):
        if _skipped(heading):
            continue
        text = _text_of(heading)
        if heading in dated:
            out[text].append(dated[heading])
        elif heading in block_of:
            block = block_of[heading]
            out[text].append(_Mark(block.element, block.when, block.label))
        else:
            out[text].append(_Mark(heading, datetime.min, ""))  # a placeholder keeps the queue aligned
    return out


# --- trafilatura's article text ------------------------------------------------------------------------------------


@dataclass
class _Item:
    kind: str  # "head" | "p" | "stamp"
    text: str
    level: str = ""


def _unwrap_updates(tree: Any) -> Any:
    """A copy of the page reshaped where trafilatura would take one live-blog update for the whole story.

    trafilatura picks the first element that looks like an article body (the first ``<article>``, the first
    ``class="post…"``). Sibling update containers (two or more children of one parent, each with paragraphs and a
    heading or a time) therefore become anonymous ``<div>``s, so the list of updates is read as one body. An
    update's ``<header>`` (time and headline, often with a "meta" class discarded as a byline) is unwrapped so the
    headline stays with its paragraphs; nested ``<article>``s become ``<div>``s too.
    """
    page = copy.deepcopy(tree)
    for article in list(page.iter("article")):
        if any(a.tag == "article" for a in article.iterancestors()):
            article.tag = "div"
    for header in list(page.iter("header")):
        if header.xpath(".//h2 | .//h3 | .//h4 | .//h5 | .//h6") and not header.xpath(".//nav"):
            header.drop_tag()
    for parent in list(page.iter()):
        if not isinstance(parent.tag, str) or parent.tag in _SKIP:
            continue
        updates = [child for child in parent if isinstance(child.tag, str) and _looks_like_update(child)]
        if len(updates) >= 2:
            for child in updates:
                child.tag = "div"
                for attribute in ("class", "id", "itemprop", "role"):
                    child.attrib.pop(attribute, None)
    return page


def _looks_like_update(element: Any) -> bool:
    if element.tag not in ("article", "div", "section", "li"):
        return False
    if not element.xpath(".//p"):
        return False
    dated = element.xpath(".//time | .//*[@data-timestamp or @data-time or @data-datetime or @datetime]")
    return bool(dated or element.get("data-timestamp") or element.xpath(".//h2 | .//h3 | .//h4 | .//h5 | .//h6"))


def _items(page: Any, url: str | None) -> list[_Item]:
    """Headings and paragraphs of the article in reading order, boilerplate removed."""
    import trafilatura  # heavy: imported only when a page is parsed

    try:
        extracted = trafilatura.bare_extraction(
            page,
            url=url,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            include_formatting=True,
            with_metadata=False,
        )
    except Exception as error:  # trafilatura's failures on hostile markup are varied; no text is the honest result
        log.warning("trafilatura failed: %r", error)
        return []
    body = getattr(extracted, "body", None)
    if body is None:
        return []
    return list(_walk(body))


def _walk(body: Any) -> Iterator[_Item]:
    for child in body:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "head":
            text = _text_of(child)
            if text:
                yield _Item("head", text, child.get("rend") or "")
        elif child.tag in ("list", "quote"):
            inner = [c for c in child if isinstance(c.tag, str) and c.tag in ("item", "p", "head", "list", "quote")]
            if inner:
                yield from _walk(child)
            else:
                yield from _paragraph(_text_of(child))
        elif child.tag in ("p", "item", "code"):
            if any(isinstance(c.tag, str) and c.tag in ("p", "list", "quote", "head") for c in child):
                # trafilatura sometimes nests paragraphs (a dated block's label, then its text): keep them apart
                yield from _paragraph(_clean(child.text))
                yield from _walk(child)
            else:
                yield from _paragraph(_text_of(child))
        # trafilatura leaves stray text (a time label, say) as a tail
        yield from _paragraph(_clean(child.tail))


def _paragraph(text: str) -> Iterator[_Item]:
    if not text:
        return
    if len(text) <= 60 and any(c.isdigit() for c in text) and parse_stamp(text) is not None:
        yield _Item("stamp", text)
    else:
        yield _Item("p", text)


def _restore_headings(tree: Any, items: list[_Item]) -> list[_Item]:
    """Puts back update headings trafilatura dropped (it does on short pages and some layouts).

    A page heading (h2-h6) comes back when the first paragraph after it, with no other heading between, is in the
    extracted text and not already under a heading: trafilatura decides what is article text, the page decides
    where updates start.
    """
    boilerplate = {"nav", "aside", "footer", "form", "menu"}
    headings = [
        h
        for h in tree.iter(*_HEADINGS[1:])
        if _text_of(h) and not any(isinstance(a.tag, str) and a.tag in _SKIP | boilerplate for a in h.iterancestors())
    ]
    if not headings:
        return items
    texts = {_text_of(h) for h in headings}
    # trafilatura's fallbacks can hand a heading back as a paragraph: the page says it is a heading
    items = [_Item("head", i.text, "h2") if i.kind == "p" and i.text in texts else i for i in items]
    kept = {item.text for item in items if item.kind == "head"}
    position = {element: index for index, element in enumerate(tree.iter())}
    heading_positions = sorted(position[h] for h in tree.iter(*_HEADINGS))
    first_item: dict[str, int] = {}
    for index, item in enumerate(items):
        if item.kind == "p":
            first_item.setdefault(item.text, index)
    inserts: dict[int, _Item] = {}
    for heading in headings:
        text = _text_of(heading)
        if text in kept:
            continue
        following = heading.xpath("following::p[1]")
        if not following or following[0] not in position:
            continue
        parent = heading.getparent()
        near = parent.getparent() if parent is not None and parent.getparent() is not None else parent
        if near is None or not any(a is near for a in following[0].iterancestors()):
            continue  # too far away to be this heading's text (a sidebar title before the article, say)
        start, end = position[heading], position[following[0]]
        if bisect.bisect_right(heading_positions, start) < bisect.bisect_left(heading_positions, end):
            continue  # the paragraph belongs to a later heading
        target = first_item.get(_text_of(following[0]))
        if target is None or target in inserts or (target > 0 and items[target - 1].kind == "head"):
            continue
        inserts[target] = _Item("head", text, heading.tag)
    if not inserts:
        return items
    out: list[_Item] = []
    for index, item in enumerate(items):
        if index in inserts:
            out.append(inserts[index])
        out.append(item)
    return out


def _drop_repeated_labels(items: list[_Item]) -> list[_Item]:
    """Drops short paragraphs that recur on every update ("Share", "Advertisement", "Read more"): page furniture
    that slipped past trafilatura, never article text."""
    counts = Counter(item.text for item in items if item.kind == "p" and len(item.text.split()) <= 4)
    furniture = {text for text, n in counts.items() if n >= 3}
    return [item for item in items if not (item.kind == "p" and item.text in furniture)]


# --- the Document ------------------------------------------------------------------------------------------------


class _Builder:
    """Lays out the text (one line a headline or paragraph, a blank line between updates) and tracks offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.updates: list[Update] = []

    def _add(self, text: str) -> int:
        if self.parts:
            gap = "\n"
            self.parts.append(gap)
            self.length += len(gap)
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def start(self, headline: str | None, when: datetime | None, label: str | None) -> Update:
        if self.updates:
            self.parts.append("\n")
            self.length += 1
        update = Update(headline=headline, time=when, time_text=label if when else None)
        if headline:
            update.headline_start = self._add(headline)
        self.updates.append(update)
        return update

    def paragraph(self, text: str) -> None:
        if not self.updates:
            self.start(None, None, None)
        self.updates[-1].paragraphs.append(Paragraph(text=text, start=self._add(text)))

    @property
    def text(self) -> str:
        return "".join(self.parts)


def parse_html(markup: str, *, url: str | None = None, name: str | None = None) -> Document:
    """Parses an HTML page into a Document. Malformed markup gives what can be read, never an exception."""
    tree = _page_tree(markup)
    meta = _meta(tree, url) if tree is not None else _Meta()
    day = meta.published.date() if meta.published else None
    blocks: list[_Block] = []
    heading_times: dict[str, deque[_Mark]] = defaultdict(deque)
    if tree is not None:
        blocks, loose = _blocks(tree, _marks(tree, day))
        heading_times = _heading_times(tree, blocks, loose)
    items = _items(_unwrap_updates(tree) if tree is not None else markup, url)
    if tree is not None:
        items = _restore_headings(tree, items)
    items = _drop_repeated_labels(items)
    title = meta.title
    if items and items[0].kind == "head" and (items[0].level == "h1" or title is None):
        title = title or items[0].text
    if title:
        items = [i for n, i in enumerate(items) if not (i.kind == "head" and i.text == title and n < 3)]

    builder = _Builder()
    if title:
        builder.start(title, None, None)
    current_block: _Block | None = None
    cursor = 0  # blocks are searched in page order from the last one used

    def block_for(text: str) -> _Block | None:
        nonlocal cursor
        for index in range(cursor, len(blocks)):
            if text in blocks[index].text:
                cursor = index
                return blocks[index]
        return None

    lead = builder.updates[0] if builder.updates else None
    pending: tuple[datetime, str] | None = None  # a time label trafilatura kept as text, waiting for its update
    for item in items:
        current = builder.updates[-1] if builder.updates else None
        if item.kind == "head":
            when, label = _heading_time(item.text, heading_times, meta)
            if when is None and pending is not None:
                when, label = pending
            pending = None
            builder.start(item.text, when, label)
            current_block = block_for(item.text)
            continue
        if item.kind == "stamp":
            stamp = parse_stamp(item.text, context_year=day.year if day else None)
            if stamp is None:
                continue
            if current is not None and current is not lead and not current.paragraphs and current.time is None:
                current.time, current.time_text = stamp.resolve(day), item.text
            else:
                pending = (stamp.resolve(day), item.text)
            continue
        block = block_for(item.text)
        if block is not None and block is not current_block:
            fresh = current is not None and current is not lead and not current.paragraphs and current_block is None
            intro = current is lead and lead is not None and not lead.paragraphs and (title or "") in block.text
            if intro:
                pass  # the page's own header block (title, byline, lead): its time is the page's, not an update's
            elif fresh and current is not None:
                # a heading just above its dated block: the block belongs to that heading's update
                if current.time is None:
                    current.time, current.time_text = block.when, block.label
            else:
                # a dated block without a heading of its own: a headline-less live-blog update
                builder.start(None, block.when, block.label)
            current_block = block
            pending = None
        elif pending is not None:
            if current is None or current is lead or current.paragraphs:
                builder.start(None, *pending)
            elif current.time is None:
                current.time, current.time_text = pending
            pending = None
        builder.paragraph(item.text)
    updates = [u for u in builder.updates if u.paragraphs or u.headline]
    return Document(
        text=builder.text,
        updates=updates,
        title=title,
        url=url,
        name=name,
        published_at=meta.published,
        canonical_url=meta.canonical,
    )


def _heading_time(text: str, heading_times: dict[str, deque[_Mark]], meta: _Meta) -> tuple[datetime | None, str | None]:
    queue = heading_times.get(text)
    if queue:
        mark = queue.popleft()
        if mark.when != datetime.min:
            return mark.when, mark.label
    listed = meta.update_times.get(text)
    if listed:
        when = listed.popleft()
        return when, None
    return None, None
