"""Settings of a build: backends, model endpoints, paths and limits.

Sources, later ones winning: defaults → a TOML settings file → ``WEBAGENT_*`` (and ``OPENAI_*``)
environment variables → CLI flags. API keys come only from the environment, the settings file
(which must then be readable by its owner only) or the app's session — never from a CLI flag. They
are ``SecretStr``: they never print, never reach ``run.json`` and never appear in an error message.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, ValidationError

from webagent.core.errors import SettingsError

ENV_PREFIX = "WEBAGENT_"
MAX_PROMPT_BYTES = 1_000_000
SETTINGS_FILE = "webagent.toml"
# OpenAI's own variables fill the shared endpoint when the WEBAGENT_ ones are unset.
OPENAI_ENV = {"api_key": "OPENAI_API_KEY", "base_url": "OPENAI_BASE_URL"}

ChatRole = Literal["planner", "coder", "judge"]
ModelRole = Literal["planner", "coder", "judge", "image", "video"]
DEFAULT_MODELS: dict[str, str] = {"image": "gpt-image-2", "video": "sora-2"}
PRIVATE_MODE_BITS = 0o077  # group and others: a settings file holding a key must have none of them


def clean_key(key: SecretStr) -> SecretStr | None:
    """A key without the spaces and line ends a paste brings; refused (never echoed) when it holds other
    characters, which an HTTP header cannot carry and which would put the key in a transport error."""
    value = key.get_secret_value().strip()
    if any(not "!" <= char <= "~" for char in value):
        raise ValueError("an API key may hold only printable ASCII characters, without spaces")
    return SecretStr(value) if value else None


ApiKey = Annotated[SecretStr, AfterValidator(clean_key)]


def without_credentials(url: str) -> str:
    """``url`` without a ``user:password@`` part, for anything that is shown or recorded."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


class Endpoint(BaseModel):
    """Where one role's model lives: resolved from the role's own settings, then the shared ones."""

    role: ModelRole
    model: str
    base_url: str | None
    api_key: ApiKey | None

    @property
    def configured(self) -> bool:
        """A key or a server address was given: the role can reach a model."""
        return bool(self.base_url or self.api_key)

    def describe(self) -> str:
        """'model at host', never the key (nor a password in the address)."""
        return f"{self.model} at {without_credentials(self.base_url or 'https://api.openai.com/v1')}"


class Settings(BaseModel):
    """Everything a build needs to know; every field can be set by ``WEBAGENT_<NAME>``."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)  # a bad key is never echoed

    planner: Literal["auto", "offline", "llm"] = Field(
        "auto", description="page and section planner; auto = llm when a planner model is configured"
    )
    coder: Literal["auto", "offline", "llm"] = Field(
        "auto", description="section HTML/CSS writer; offline = Jinja2 templates"
    )
    image_backend: Literal["offline", "openai", "diffusers"] = Field("offline", description="image generator")
    video_backend: Literal["offline", "openai", "diffusers"] = Field("offline", description="video generator")
    chart_backend: Literal["auto", "offline", "llm"] = Field(
        "auto", description="ECharts option writer; auto = llm when a coder model is configured"
    )

    base_url: str | None = Field(None, description="OpenAI-compatible endpoint for every role (OPENAI_BASE_URL)")
    api_key: ApiKey | None = Field(None, description="API key for every role (OPENAI_API_KEY)")
    model: str = Field("gpt-5.5", description="chat model for planner, coder and judge")
    planner_model: str | None = None
    planner_base_url: str | None = None
    planner_api_key: ApiKey | None = None
    coder_model: str | None = None
    coder_base_url: str | None = None
    coder_api_key: ApiKey | None = None
    judge_model: str | None = Field(None, description="vision model for the judge")
    judge_base_url: str | None = None
    judge_api_key: ApiKey | None = None
    image_model: str | None = Field(None, description="OpenAI image model (default gpt-image-2)")
    image_base_url: str | None = None
    image_api_key: ApiKey | None = None
    video_model: str | None = Field(None, description="OpenAI video model (default sora-2)")
    video_base_url: str | None = None
    video_api_key: ApiKey | None = None

    structured_output: Literal["auto", "json_schema", "json_object", "prompt"] = Field(
        "auto", description="how JSON is requested; auto tries json_schema, then json_object, then the prompt"
    )
    max_answer_tokens: int | None = Field(
        None,
        ge=0,
        le=1_000_000,
        description="output tokens a chat answer may use (sent as max_tokens or max_completion_tokens); "
        "default: per step, 8000 to 32000; 0: send no limit",
    )
    reasoning_effort: Literal["", "none", "minimal", "low", "medium", "high"] = Field(
        "", description="sent as reasoning_effort to reasoning models; empty: not sent"
    )
    model_timeout_s: float = Field(
        120.0,
        gt=0,
        le=3600,
        description="seconds one model request may take (a chat answer: in total, however slowly it arrives)",
    )
    max_response_mb: float = Field(
        16.0,
        gt=0,
        le=1024,
        description="largest answer a chat model (planner, coder, judge) may send; larger ones are refused",
    )
    model_retries: int = Field(3, ge=0, le=10, description="retries for 429, 5xx and timeouts")
    model_backoff_s: float = Field(1.0, ge=0, le=60, description="first retry delay; doubles each retry")
    video_poll_timeout_s: float = Field(600.0, gt=0, le=7200, description="seconds to wait for a video job")
    video_poll_interval_s: float = Field(5.0, gt=0, le=600, description="seconds between video job polls")
    max_parallel: int = Field(32, ge=1, le=128, description="parallel tasks (sections, elements, model calls)")
    executor: Literal["local", "ray"] = Field(
        "local", description="where bench cases run: local threads, or Ray tasks (the 'ray' extra); --executor"
    )
    ray_address: str | None = Field(
        None,
        description="Ray cluster to run bench cases on (host:6379 or ray://host:10001); "
        "default: a local Ray started for the run; --ray-address",
    )

    diffusers_image_model: str = Field(
        "stabilityai/sdxl-turbo", description="diffusers text-to-image model id or local folder"
    )
    diffusers_video_model: str = Field(
        "ali-vilab/text-to-video-ms-1.7b", description="diffusers text-to-video model id or local folder"
    )
    diffusers_steps: int = Field(4, ge=1, le=200, description="inference steps for diffusers models")
    diffusers_device: Literal["auto", "cuda", "mps", "cpu"] = Field("auto", description="auto = CUDA, MPS, CPU")
    diffusers_max_side_px: int = Field(512, ge=64, le=4096, description="longest side of a diffusers image")
    diffusers_guidance: float = Field(
        0.0,
        ge=0,
        le=50,
        description="guidance scale: 0 suits turbo models like the default; about 7.5 suits Stable Diffusion 1.x/2.x",
    )

    browser: str | None = Field(None, description="path to a Chromium binary; default: auto-detect")
    echarts: str | None = Field(None, description="path to echarts.min.js; default: the vendored copy")
    seed: int = Field(0, ge=0, le=2**32 - 1, description="seed for procedural and diffusion generators")
    media_cache: bool = Field(
        True, description="reuse generated media and page renders whose inputs are unchanged; false: --no-cache"
    )
    cache_dir: Path | None = Field(
        None,
        description="cache folder (media/ and evidence/ inside); default: $XDG_CACHE_HOME/webagent or "
        "~/.cache/webagent",
    )
    cache_max_mb: float = Field(
        4096,
        gt=0,
        le=10_000_000,
        description="size limit of the cache folder; past it, after each build "
        "or edit, the least recently used entries are removed",
    )
    videos: bool = Field(True, description="false: every video the plan asks for is made as a still image instead")
    critic: Literal["auto", "static", "llm"] = Field(
        "auto",
        description="who critiques each round: static rules, or the judge model; auto = llm when judge_model is set",
    )
    reflection_rounds: int = Field(3, ge=0, le=10, description="reflection rounds per level (element, container, page)")
    reflection_threshold: float = Field(0.8, ge=0, le=1, description="judge scores under this are reflected on")
    page_reflection: Literal["sections", "whole_page"] = Field(
        "sections",
        description="page-level model fixes: patch the sections concerned, or rewrite every section "
        "in one request (the reference pipeline's way, kept to measure against)",
    )
    max_prompt_bytes: int = Field(MAX_PROMPT_BYTES, ge=1, le=100_000_000, description="larger prompts are refused")
    render_timeout_s: float = Field(30.0, gt=0, le=600, description="seconds a page may take to load in the browser")

    @classmethod
    def load(
        cls, config_file: Path | None = None, environ: Mapping[str, str] | None = None, **overrides: object
    ) -> Settings:
        """Settings from the file, then the environment, then ``overrides`` (CLI flags)."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        path = config_file or (Path(environ[ENV_PREFIX + "CONFIG"]) if environ.get(ENV_PREFIX + "CONFIG") else None)
        if path is None and Path(SETTINGS_FILE).is_file():
            path = Path(SETTINGS_FILE)
        if path is not None:
            values.update(read_settings_file(path))
        for field, variable in OPENAI_ENV.items():
            if environ.get(variable):
                values[field] = environ[variable]
        for name in cls.model_fields:
            raw = environ.get(ENV_PREFIX + name.upper())
            if raw:
                values[name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise SettingsError(describe_invalid(exc)) from None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from the environment (and a settings file it names) with ``overrides`` on top."""
        return cls.load(None, environ, **overrides)

    def endpoint(self, role: ModelRole) -> Endpoint:
        """The model, address and key of ``role``: its own settings, else the shared ones."""
        own_model = getattr(self, f"{role}_model")
        default_model = DEFAULT_MODELS.get(role, self.model)
        return Endpoint(
            role=role,
            model=own_model or default_model,
            base_url=getattr(self, f"{role}_base_url") or self.base_url,
            api_key=getattr(self, f"{role}_api_key") or self.api_key,
        )

    def planner_backend(self) -> str:
        return self._resolve(self.planner, "planner")

    def coder_backend(self) -> str:
        return self._resolve(self.coder, "coder")

    def chart_backend_name(self) -> str:
        return self._resolve(self.chart_backend, "coder")

    def _resolve(self, choice: str, role: ModelRole) -> str:
        if choice != "auto":
            return choice
        return "llm" if self.endpoint(role).configured else "offline"

    def media_backend(self, kind: str) -> str:
        """The configured backend of an element kind: image, video or chart."""
        return {"image": self.image_backend, "video": self.video_backend, "chart": self.chart_backend_name()}[kind]

    def backends(self) -> dict[str, str]:
        """Names of the backends this build uses, for run.json and the CLI summary."""
        return {
            "planner": self.planner_backend(),
            "coder": self.coder_backend(),
            "image": self.image_backend,
            "video": self.video_backend,
            "chart": self.chart_backend_name(),
            "critic": self.critic_backend(),
        }

    def critic_backend(self) -> str:
        """static, or llm when the judge model critiques (auto: a judge model is named and has a server)."""
        if self.critic != "auto":
            return self.critic
        return "llm" if self.judge_model and self.endpoint("judge").configured else "static"

    def without_keys(self) -> dict[str, object]:
        """Every setting but the API keys, as JSON values: what may be handed to another process or machine."""
        return self.model_dump(mode="json", exclude={name for name in type(self).model_fields if is_key_setting(name)})

    def key_variables(self) -> dict[str, str]:
        """The API keys that are set, as the environment variables that set them (WEBAGENT_API_KEY, …)."""
        return {
            ENV_PREFIX + name.upper(): key.get_secret_value()
            for name in type(self).model_fields
            if is_key_setting(name) and (key := getattr(self, name)) is not None
        }

    def key_fingerprints(self, salt: str) -> dict[str, str]:
        """For each API key that is set, a salted hash: two processes compare keys without either sending one."""
        return {
            name: hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()
            for name, value in sorted(self.key_variables().items())
        }

    @classmethod
    def with_keys_from(cls, values: Mapping[str, object], environ: Mapping[str, str]) -> Settings:
        """``values`` (from ``without_keys``) with the API keys of this process's environment."""
        keys: dict[str, object] = {}
        if environ.get(OPENAI_ENV["api_key"]):
            keys["api_key"] = environ[OPENAI_ENV["api_key"]]
        for name in cls.model_fields:
            if is_key_setting(name) and environ.get(ENV_PREFIX + name.upper()):
                keys[name] = environ[ENV_PREFIX + name.upper()]
        try:
            return cls.model_validate({**values, **keys})
        except ValidationError as exc:
            raise SettingsError(describe_invalid(exc)) from None

    def models_in_use(self) -> dict[ModelRole, str]:
        """For each role that calls a model in this build: 'model at host' (never the key)."""
        roles: list[ModelRole] = []
        if self.planner_backend() == "llm":
            roles.append("planner")
        if "llm" in (self.coder_backend(), self.chart_backend_name()):
            roles.append("coder")
        roles += [kind for kind in ("image", "video") if self.media_backend(kind) == "openai"]
        if self.critic_backend() == "llm":
            roles.append("judge")
        return {role: self.endpoint(role).describe() for role in roles}


def read_settings_file(path: Path) -> dict[str, object]:
    """The settings in a TOML file; unknown names and bad syntax are one-line errors."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"cannot read settings file {path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(Settings.model_fields))
    if unknown:
        raise SettingsError(f"settings file {path}: unknown setting {unknown[0]!r} (see the README's settings table)")
    refuse_shared_key_file(path, data)
    return data


def is_key_setting(name: str) -> bool:
    """``api_key`` and every ``<role>_api_key``."""
    return name == "api_key" or name.endswith("_api_key")


def refuse_shared_key_file(path: Path, data: dict[str, object]) -> None:
    """Like ssh with a private key: a settings file holding an API key must not be open to group or others."""
    if os.name != "posix" or not any(data[name] for name in data if is_key_setting(name)):
        return
    mode = path.stat().st_mode & 0o777
    if mode & PRIVATE_MODE_BITS:
        raise SettingsError(
            f"settings file {path} holds an API key but is open to other users (mode {mode:03o}): run chmod 600 {path}"
        )


def describe_invalid(exc: ValidationError) -> str:
    """The first invalid setting as 'name (WEBAGENT_NAME): reason', with the range a number must be in (the
    value itself is never echoed)."""
    error = exc.errors()[0]
    name = str(error["loc"][0]) if error["loc"] else "settings"
    allowed = setting_range(name)
    return f"invalid setting {name} ({ENV_PREFIX}{name.upper()}): {error['msg']}" + (
        f" (allowed: {allowed})" if allowed else ""
    )


def setting_range(name: str) -> str:
    """'1 to 128', 'over 0 up to 3600' for a numeric setting with bounds; '' otherwise."""
    field = Settings.model_fields.get(name)
    if field is None:
        return ""
    bounds = {kind: getattr(m, kind) for m in field.metadata for kind in ("ge", "gt", "le", "lt") if hasattr(m, kind)}
    low = f"{bounds['ge']}" if "ge" in bounds else f"over {bounds['gt']}" if "gt" in bounds else ""
    high = f"{bounds['le']}" if "le" in bounds else f"under {bounds['lt']}" if "lt" in bounds else ""
    if not (low and high):
        return ""
    return f"{low} to {high}" if "ge" in bounds else f"{low} up to {high}"


def project_root() -> Path:
    """The source checkout holding this package (for vendored runtimes in development)."""
    return Path(__file__).resolve().parents[2]
