"""What a planner, writer or generator may use besides its input: output folder, seed, settings, model clients."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

from webagent.core.config import ModelRole, Settings
from webagent.core.errors import ModelStepError, WebAgentError
from webagent.core.llm import ModelHub, RoleClient

T = TypeVar("T")


@dataclass(frozen=True)
class GenerationContext:
    """The shared inputs of every generator call in one build."""

    out_dir: Path
    seed: int = 0
    settings: Settings = field(default_factory=Settings)
    models: ModelHub | None = None

    def model(self, role: ModelRole) -> RoleClient:
        """The model client of ``role``; an error when this build has no model access."""
        if self.models is None:
            raise WebAgentError(f"the {role} backend needs a model endpoint, and none is configured")
        return self.models.client(role)

    def with_seed(self, seed: int) -> GenerationContext:
        return GenerationContext(self.out_dir, seed, self.settings, self.models)


class Made(NamedTuple, Generic[T]):
    """A step's result, its warnings, and the backend that actually made it ("llm" or "offline")."""

    value: T
    warnings: list[str]
    backend: str


def model_or_offline(
    use_model: bool, by_model: Callable[[], T], offline: Callable[[], T], step: str, instead: str
) -> Made[T]:
    """``by_model()`` when the model path is on, else ``offline()``; a failed model step (after its
    retries and repair) falls back to ``offline()`` with the warning '<step>: <why>; <instead>'.

    A refused key or unknown model (ModelAccessError) is not a step failure: it propagates.
    """
    if not use_model:
        return Made(offline(), [], "offline")
    try:
        return Made(by_model(), [], "llm")
    except ModelStepError as exc:
        return Made(offline(), [f"{step}: {exc}; {instead}"], "offline")
