"""The page's source (``source.json``) and the model calls a build records."""

from __future__ import annotations

from pydantic import Field

from webagent.core.contracts import Contract, GeneratedAsset, PagePlan


class ModelCall(Contract):
    """One request to a model endpoint, as run.json records it (never the key)."""

    role: str
    step: str
    model: str
    seconds: float
    input_tokens: int = 0
    output_tokens: int = 0
    request_bytes: int = Field(0, description="size of the request body sent (chat steps)")
    outcome: str = Field(description="ok, invalid, retry (429), failed (500), timeout, refused (401), …")


class PageSource(Contract):
    """Everything assembly needs to write the page again (``source.json``): reflection and edits change
    one part of it (an element, its embedding CSS, one section) and reassemble, never the rest."""

    plan: PagePlan
    section_html: dict[str, str] = Field(default_factory=dict, description="section id → markup with element slots")
    section_css: dict[str, str] = Field(default_factory=dict, description="section id → CSS scoped to #section-id")
    design_css: str = Field("", description="the page's design system stylesheet")
    assets: dict[str, GeneratedAsset] = Field(default_factory=dict, description="asset id → generated element")
    element_style: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="asset id → CSS declarations fixing how that element sits in its box"
    )
