"""Settings: file < environment < flags, per-role endpoints, backends chosen by what is configured."""

from __future__ import annotations

import re
import subprocess
import sys
import typing

import pytest

from webagent.core.config import Settings
from webagent.core.errors import SettingsError


def test_defaults_run_everything_offline():
    settings = Settings.from_env({})
    assert settings.backends() == {
        "planner": "offline",
        "coder": "offline",
        "image": "offline",
        "video": "offline",
        "chart": "offline",
        "critic": "static",
    }
    assert settings.models_in_use() == {}


def test_an_api_key_turns_on_the_model_planner_coder_and_charts_but_not_paid_media():
    settings = Settings.from_env({"OPENAI_API_KEY": "sk-x"})
    assert settings.backends()["planner"] == settings.backends()["coder"] == settings.backends()["chart"] == "llm"
    assert (settings.image_backend, settings.video_backend) == ("offline", "offline")
    assert settings.models_in_use() == {
        "planner": "gpt-5.5 at https://api.openai.com/v1",
        "coder": "gpt-5.5 at https://api.openai.com/v1",
    }


def test_explicit_offline_wins_over_a_configured_endpoint():
    settings = Settings.from_env({"OPENAI_API_KEY": "sk-x", "WEBAGENT_PLANNER": "offline"})
    assert settings.planner_backend() == "offline" and settings.coder_backend() == "llm"


def test_each_role_can_have_its_own_server_and_model():
    env = {
        "WEBAGENT_BASE_URL": "http://localhost:11434/v1",
        "WEBAGENT_MODEL": "qwen3:14b",
        "WEBAGENT_JUDGE_MODEL": "qwen2.5vl:7b",
        "WEBAGENT_CODER_BASE_URL": "http://gpu-box:8000/v1",
        "WEBAGENT_CODER_MODEL": "qwen3-coder",
    }
    settings = Settings.from_env(env)
    assert settings.endpoint("planner").describe() == "qwen3:14b at http://localhost:11434/v1"
    assert settings.endpoint("coder").describe() == "qwen3-coder at http://gpu-box:8000/v1"
    assert settings.endpoint("judge").describe() == "qwen2.5vl:7b at http://localhost:11434/v1"
    assert settings.endpoint("image").model == "gpt-image-2"


def test_settings_file_then_environment_then_flags(tmp_path):
    config = tmp_path / "webagent.toml"
    config.write_text('model = "from-file"\nseed = 3\nimage_backend = "diffusers"\n')
    settings = Settings.load(config, {"WEBAGENT_SEED": "5"}, model="from-flag")
    assert (settings.model, settings.seed, settings.image_backend) == ("from-flag", 5, "diffusers")


def test_settings_file_named_by_the_environment_is_read(tmp_path):
    config = tmp_path / "elsewhere.toml"
    config.write_text("reflection_rounds = 2\n")
    assert Settings.from_env({"WEBAGENT_CONFIG": str(config)}).reflection_rounds == 2


def test_unknown_setting_in_the_file_is_one_line(tmp_path):
    config = tmp_path / "webagent.toml"
    config.write_text('modle = "typo"\n')
    with pytest.raises(
        SettingsError, match=r"^settings file .*webagent.toml: unknown setting 'modle' \(see the README"
    ):
        Settings.load(config, {})


def test_broken_settings_file_is_one_line(tmp_path):
    config = tmp_path / "webagent.toml"
    config.write_text('model = "unterminated\n')
    with pytest.raises(SettingsError, match="is not valid TOML"):
        Settings.load(config, {})


def test_invalid_value_names_the_setting_and_its_variable():
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"WEBAGENT_IMAGE_BACKEND": "midjourney"})
    assert str(caught.value) == (
        "invalid setting image_backend (WEBAGENT_IMAGE_BACKEND): Input should be 'offline', 'openai' or 'diffusers'"
    )


def test_api_keys_never_print():
    settings = Settings.from_env({"OPENAI_API_KEY": "sk-very-secret", "WEBAGENT_JUDGE_API_KEY": "sk-judge-secret"})
    shown = repr(settings) + str(settings) + settings.model_dump_json() + repr(settings.endpoint("judge"))
    assert "sk-very-secret" not in shown and "sk-judge-secret" not in shown
    assert settings.endpoint("judge").api_key.get_secret_value() == "sk-judge-secret"


def test_cli_rejects_an_unknown_backend_in_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "webagent", "build", "a bakery", "--image", "midjourney", "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: invalid setting image_backend (WEBAGENT_IMAGE_BACKEND): Input should be 'offline', 'openai' or 'diffusers'"
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["api_key", "judge_api_key"])
def test_settings_file_with_a_key_open_to_others_is_refused(tmp_path, name):
    config = tmp_path / "webagent.toml"
    config.write_text(f'{name} = "sk-file-secret"\n')
    config.chmod(0o640)
    with pytest.raises(SettingsError) as caught:
        Settings.load(config, {})
    assert str(caught.value) == (
        f"settings file {config} holds an API key but is open to other users (mode 640): run chmod 600 {config}"
    )


def test_private_settings_file_with_a_key_is_read(tmp_path):
    config = tmp_path / "webagent.toml"
    config.write_text('api_key = "sk-file-secret"\n')
    config.chmod(0o600)
    assert Settings.load(config, {}).api_key.get_secret_value() == "sk-file-secret"


def test_settings_file_without_keys_may_be_world_readable(tmp_path):
    config = tmp_path / "webagent.toml"
    config.write_text('model = "from-file"\napi_key = ""\n')
    config.chmod(0o644)
    assert Settings.load(config, {}).model == "from-file"


def test_a_pasted_key_loses_its_spaces_and_line_end():
    settings = Settings.from_env({"OPENAI_API_KEY": "  sk-pasted\n", "WEBAGENT_JUDGE_API_KEY": " \n"})
    assert settings.api_key.get_secret_value() == "sk-pasted" and settings.judge_api_key is None


def test_a_key_a_header_cannot_carry_is_refused_without_echoing_it():
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"WEBAGENT_CODER_API_KEY": "sk-two\nlines"})
    assert str(caught.value) == (
        "invalid setting coder_api_key (WEBAGENT_CODER_API_KEY): Value error, "
        "an API key may hold only printable ASCII characters, without spaces"
    )


def test_a_password_in_the_server_address_is_never_shown():
    settings = Settings.from_env({"OPENAI_BASE_URL": "http://user:sk-in-url@gpu-box:8000/v1"})
    assert settings.models_in_use() == {
        "planner": "gpt-5.5 at http://gpu-box:8000/v1",
        "coder": "gpt-5.5 at http://gpu-box:8000/v1",
    }


def numeric_settings() -> list[tuple[str, float, float]]:
    """(name, lowest allowed, highest allowed) of every int or float setting, read from its field's bounds."""
    found = []
    for name, field in Settings.model_fields.items():
        kinds = set(typing.get_args(field.annotation)) - {type(None)} or {field.annotation}
        if not kinds <= {int, float} or bool in kinds:
            continue
        bounds = {
            kind: getattr(m, kind) for m in field.metadata for kind in ("ge", "gt", "le", "lt") if hasattr(m, kind)
        }
        found.append((name, bounds.get("ge", bounds.get("gt")), bounds.get("le", bounds.get("lt"))))
    return found


def test_every_numeric_setting_has_a_range():
    unbounded = [name for name, low, high in numeric_settings() if low is None or high is None]
    assert unbounded == []
    assert len(numeric_settings()) >= 15


@pytest.mark.parametrize("name,low,high", numeric_settings(), ids=[n for n, _, _ in numeric_settings()])
def test_an_out_of_range_number_is_one_line_naming_the_setting_and_its_range(name, low, high):
    for outside in (low - 1, high + 1 if isinstance(high, int) else high * 2):
        with pytest.raises(SettingsError) as caught:
            Settings.load(None, {f"WEBAGENT_{name.upper()}": str(outside)})
        message = str(caught.value)
        assert "\n" not in message and f"WEBAGENT_{name.upper()}" in message
        assert re.search(rf"\(allowed: (?:over )?{re.escape(str(low))} (?:to|up to) {re.escape(str(high))}\)", message)
