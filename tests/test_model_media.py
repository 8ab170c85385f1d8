"""Media the prompt asks for that the planner model left out go back into the model's own sections (the one
showing the copy around them); media the offline planner would add on its own (a scene's photos) do not."""

from __future__ import annotations

from webagent.core.contracts import AssetContext, AssetSize, AssetSpec, ContentItem, ImageAttributes, SectionPlan
from webagent.planners.llm.media import restore_missing_media
from webagent.planners.offline import compile_prompt

ASKING = (
    'A page for the Crumb bakery. The hero shows the headline "Bread at dawn" and a photo of loaves. '
    'The gallery "Our pastries" has three photos of pastries. Close with a short video of the oven.'
)
SKETCH = 'A landing page for a climbing gym called "Crux Hall".'


def section(section_id: str, *texts: str) -> SectionPlan:
    return SectionPlan(id=section_id, role="custom", content=[ContentItem(text=t, role="body") for t in texts])


def photo(asset_id: str, section_id: str) -> AssetSpec:
    return AssetSpec(
        id=asset_id,
        kind="image",
        path=f"assets/{asset_id}.webp",
        section_id=section_id,
        size=AssetSize(width=800, height=600),
        context=AssetContext(section=section_id, role="visual", page_style="warm"),
        attributes=ImageAttributes(),
        prompt="loaves on a rack",
    )


def test_asked_media_the_model_left_out_go_to_the_section_showing_their_copy():
    model = compile_prompt(ASKING).model_copy(
        update={
            "sections": [section("top", "Bread at dawn"), section("treats", "Our pastries"), section("end", "© Crumb")],
            "assets": [photo("loaves", "top")],
        }
    )
    restored = restore_missing_media(model, compile_prompt(ASKING), ASKING)
    kinds = {s.id: sorted(a.kind for a in restored.assets_of(s.id)) for s in restored.sections}
    assert kinds == {"top": ["image"], "treats": ["image", "image", "image", "video"], "end": []}
    assert restored.section("treats").asset_ids == [a.id for a in restored.assets_of("treats")]
    assert len({a.id for a in restored.assets}) == len(restored.assets)
    assert all(a.path == f"assets/{a.id}.{'mp4' if a.kind == 'video' else 'webp'}" for a in restored.assets)


def test_media_the_prompt_does_not_ask_for_are_not_added():
    model = compile_prompt(SKETCH).model_copy(update={"sections": [section("hero", "Crux Hall")], "assets": []})
    reference = compile_prompt(SKETCH)
    assert reference.assets  # the offline scene would show a photo …
    assert restore_missing_media(model, reference, SKETCH) == model  # … but the prompt asked for none
