from pathlib import Path

import pytest

from qabot.errors import ConfigError
from qabot.settings import load_settings


def test_precedence_defaults_file_env_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings().top_k == 8
    config = tmp_path / "q.toml"
    config.write_text("top_k = 3\nmax_quotes = 4\n")
    assert load_settings(config).top_k == 3
    monkeypatch.setenv("QABOT_TOP_K", "5")
    settings = load_settings(config)
    assert (settings.top_k, settings.max_quotes) == (5, 4)
    assert load_settings(config, top_k=7).top_k == 7


def test_default_config_file_is_read_from_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "qabot.toml").write_text('corpus_dir = "elsewhere"\n')
    assert load_settings().corpus_dir == Path("elsewhere")


@pytest.mark.parametrize(
    ("env", "value", "expected"),
    [
        ("QABOT_TOP_K", "abc", "top_k"),
        ("QABOT_TOP_K", "0", "top_k"),
        ("QABOT_MIN_CONFIDENCE", "2", "min_confidence"),
        ("QABOT_PASSAGE_SIZE", "5", "passage_size"),
        ("QABOT_LOG_LEVEL", "LOUD", "log_level"),
    ],
)
def test_bad_values_name_the_setting(monkeypatch: pytest.MonkeyPatch, env: str, value: str, expected: str) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert expected in message and "\n" not in message


def test_bad_config_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("topk = 3\n")
    with pytest.raises(ConfigError, match="Unknown setting 'topk'"):
        load_settings(unknown)
    broken = tmp_path / "broken.toml"
    broken.write_text("top_k = \n")
    with pytest.raises(ConfigError, match="cannot be read"):
        load_settings(broken)


def test_token_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def.ghi")
    settings = load_settings()
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == "abc.def.ghi"
    shown = settings.public_dict()
    assert "abc.def.ghi" not in str(shown) and "abc.def.ghi" not in repr(settings)
