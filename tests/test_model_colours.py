"""Colours the prompt gives that the planner model's plan left out go back into the model's sections — a band
colour as the matching section's background, a detail colour among the accents of the section that mentions
it — and the section writer is told to use them."""

from __future__ import annotations

from webagent.core.contracts import ContentItem, SectionPlan
from webagent.planners.llm.colours import restore_missing_colours
from webagent.planners.offline import compile_prompt

PROMPT = """A page for the Tallow yoga studio, palette sage #6B8F71 for buttons and off-white #FAF7F2 page background.

The header shows the logo "Tallow".

The pricing section "Class passes" sits on a sand #E8DCC8 band, with prices "£12 drop-in" and "£90 for ten" and a thin terracotta #C0562F rule under the heading.

The footer says "See you on the mat".
"""


def section(section_id: str, *texts: str) -> SectionPlan:
    return SectionPlan(id=section_id, role="custom", content=[ContentItem(text=t, role="body") for t in texts])


def test_colours_the_model_left_out_go_to_the_sections_the_prompt_gives_them():
    reference = compile_prompt(PROMPT)
    model = reference.model_copy(
        update={
            "sections": [section("top", "Tallow"), section("passes", "Class passes", "£90 for ten"), section("end")],
            "assets": [],
        }
    )
    model = model.model_copy(
        update={
            "tokens": model.tokens.model_copy(
                update={"palette": model.tokens.palette.model_copy(update={"secondary": "#123456", "muted": "#777777"})}
            )
        }
    )
    restored = restore_missing_colours(model, reference, PROMPT)
    passes = restored.section("passes")
    assert passes.background == "#E8DCC8"  # the band the prompt gives the pricing section
    assert "#C0562F" in passes.accents  # the rule's colour, mentioned after the section's copy
    assert restored.section("top") == model.section("top") and restored.section("end") == model.section("end")
    assert restore_missing_colours(restored, reference, PROMPT) == restored  # nothing left to add
