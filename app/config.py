"""The one Settings class: every XINAN_ variable of API.md and the knobs the services read."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="XINAN_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("./var")
    database_url: str | None = None
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = Field(8.0, gt=0, le=60)
    rasa_max_turns_in_flight: int = Field(8, ge=1, le=512)  # per app process; the rest wait (RasaClient)
    report_min_cell: int = 10
    scales_dir: Path = ROOT / "scales"
    crisis_resources_file: Path | None = None
    # Secrets: in production from the environment; on one machine generated into the data dir on first run.
    encryption_keys: str | None = None  # "kid1:base64key,kid2:base64key"; the first is the active key
    token_pepper: str | None = None
    retention_days: int = Field(90, ge=1)
    max_message_chars: int = 2000
    session_rate_per_minute: int = 30
    client_rate_per_minute: int = 600  # generous: a whole workshop may share one NAT address
    due_minutes_urgent: int = 15
    due_minutes_high: int = 240
    due_minutes_routine: int = 4320
    staff_token_idle_minutes: int = 30
    staff_token_absolute_hours: int = 12
    login_attempts_per_minute: int = 5
    rasa_models_dir: Path | None = None  # default: <data dir>/models
    rasa_tracker_url: str | None = None  # Rasa's tracker store (SQLAlchemy URL); default: SQLite in the data dir
    purge_interval_minutes: int = Field(360, ge=1)
    redis_url: str | None = None
    public_base_url: str | None = None
    embed_allowed_origins: str = ""  # space-separated host pages allowed to frame the widget

    @field_validator("report_min_cell")
    @classmethod
    def _k_at_least_five(cls, v: int) -> int:
        if v < 5:
            raise ValueError(f"XINAN_REPORT_MIN_CELL={v} is below 5; HR suppression needs k >= 5")
        return v

    @property
    def resolved_data_dir(self) -> Path:
        return self.data_dir.resolve()

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir / 'xinan.db'}"

    def due_minutes(self, priority: str) -> int:
        due = {"urgent": self.due_minutes_urgent, "high": self.due_minutes_high}
        return due.get(priority, self.due_minutes_routine)


@lru_cache
def get_settings() -> Settings:
    return Settings()
