"""Settings: defaults < config/qabot.toml < QABOT_* environment < command-line flags."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from qabot.errors import ConfigError

DEFAULT_CONFIG_FILE = Path("config/qabot.toml")
INDEX_SETTINGS = ("passage_size", "passage_overlap")
"""The settings an index is built with; changing one makes the index stale."""


class Settings(BaseSettings):
    """Everything qabot can be told; front ends build one and hand it to the core."""

    model_config = SettingsConfigDict(
        env_prefix="QABOT_",
        extra="forbid",
        populate_by_name=True,
        validate_default=True,
    )

    corpus_dir: Path = Field(Path("seeds"), description="folder of *.txt articles")
    index_dir: Path = Field(Path(".qabot-index"), description="folder for the index cache")
    passage_size: int = Field(120, ge=20, le=2000, description="most words in a passage")
    passage_overlap: int = Field(1, ge=0, le=10, description="sentences shared by neighbouring passages")
    engine: Literal["auto", "rank-bm25", "tantivy"] = Field(
        "auto", description="BM25 engine; auto: rank-bm25 up to small_corpus_passages, tantivy above"
    )
    small_corpus_passages: int = Field(
        2_000, ge=1,
        description="largest corpus rank-bm25 serves under engine=auto (bench/scale.py's corpora: answers as fast "
        "as with tantivy at 1,500 and 4,000 passages, but opening the index takes 0.13 s and 0.22 s against 0.02 s)",
    )
    index_workers: int = Field(0, ge=0, le=256, description="processes that read articles on large builds; 0: one per CPU core")
    top_k: int = Field(8, ge=1, le=100, description="passages retrieved per question")
    max_quotes: int = Field(2, ge=1, le=10, description="most quotes in one answer")
    min_confidence: float = Field(0.2, ge=0.0, le=1.0, description="abstain when the probability of being right is below this")
    max_question_chars: int = Field(1000, ge=10, le=100_000, description="longer questions are cut")
    conversation_turns: int = Field(3, ge=1, le=50, description="earlier turns a follow-up may lean on")
    conversation_ttl_seconds: float = Field(600.0, ge=1, le=86_400, description="a conversation is forgotten after this long idle")
    conversation_max: int = Field(10_000, ge=1, le=10_000_000, description="most conversations kept at once (Discord, CLI)")
    health_file: Path | None = Field(None, description="where the Discord bot reports its state for `qabot health`")
    health_max_age_seconds: float = Field(60.0, ge=1, le=3600, description="an older report counts as unhealthy")
    log_level: str = Field("WARNING", pattern=r"(?i)^(DEBUG|INFO|WARNING|ERROR|CRITICAL)$")
    semantic: bool = Field(
        True, description="use the sentence encoder where the semantic extra and its model are installed; "
        "false: words alone"
    )
    semantic_model_dir: Path | None = Field(
        None, description="folder holding all-MiniLM-L6-v2's model.safetensors, config.json and tokenizer.json"
    )
    semantic_max_sentences: int = Field(
        20_000, ge=0, le=10_000_000,
        description="corpora of up to this many sentences get a stored vector per sentence (and hybrid retrieval); "
        "larger ones have only their retrieved candidates encoded",
    )

    discord_token: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("discord_token", "QABOT_DISCORD_TOKEN", "DISCORD_TOKEN"),
        description="the bot token (secret)",
    )
    discord_message_content: bool = Field(
        False, description="use the privileged message-content intent; enables the prefix command"
    )
    discord_prefix: str = Field("!", min_length=1, max_length=5, description="prefix of the prefix command")
    discord_guild_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="sync slash commands to these guilds only (fast); empty: globally"
    )
    discord_channel_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="answer only in these channels; empty: everywhere"
    )
    discord_cooldown_seconds: float = Field(5.0, ge=0, le=3600, description="per-user pause between questions")
    discord_shard_count: int | None = Field(None, ge=1, le=10_000, description="total shards; set to shard")
    discord_shard_ids: Annotated[list[int], NoDecode] | None = Field(None, description="shards this process runs")
    discord_api_base: str = Field("https://discord.com/api/v10", pattern=r"^https?://")
    discord_gateway_url: str = Field("wss://gateway.discord.gg/", pattern=r"^wss?://")
    discord_connect_attempts: int = Field(6, ge=1, le=100, description="tries to reach Discord at start-up")
    discord_max_backoff_seconds: float = Field(60.0, ge=0.1, le=3600)

    @field_validator("corpus_dir", "index_dir", mode="before")
    @classmethod
    def _not_empty(cls, value: object) -> object:
        """An empty path would mean the current folder: never what was meant."""
        if isinstance(value, str) and not value.strip():
            raise ValueError("it is empty; give a folder")
        return value

    @field_validator("discord_token", mode="after")
    @classmethod
    def _printable_token(cls, value: SecretStr | None) -> SecretStr | None:
        """A token is one printable word; surrounding white space is dropped, any inside (a
        newline pasted with it) would only fail later, deep in the HTTP client."""
        if value is None:
            return None
        token = value.get_secret_value().strip()
        if any(not ch.isprintable() or ch.isspace() for ch in token):
            raise ValueError("it holds a line break, a space or another control character")
        return SecretStr(token)

    @field_validator("discord_guild_ids", "discord_channel_ids", "discord_shard_ids", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        """Ids as a TOML list, or in the environment as "1,2,3" or "[1, 2, 3]"."""
        if isinstance(value, str):
            return [part for part in value.strip().strip("[]").replace(",", " ").split() if part]
        if isinstance(value, int):
            return [value]
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.passage_overlap * 10 >= self.passage_size:
            raise ValueError("passage_overlap is too large for passage_size")
        if self.discord_shard_ids and self.discord_shard_count is None:
            raise ValueError("discord_shard_ids needs discord_shard_count")
        if self.discord_shard_ids and any(not 0 <= i < (self.discord_shard_count or 0) for i in self.discord_shard_ids):
            raise ValueError("every discord_shard_ids entry must be below discord_shard_count")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    def index_fingerprint(self) -> dict[str, Any]:
        """The settings an index depends on, for its manifest."""
        return {name: getattr(self, name) for name in INDEX_SETTINGS}

    def public_dict(self) -> dict[str, Any]:
        """All settings with secrets masked, for `qabot config`."""
        shown: dict[str, Any] = {}
        for name, value in self:
            if isinstance(value, SecretStr):
                shown[name] = "********"
            elif isinstance(value, Path):
                shown[name] = str(value)
            else:
                shown[name] = value
        return shown


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Read settings from all sources; any bad value becomes one ConfigError sentence."""
    path = config_file if config_file is not None else DEFAULT_CONFIG_FILE
    if config_file is not None and not path.is_file():
        raise ConfigError(f"Config file {path} does not exist.")
    toml_files: list[Path] = [path] if path.is_file() else []
    bound = type(
        "Settings",
        (Settings,),
        {"model_config": SettingsConfigDict(**{**Settings.model_config, "toml_file": toml_files})},
    )
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return bound(**given)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path if toml_files else None)) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"Config file {path} cannot be read: {exc}.") from None


def _describe(exc: ValidationError, config_path: Path | None) -> str:
    error = exc.errors()[0]
    loc = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if not loc:
        return f"Settings do not fit together: {message}."
    if error["type"] == "extra_forbidden":
        where = f" in {config_path}" if config_path else ""
        return f"Unknown setting '{loc}'{where}."
    env_name = f"QABOT_{loc.upper()}"
    return f"Setting '{loc}' ({env_name}) is invalid: {message}."
