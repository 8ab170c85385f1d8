"""Settings of a build: which backends run and where things are. Read from env vars and CLI flags."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field

ENV_PREFIX = "WEBAGENT_"
MAX_PROMPT_BYTES = 1_000_000


class Settings(BaseModel):
    """Everything a build needs to know; every field can be set by ``WEBAGENT_<NAME>``."""

    planner: str = Field("offline", description="'offline' (rule-based prompt compiler)")
    image_backend: str = Field("procedural", description="image generator backend")
    video_backend: str = Field("procedural", description="video generator backend")
    chart_backend: str = Field("offline", description="chart option builder backend")
    browser: str | None = Field(None, description="path to a Chromium binary; default: auto-detect")
    echarts: str | None = Field(None, description="path to echarts.min.js; default: the vendored copy")
    seed: int = Field(0, description="seed for procedural and diffusion generators")
    reflection_rounds: int = Field(1, ge=0, le=10, description="rounds of fixes after the first render")
    max_prompt_bytes: int = Field(MAX_PROMPT_BYTES, description="larger prompts are refused")
    render_timeout_s: float = Field(30.0, description="seconds a page may take to load in the browser")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``WEBAGENT_*`` variables, then explicit overrides (CLI flags) on top."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name in cls.model_fields:
            raw = environ.get(ENV_PREFIX + name.upper())
            if raw is not None and raw != "":
                values[name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(values)

    def backends(self) -> dict[str, str]:
        """Names of the backends this build uses, for run.json and the CLI summary."""
        return {
            "planner": self.planner,
            "image": self.image_backend,
            "video": self.video_backend,
            "chart": self.chart_backend,
            "judge": "deterministic",
        }


def project_root() -> Path:
    """The source checkout holding this package (for vendored runtimes in development)."""
    return Path(__file__).resolve().parent.parent
