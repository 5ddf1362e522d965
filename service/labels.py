"""Names a person reads for the domain's codes (interim: from the codes themselves)."""

from enum import Enum


def label(member: Enum | str) -> str:
    value = member.value if isinstance(member, Enum) else member
    return str(value).replace("_", " ").capitalize()
