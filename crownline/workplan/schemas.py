"""Work-plan tasks as each role may see them."""

from __future__ import annotations

import datetime as dt

from ninja import Field

from crownline.schemas import NOT_BLANK, PATCH_CONFIG, Id, In, Money, MoneyOut, Out


class PersonOut(Out):
    id: int
    username: str
    name: str


class TaskOut(Out):
    id: int
    position: int
    name: str
    line: int | None
    assignee: PersonOut | None
    pay: MoneyOut | None = Field(description="lab admins see all pay; a technician their own; customers none")
    done: bool
    done_by: str | None
    done_at: dt.datetime | None


class TaskCreateIn(In):
    name: str = Field(min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    assignee: Id | None = Field(None, description="a technician or admin of the order's lab")
    pay: Money | None = None
    position: int | None = Field(None, ge=1, le=10000)


class TaskPatchIn(In):
    model_config = PATCH_CONFIG

    name: str | None = Field(None, min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    assignee: Id | None = Field(None, description="a technician or admin of the order's lab")
    pay: Money | None = None
    position: int | None = Field(None, ge=1, le=10000)
