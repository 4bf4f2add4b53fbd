"""Block Kit rendering: escaping of user and article text, quotation rules, and Slack's limits at any size."""

from __future__ import annotations

import json
import re
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack import blocks
from bot.answers import Answer, ClaimView, Latest, Match, SideGroup, SourceView, UpdateView


def view(i: int, text: str, *, kind: str = "indirect", actor: str | None = "Freedonia", **extra: object) -> ClaimView:
    return ClaimView(id=i, text=text, sentence=text, kind=kind, speaker=f"Speaker {i}", actor=actor, **extra)  # type: ignore[arg-type]


def match(c: ClaimView, stance: str = "supports") -> Match:
    return Match(claim=c, score=0.8, stance=stance, reason="the statement repeats the claim", tier="strong")  # type: ignore[arg-type]


def sections(rendered: blocks.Rendered) -> str:
    return "\n".join(b["text"]["text"] for b in rendered.blocks if b["type"] == "section")


def test_escape_neutralises_markup_broadcasts_and_links() -> None:
    hostile = "<!channel> <!here|here> @channel @Everyone <@U123> <https://evil.example|click> a & b www.evil.example"
    out = blocks.escape(hostile)
    assert "<" not in out and ">" not in out
    assert "&lt;!channel&gt;" in out and "a &amp; b" in out
    assert not re.search(r"@(channel|here|everyone)\b", out, re.IGNORECASE)  # a word joiner splits each
    assert "https://" not in out and "www." not in out  # no bare address left for Slack to auto-link


def test_article_text_is_escaped_inside_an_answer() -> None:
    c = view(1, "The <!everyone> crowd said @here that <https://x.example|this> is fine & good", kind="direct")
    answer = Answer(query="<!channel> is it fine?", supporting=(SideGroup("Freedonia <b>", "supports", (match(c),)),))
    rendered = blocks.answer_blocks(answer)
    shown = [b for b in rendered.blocks if b["type"] != "actions"]  # button values are data, never displayed
    text = json.dumps(shown)
    assert "<!everyone>" not in text and "<!channel>" not in text and "<https://x.example" not in text
    assert "Freedonia &lt;b&gt;" in sections(rendered)


def test_links_only_to_http_sources_and_labels_cannot_break_out() -> None:
    assert blocks.link("https://news.example/a?b=1&c=2", "Live | blog") == (
        "<https://news.example/a?b=1&amp;c=2|Live ¦ blog>"
    )
    assert blocks.link("javascript:alert(1)", "x") == "x"
    assert blocks.link("https://news.example/a>b|c", "t").startswith("<https://news.example/a%3Eb%7Cc|")


def test_direct_quotes_are_quoted_and_paraphrases_never() -> None:
    direct = view(1, "We will stay", kind="direct", source_url="https://news.example/live", update="Noon update")
    paraphrase = view(2, "“the troops would stay”", kind="indirect")  # stray quote marks from a paraphrase
    answer = Answer(query="stay?", supporting=(SideGroup("Freedonia", "supports", (match(direct), match(paraphrase))),))
    text = sections(blocks.answer_blocks(answer))
    assert "“We will stay”" in text
    assert "the troops would stay" in text and "“the troops would stay”" not in text
    assert "<https://news.example/live|Noon update>" in text  # a link to the source update


def test_speaker_time_reason_and_counts_are_shown() -> None:
    c = view(1, "Talks continue", update_time=datetime(2024, 3, 1, 9, 30))
    group = SideGroup("Freedonia", "supports", (match(c),), hidden=(match(view(2, "x")), match(view(3, "y"))))
    rendered = blocks.answer_blocks(Answer(query="talks?", supporting=(group,)))
    text = sections(rendered)
    assert "*Speaker 1*, 2024-03-01 09:30" in text and "_and 2 more from Freedonia_" in text
    contexts = [e["text"] for b in rendered.blocks if b["type"] == "context" for e in b["elements"]]
    assert any("Why: the statement repeats the claim" in t for t in contexts)
    assert rendered.more == 2


def test_an_empty_answer_says_so_without_buttons() -> None:
    rendered = blocks.answer_blocks(Answer(query="anything?"))
    assert "I found nothing" in sections(rendered)
    assert not [b for b in rendered.blocks if b["type"] == "actions"]


@settings(max_examples=25, deadline=None)
@given(
    sides=st.integers(min_value=1, max_value=60),
    per_side=st.integers(min_value=1, max_value=12),
    length=st.integers(min_value=1, max_value=5_000),
)
def test_any_answer_fits_slack_limits(sides: int, per_side: int, length: int) -> None:
    groups = []
    n = 0
    for s in range(sides):
        ms = []
        for _ in range(per_side):
            n += 1
            ms.append(
                match(
                    view(n, "&<" * (length // 2) + "x", actor=f"Side {s}" * 20), "supports" if s % 2 else "contradicts"
                )
            )
        groups.append(SideGroup(f"Side {s} " * 30, ms[0].stance, tuple(ms[:3]), tuple(ms[3:])))
    answer = Answer(
        query="q" * 3_000,
        supporting=tuple(g for g in groups if g.stance == "supports"),
        contradicting=tuple(g for g in groups if g.stance == "contradicts"),
        related=tuple(match(view(10_000 + i, "related " * 100), "neutral") for i in range(5)),
    )
    offset: int | None = None
    for _ in range(n + 10):
        rendered = blocks.answer_blocks(answer, offset=offset)
        assert len(rendered.blocks) <= blocks.MAX_BLOCKS
        for b in rendered.blocks:
            if b["type"] in ("section", "header"):
                limit = blocks.MAX_SECTION_CHARS if b["type"] == "section" else blocks.MAX_HEADER_CHARS
                assert 0 < len(b["text"]["text"]) <= limit
            if b["type"] == "actions":
                assert all(len(e["value"]) <= blocks.MAX_BUTTON_VALUE for e in b["elements"])
        assert len(rendered.text) <= blocks.MAX_FALLBACK_CHARS
        if not rendered.more:
            break
        more = next(e for b in rendered.blocks if b["type"] == "actions" for e in b["elements"]
                    if e["action_id"] == blocks.SHOW_MORE)  # fmt: skip
        offset = json.loads(more["value"])["o"]
    else:
        raise AssertionError("show more never reached the end")


def test_latest_and_sources_fit_and_escape() -> None:
    claims = tuple(view(i, "<!here> said " + "word " * 200) for i in range(40))
    updates = tuple(
        UpdateView(
            headline=f"Update {i} <b>",
            time=None,
            source_id=1,
            source="https://news.example/live",
            source_title="Live",
            claims=claims,
        )  # fmt: skip
        for i in range(60)
    )
    rendered = blocks.latest_blocks(Latest(updates=updates))
    assert len(rendered.blocks) <= blocks.MAX_BLOCKS
    assert all(len(b["text"]["text"]) <= blocks.MAX_SECTION_CHARS for b in rendered.blocks if b["type"] == "section")
    assert "<!here>" not in json.dumps(rendered.blocks) and "Update 0 &lt;b&gt;" in sections(rendered)
    many = [SourceView(i, f"Title {i} " * 30, None, None, 1, 1, None, None) for i in range(2_000)]
    listed = blocks.sources_blocks(many)
    assert len(listed.blocks) <= blocks.MAX_BLOCKS and "more" in json.dumps(listed.blocks[-1])
