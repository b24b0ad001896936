"""Bodies of the staff admin API (API.md "Staff accounts"). Passwords are checked by the service, which names a
problem without echoing the password (a validation error here would repeat it back)."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.reports.schemas import ID_PATTERN

USERNAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$"
Role = Literal["admin", "counsellor", "hr", "org_admin"]  # app.staff.models.ROLES


class StaffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(pattern=USERNAME_PATTERN)
    role: Role
    centre: str | None = Field(None, pattern=ID_PATTERN, description="counsellors and centre admins")
    org: str | None = Field(None, pattern=ID_PATTERN, description="HR and org admins")
    password: str | None = Field(None, description="omit it to get a one-time password back, once")


class PasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str | None = Field(None, description="omit it to get a new one-time password back, once")


class ScopeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    centre: str | None = Field(None, pattern=ID_PATTERN)
    org: str | None = Field(None, pattern=ID_PATTERN)


class StaffOut(BaseModel):
    id: int
    username: str
    role: str
    centre: str | None
    org: str | None
    disabled: bool
    must_change_password: bool = Field(description="holds a one-time password: must choose one before signing in")
    created_at: datetime


class StaffWithPassword(BaseModel):
    user: StaffOut
    password: str | None = Field(description="the one-time password, shown this once; null when the admin set it")


class StaffList(BaseModel):
    staff: list[StaffOut]
