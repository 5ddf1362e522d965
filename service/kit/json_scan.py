"""JSON text measured without being parsed: how deep it nests, and whether any string in
it could hold an unstorable character. Both run in C (regular expressions over the text),
so a body of millions of elements costs no Python object per element; only a body that
may hold such a character is parsed, to name its fields.
"""

import json
import re
from array import array
from itertools import accumulate

# A string literal, taken whole (possessive: no backtracking on one left open).
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # -1 as a signed byte
# An escape that decodes to a control character (tab, newline and carriage return aside), a
# line separator, a bidirectional control or a surrogate; preceded by an even number of
# backslashes, so that "\\u0000" (a backslash, then text) is not one.
_ESCAPE = re.compile(
    r"(?<!\\)(?:\\\\)*\\(?:[bf]|u(?:000[0-8bcef]|001[0-9a-f]|007f|00[89][0-9a-f]"
    r"|202[89a-e]|206[6-9]|d[89a-f][0-9a-f]{2}))",
    re.IGNORECASE,
)


def text_of(raw: bytes) -> str | None:
    """The JSON text of a body in the encoding JSON allows (UTF-8, or UTF-16/32 told by its
    first bytes, as ``json.loads`` reads it); None when it is not text at all."""
    try:
        return raw.decode(json.detect_encoding(raw))
    except (UnicodeDecodeError, LookupError):
        return None


def deeper_than(text: str, limit: int) -> bool:
    """Whether arrays and objects nest more than ``limit`` deep (brackets left open count,
    as a parser recurses into them before it finds the text malformed): the running sum of
    the brackets outside strings, +1 for an opening one and -1 for a closing one."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text)).encode("ascii")
    steps = array("b", brackets.translate(_STEP))
    return max(accumulate(steps), default=0) > limit


def may_hold(text: str, unstorable: re.Pattern[str]) -> bool:
    """Whether a string of the JSON text could hold a character ``unstorable`` finds, as it
    is written or escaped (a surrogate pair escaped is a false alarm, settled by a parse)."""
    return unstorable.search(text) is not None or _ESCAPE.search(text) is not None
