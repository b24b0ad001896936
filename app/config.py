"""The one Settings class: every XINAN_ variable of API.md and the knobs the services read."""
from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator
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
    # Differential privacy of HR reports (README "What the reports promise"): the budget each assessment has, per
    # scale and calendar month. The closed month's figures spend report_epsilon_month once; the running month's
    # daily figures spend report_epsilon_running in total (0: no running-month figures). report_mean_share of each
    # goes to score sums (means), the rest to counts.
    report_epsilon_month: float = Field(0.5, gt=0, le=10)
    report_epsilon_running: float = Field(1.0, ge=0, le=10)
    report_mean_share: float = Field(0.2, gt=0, lt=1)
    # Campaign participation's running month spends its own budget: its daily counts tell an insider how many real
    # employees a padded unit holds, which sharpens every guess at their bands (bench/padding_attacker_bench.py).
    participation_epsilon_running: float = Field(0.5, ge=0, le=10)
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
    # Failed logins of one username from one client: this many a minute, 3x an hour, 6x a day (a slowing ladder,
    # never a lock on the account: another client with the right password still gets in). One client failing
    # across usernames may fail CLIENT_FACTOR times as often (app/staff/throttle.py).
    login_attempts_per_minute: int = Field(5, ge=1)
    trusted_proxies: str = ""  # addresses/networks whose X-Forwarded-For names the client (e.g. "10.0.0.5,::1")
    sessions_per_client_per_minute: int = Field(20, ge=1)  # new conversations from one client address
    sessions_per_unit_per_minute: int = Field(120, ge=1)  # new conversations on one unit link (org + unit)
    burst_window_seconds: int = Field(60, ge=1)  # urgent cases from one client this close together form a burst
    case_record_retention_days: int = Field(1095, ge=1)  # a closed case's counsellor record (see erasure.py)
    rasa_models_dir: Path | None = None  # default: <data dir>/models
    rasa_tracker_url: str | None = None  # Rasa's tracker store (SQLAlchemy URL); default: SQLite in the data dir
    purge_interval_minutes: int = Field(360, ge=1)
    # the referral job (app/network/jobs.py): how often unclaimed cases past their claim window move up; 0: off
    referral_interval_seconds: int = Field(30, ge=0)
    redis_url: str | None = None
    public_base_url: str | None = None
    embed_allowed_origins: str = ""  # space-separated host pages allowed to frame the widget

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, v: str) -> str:
        for item in re.split(r"[\s,]+", v):
            if item:
                try:
                    ipaddress.ip_network(item, strict=False)
                except ValueError:
                    raise ValueError(f"XINAN_TRUSTED_PROXIES: {item!r} is not an IP address or network") from None
        return v

    @field_validator("report_min_cell")
    @classmethod
    def _k_at_least_five(cls, v: int) -> int:
        if v < 5:
            raise ValueError(f"XINAN_REPORT_MIN_CELL={v} is below 5; HR suppression needs k >= 5")
        return v

    @field_validator("public_base_url")
    @classmethod
    def _absolute_http_url(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"https?://[^/?#\s]+(/[^?#\s]*)?", v):
            raise ValueError(f"XINAN_PUBLIC_BASE_URL={v!r} is not an http(s) URL without query or fragment")
        return v.rstrip("/") if v else None

    @model_validator(mode="after")
    def _public_url_outside_development(self) -> Settings:
        """Unit links and QR codes are built from XINAN_PUBLIC_BASE_URL, never from a request's Host header; a
        service listening beyond loopback is a deployment, and must say where employees reach it."""
        if not self.public_base_url and not _loopback(self.host):
            raise ValueError(f"XINAN_PUBLIC_BASE_URL must be set when XINAN_HOST={self.host!r} is not loopback "
                             "(unit links and QR codes are built from it)")
        return self

    @property
    def base_url(self) -> str:
        """Where employees reach the widget: XINAN_PUBLIC_BASE_URL, or this loopback address in development."""
        return self.public_base_url or f"http://{self.host}:{self.port}"

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [p for p in re.split(r"[\s,]+", self.trusted_proxies) if p]

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


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@lru_cache
def get_settings() -> Settings:
    return Settings()
