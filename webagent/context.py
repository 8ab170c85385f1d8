"""What a planner, writer or generator may use besides its input: output folder, seed, settings, model clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from webagent.config import ModelRole, Settings
from webagent.errors import WebAgentError
from webagent.llm import ModelHub, RoleClient


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
