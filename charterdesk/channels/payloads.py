"""The webhook's JSON, as pydantic models: what the view validates requests with and
answers with. ``docs/api/channels.openapi.yaml`` carries their JSON Schemas
(:func:`openapi_schemas`); a test holds the file and these models to the same schemas.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter
from pydantic.json_schema import models_json_schema

Text = Annotated[str, Field(max_length=20_000)]
Identifier = Annotated[str, Field(min_length=1, max_length=200)]


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError as invalid:
            raise ValueError("not an email address") from invalid
    return value


Email = Annotated[
    str,
    Field(max_length=254, json_schema_extra={"format": "email"}),
    AfterValidator(_email),
]
Link = Annotated[str, Field(max_length=2000, pattern=r"^(https?://\S+)?$")]


class Party(BaseModel):
    """The customer as the channel knows them; every part may be missing."""

    name: str = Field("", max_length=200)
    email: Email = ""
    phone: str = Field("", max_length=40)
    handle: str = Field("", max_length=200, description="The customer's name on the channel")


class _Event(BaseModel):
    id: Identifier = Field(description="The provider's id of this event: delivered twice, once")
    case_type: str | None = Field(
        None,
        max_length=64,
        description="A case type of the charter; the channel's default if left out",
    )
    language: str | None = Field(
        None, max_length=10, description="One of the organization's languages; guessed if left out"
    )


class MessageEvent(_Event):
    """A chat or social message: opens a case for a new conversation, or continues the
    case the conversation has."""

    model_config = ConfigDict(populate_by_name=True)

    type: Literal["message"]
    conversation_id: Identifier
    sender: Party = Field(alias="from")
    text: Annotated[str, Field(min_length=1, max_length=20_000)]
    sent_at: AwareDatetime


class VoicemailEvent(_Event):
    """A voicemail: its case's clock starts when it was left (T15, N5)."""

    type: Literal["voicemail"]
    caller: Party
    left_at: AwareDatetime
    recording_url: Link = ""
    transcript: Text = ""
    conversation_id: Identifier | None = None


class CallEvent(_Event):
    """A call, answered or missed: logged as a case (a missed call waits to be returned)."""

    type: Literal["call"]
    caller: Party
    started_at: AwareDatetime
    answered: bool
    duration_seconds: int = Field(0, ge=0)
    notes: Text = ""
    conversation_id: Identifier | None = None


ChannelEventPayload = Annotated[
    MessageEvent | VoicemailEvent | CallEvent, Field(discriminator="type")
]
EVENT = TypeAdapter(ChannelEventPayload)


class Received(BaseModel):
    """The answer to an event: the case it went to."""

    case: str = Field(description="The case's reference, e.g. EUR-2026-000123")
    outcome: Literal["opened", "continued", "duplicate"]
    event: str = Field(description="The event's id, as sent")


class Problem(BaseModel):
    code: str = Field(description="What code compares, e.g. bad-signature")
    message: str


class Error(BaseModel):
    """Every refusal: nothing was written."""

    error: Problem


RESPONSES = {"Received": TypeAdapter(Received), "Error": TypeAdapter(Error)}


def openapi_schemas() -> dict[str, Any]:
    """``components.schemas`` of the OpenAPI document, with the event union as ``Event``."""
    _, found = models_json_schema(
        [
            (MessageEvent, "validation"),
            (VoicemailEvent, "validation"),
            (CallEvent, "validation"),
            (Received, "serialization"),
            (Error, "serialization"),
        ],
        ref_template="#/components/schemas/{model}",
    )
    schemas: dict[str, Any] = found["$defs"]
    union = EVENT.json_schema(ref_template="#/components/schemas/{model}")
    union.pop("$defs", None)
    schemas["Event"] = union
    return schemas
