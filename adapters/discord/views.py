"""Discord UI around an answer: page buttons, "wrong match" / "wrong stance" feedback, and the modal to paste text.

The views only move between pages and collect choices; what a choice does (storing feedback, ingesting) is a
callback from ``adapters.discord.bot``, so nothing here touches the core.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

import discord

from adapters.console import who
from adapters.discord.embeds import NO_MENTIONS, Page, cut

log = logging.getLogger(__name__)

# (interaction, kind, claim id or None) → stores the feedback and answers the interaction
FeedbackCallback = Callable[[discord.Interaction, str, int | None], Awaitable[None]]
# (interaction, title, text) → ingests the pasted text and answers the interaction
PasteCallback = Callable[[discord.Interaction, str, str], Awaitable[None]]
# (view) → removes the buttons from the message once they stop working
Cleanup = Callable[[], Awaitable[object]]

FEEDBACK_LABELS = {"wrong_match": "Wrong match", "wrong_stance": "Wrong stance"}
PASTE_MAX = 4000  # Discord's limit for a text input


class AnswerView(discord.ui.View):
    """Buttons under an answer: previous / next page (for the asker) and feedback on a statement (for anyone)."""

    def __init__(
        self,
        pages: Sequence[Page],
        *,
        owner_id: int,
        on_feedback: FeedbackCallback | None,
        timeout: float,
    ) -> None:
        super().__init__(timeout=timeout)
        self.pages = list(pages)
        self.page = 0
        self.owner_id = owner_id
        self.on_feedback = on_feedback
        self.cleanup: Cleanup | None = None
        if len(self.pages) < 2:
            for item in (self.previous, self.counter, self.next):
                self.remove_item(item)
        if on_feedback is None:
            self.remove_item(self.wrong_match)
            self.remove_item(self.wrong_stance)
        self._show_page()

    @property
    def empty(self) -> bool:
        return not self.children

    def _show_page(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= len(self.pages) - 1
        self.counter.label = f"{self.page + 1} / {len(self.pages)}"

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        if interaction.user.id != self.owner_id:
            # turning pages edits the shared message, so only the asker may; others can ask themselves
            await interaction.response.send_message(
                "Only the person who asked can turn these pages; ask with /ask to get your own copy.",
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        self.page = max(0, min(len(self.pages) - 1, self.page + step))
        self._show_page()
        await interaction.response.edit_message(embeds=self.pages[self.page].embeds, view=self)

    @discord.ui.button(label="◀ Previous", style=discord.ButtonStyle.secondary, custom_id="cc:previous", row=0)
    async def previous(self, interaction: discord.Interaction, _button: discord.ui.Button[AnswerView]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="1 / 1", style=discord.ButtonStyle.secondary, custom_id="cc:page", disabled=True, row=0)
    async def counter(self, interaction: discord.Interaction, _button: discord.ui.Button[AnswerView]) -> None:
        await interaction.response.defer()  # disabled; never pressed

    @discord.ui.button(label="Next ▶", style=discord.ButtonStyle.secondary, custom_id="cc:next", row=0)
    async def next(self, interaction: discord.Interaction, _button: discord.ui.Button[AnswerView]) -> None:
        await self._turn(interaction, 1)

    @discord.ui.button(label="Wrong match", style=discord.ButtonStyle.danger, custom_id="cc:wrong_match", row=1)
    async def wrong_match(self, interaction: discord.Interaction, _button: discord.ui.Button[AnswerView]) -> None:
        await self._feedback(interaction, "wrong_match")

    @discord.ui.button(label="Wrong stance", style=discord.ButtonStyle.danger, custom_id="cc:wrong_stance", row=1)
    async def wrong_stance(self, interaction: discord.Interaction, _button: discord.ui.Button[AnswerView]) -> None:
        await self._feedback(interaction, "wrong_stance")

    async def _feedback(self, interaction: discord.Interaction, kind: str) -> None:
        assert self.on_feedback is not None
        claims = self.pages[self.page].claims
        if len(claims) <= 1:  # nothing to choose between: the one statement shown, or the answer as a whole
            await self.on_feedback(interaction, kind, claims[0].id if claims else None)
            return
        picker = FeedbackPicker(kind, [(c.id, who(c), c.text) for c in claims], self.on_feedback, timeout=self.timeout)
        await interaction.response.send_message(
            f"Which statement is a {FEEDBACK_LABELS[kind].lower()}?",
            view=picker,
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    async def on_timeout(self) -> None:
        # the interaction token behind the buttons expires: take them away rather than leave dead buttons
        if self.cleanup is not None:
            try:
                await self.cleanup()
            except discord.HTTPException as error:
                log.info("could not remove expired buttons: status=%s code=%s", error.status, error.code)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[AnswerView]
    ) -> None:
        log.exception("button %s failed", getattr(item, "custom_id", item), exc_info=error)
        await _apologise(interaction)


class FeedbackPicker(discord.ui.View):
    """An ephemeral menu of the statements on the current page: the chosen one gets the feedback."""

    def __init__(
        self,
        kind: str,
        choices: Sequence[tuple[int, str, str]],
        on_feedback: FeedbackCallback,
        *,
        timeout: float | None,
    ) -> None:
        super().__init__(timeout=timeout)
        self.kind = kind
        self.on_feedback = on_feedback
        select: discord.ui.Select[FeedbackPicker] = discord.ui.Select(
            custom_id=f"cc:pick:{kind}",
            placeholder="Choose the statement",
            options=[
                discord.SelectOption(
                    label=cut(f"{claim_id} · {speaker}", 100), value=str(claim_id), description=cut(text, 100)
                )
                for claim_id, speaker, text in choices[:25]
            ],
        )
        select.callback = self._chosen  # type: ignore[method-assign]
        self.select = select
        self.add_item(select)

    async def _chosen(self, interaction: discord.Interaction) -> None:
        self.stop()
        await self.on_feedback(interaction, self.kind, int(self.select.values[0]))

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[FeedbackPicker]
    ) -> None:
        log.exception("feedback menu failed", exc_info=error)
        await _apologise(interaction)


class PasteModal(discord.ui.Modal, title="Add an article"):
    """A form to paste an article's text: an optional title, then the text (live-blog headlines on their own lines)."""

    def __init__(self, on_paste: PasteCallback, *, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.on_paste = on_paste
        self.headline: discord.ui.TextInput[PasteModal] = discord.ui.TextInput(
            custom_id="cc:paste:title", required=False, max_length=200, placeholder="e.g. Live: the summit, day two"
        )
        self.text: discord.ui.TextInput[PasteModal] = discord.ui.TextInput(
            custom_id="cc:paste:text", style=discord.TextStyle.paragraph, min_length=20, max_length=PASTE_MAX
        )
        self.add_item(discord.ui.Label(text="Title (optional)", component=self.headline))
        self.add_item(discord.ui.Label(text="Article text", description="Up to 4,000 characters.", component=self.text))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.on_paste(interaction, self.headline.value.strip(), self.text.value)

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        log.exception("paste form failed", exc_info=error)
        await _apologise(interaction)


async def _apologise(interaction: discord.Interaction) -> None:
    message = "Something went wrong on my side; the details are in the bot's log."
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as error:
        log.warning("could not apologise: status=%s code=%s", error.status, error.code)
