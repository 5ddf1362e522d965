from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, ValidationInfo, field_validator

from service.auth.schemas import Password
from service.kit.fields import example
from service.kit.i18n import _


class LinkCreated(BaseModel):
    model_config = example(
        {
            "url": "https://tracker.example.kz/app/welcome/3f9c0a1b2c4dQm4Jk7...",
            "expires_at": "2026-11-27T09:00:00Z",
        }
    )

    url: str = Field(
        description="The one-time link to hand to the graduate: its secret is shown this once "
        "only. Opening it, the graduate sets a password; a newer link replaces it."
    )
    expires_at: datetime


class NewPassword(BaseModel):
    """A password chosen twice, by the rules of an account the API creates."""

    password: Password
    password_confirm: Annotated[str, StringConstraints(max_length=200)]

    @field_validator("password_confirm")
    @classmethod
    def _same_twice(cls, confirm: str, info: ValidationInfo) -> str:
        # Said beside the second field; a first password that broke a rule is said beside it.
        if "password" in info.data and confirm != info.data["password"]:
            raise ValueError(_("The two passwords differ."))
        return confirm
