"""OpenAI video backend: a videos-API job (Sora, or an OpenAI-compatible server) makes the clip.

The job is created with the element's generation prompt, a length the API allows and the
model's size nearest the slot's aspect; it is polled until it completes, and its MP4 is
downloaded and re-encoded for the page (``encoding.reencode_clip``). Every request — create,
each poll, the download — goes through the video role's client, so each is retried and recorded.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import TypeVar

import openai
from openai.types import Video

from webagent.core.config import Settings
from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetSpec, DesignTokens, GeneratedAsset, VideoAttributes
from webagent.core.errors import GenerationError
from webagent.core.files import safe_join
from webagent.core.llm import RoleClient
from webagent.generators.sizes import Sizes, nearest_size
from webagent.generators.video.encoding import reencode_clip

BACKEND = "openai"
SECONDS = (4, 8, 12)
ALL_SIZES: Sizes = ("1280x720", "720x1280", "1792x1024", "1024x1792")
SIZES: dict[str, Sizes] = {"sora-2-pro": ALL_SIZES, "sora-2": ("1280x720", "720x1280")}
FINISHED = ("completed", "failed")
# The openai package marks the videos API deprecated (OpenAI's Sora API closes on 2026-09-24);
# compatible servers keep offering it, so the notice is silenced here.
SORA_NOTICE = "The Sora API is scheduled"

R = TypeVar("R")


def clip_seconds(wanted: float) -> str:
    """The shortest allowed length at or above ``wanted`` seconds, at most the longest one."""
    return str(next((seconds for seconds in SECONDS if seconds >= wanted), SECONDS[-1]))


def request(client: RoleClient, step: str, send: Callable[[openai.OpenAI], R]) -> R:
    """``client.call`` without the package's Sora deprecation warning.

    ``catch_warnings`` swaps the process-wide filters; when threads overlap, the worst outcome
    is this one filter outliving the call.
    """

    def quietly(api: openai.OpenAI) -> R:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=SORA_NOTICE, category=DeprecationWarning)
            return send(api)

    return client.call(step, quietly)


def wait_for(client: RoleClient, job: Video, step: str, settings: Settings) -> Video:
    """Poll ``job`` until it completes; GenerationError when it fails or outlasts the poll timeout."""
    deadline = time.monotonic() + settings.video_poll_timeout_s
    job_id = job.id
    while job.status not in FINISHED:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise GenerationError(
                f"{step}: video job {job_id} did not finish within "
                f"{settings.video_poll_timeout_s:g} s (last status: {job.status})"
            )
        time.sleep(min(settings.video_poll_interval_s, remaining))
        job = request(client, f"{step} poll", lambda api: api.videos.retrieve(job_id))
    if job.status == "failed":
        reason = job.error.message if job.error else "no reason given"
        raise GenerationError(f"{step}: video job {job_id} failed ({reason})")
    return job


def generate(spec: AssetSpec, tokens: DesignTokens, ctx: GenerationContext) -> GeneratedAsset:
    """Have the video model make the element's clip and write it as MP4 + WebM + poster."""
    started = time.perf_counter()
    safe_join(ctx.out_dir, spec.path)  # a bad path fails before a paid job
    attributes = spec.attributes if isinstance(spec.attributes, VideoAttributes) else VideoAttributes()
    client = ctx.model("video")
    model = client.endpoint.model
    step = f"video {spec.id}"
    job = request(
        client,
        step,
        lambda api: api.videos.create(
            model=model,
            prompt=spec.generation_prompt(),
            seconds=clip_seconds(attributes.seconds),
            size=nearest_size(spec.size.aspect, model, SIZES, ALL_SIZES),
        ),
    )
    job = wait_for(client, job, step, ctx.settings)
    clip = request(client, f"{step} download", lambda api: api.videos.download_content(job.id, variant="video").content)
    return reencode_clip(spec, ctx.out_dir, clip, BACKEND, started)
