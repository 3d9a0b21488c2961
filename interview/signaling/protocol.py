"""The signaling protocol: every WebSocket message, typed and validated at the edge.

Messages are JSON objects with a ``type`` field. :func:`parse_client` turns raw text (or
bytes) from a browser into one of the ``*In`` models or raises :class:`ProtocolError` with a
stable ``code``; it never raises anything else, whatever the input (a Hypothesis test keeps
it that way). Server messages are built with the ``*Out`` models and :func:`dump`.
The wire format is documented in docs/signaling.md.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

#: largest message a client may send, in bytes of UTF-8 (an SDP offer with simulcast is ~10 KB)
MAX_MESSAGE_BYTES = 64 * 1024
MAX_SDP_CHARS = 48 * 1024
MAX_CANDIDATE_CHARS = 1024
MAX_CHAT_CHARS = 2000
PEER_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
PeerId = Annotated[str, Field(min_length=1, max_length=64, pattern=PEER_ID_RE.pattern)]

_SDP_LINE_RE = re.compile(r"^[a-z]=[^\x00]*$")
# candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> [...]
_CANDIDATE_RE = re.compile(
    r"^(a=)?candidate:[!-~]{1,32} \d{1,3} (udp|tcp|UDP|TCP) \d{1,10} [0-9A-Za-z.:_-]{1,255} \d{1,5} "
    r"typ (host|srflx|prflx|relay)( [!-~]+)*$"
)


class ProtocolError(Exception):
    """A client message that cannot be accepted; ``code`` is one of :data:`ERROR_CODES`."""

    def __init__(self, code: str, detail: str = "", ref: str | None = None) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        #: the ``type`` of the refused message, when it could be read
        self.ref = ref


#: error code -> English message (the gettext msgid the page translates)
ERROR_CODES: dict[str, str] = {
    "bad_json": "The message could not be read.",
    "too_big": "The message is too large.",
    "unknown_type": "This kind of message is not known.",
    "invalid_message": "The message is not valid.",
    "bad_sdp": "The connection offer could not be read.",
    "bad_candidate": "The network address could not be read.",
    "not_joined": "Please join the room first.",
    "already_joined": "You have already joined the room.",
    "in_lobby": "Please wait until the interviewer lets you in.",
    "peer_not_found": "That participant is not in the room.",
    "forbidden": "You are not allowed to do this.",
    "rate_limited": "Too many messages. Please slow down.",
    "token_invalid": "This room link is not valid. Please open the room again.",
    "token_expired": "This room link has expired. Please open the room again.",
    "token_wrong_room": "This room link belongs to another room.",
    "not_participant": "You are not a participant of this interview.",
    "room_ended": "This interview has ended.",
    "internal": "Something went wrong. Please try again.",
}


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


def check_sdp(sdp: str) -> str:
    """Accept an SDP blob only if it is shaped like one (RFC 8866 line grammar, v/o/s/m lines)."""
    if len(sdp) > MAX_SDP_CHARS:
        raise ValueError("sdp too long")
    lines = [line for line in sdp.replace("\r\n", "\n").split("\n") if line]
    if not lines or lines[0] != "v=0":
        raise ValueError("sdp must start with v=0")
    if not all(_SDP_LINE_RE.match(line) for line in lines):
        raise ValueError("sdp line not of the form x=value")
    kinds = {line[0] for line in lines}
    if not {"o", "s", "m"} <= kinds:
        raise ValueError("sdp lacks o=, s= or m= lines")
    return sdp


class JoinIn(_In):
    type: Literal["join"]
    token: str = Field(min_length=10, max_length=4096)
    room: int = Field(ge=1)
    #: the peer id this client had before a reconnection; the server keeps it when it is the same user's
    resume: PeerId | None = None


class _Sdp(_In):
    to: PeerId
    sdp: str = Field(min_length=1, max_length=MAX_SDP_CHARS)

    @field_validator("sdp")
    @classmethod
    def _sdp(cls, v: str) -> str:
        return check_sdp(v)


class OfferIn(_Sdp):
    type: Literal["offer"]


class AnswerIn(_Sdp):
    type: Literal["answer"]


class IceCandidate(_In):
    """The browser's ``RTCIceCandidateInit``; an empty ``candidate`` marks the end of candidates."""

    candidate: str = Field(max_length=MAX_CANDIDATE_CHARS)
    sdpMid: str | None = Field(default=None, max_length=32)
    sdpMLineIndex: int | None = Field(default=None, ge=0, le=64)
    usernameFragment: str | None = Field(default=None, max_length=256)

    @field_validator("candidate")
    @classmethod
    def _candidate(cls, v: str) -> str:
        if v and not _CANDIDATE_RE.match(v):
            raise ValueError("candidate does not parse")
        return v


class CandidateIn(_In):
    type: Literal["candidate"]
    to: PeerId
    candidate: IceCandidate | None = None


class ChatIn(_In):
    type: Literal["chat"]
    text: str = Field(min_length=1, max_length=MAX_CHAT_CHARS)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("empty chat message")
        return v


class AdmitIn(_In):
    type: Literal["admit"]
    peer: PeerId


class DenyIn(_In):
    type: Literal["deny"]
    peer: PeerId


class MediaStateIn(_In):
    """Mute and camera state, shown to the others next to the participant's video."""

    type: Literal["media"]
    audio: bool
    video: bool


class ConsentIn(_In):
    """The participant's answer to the on-screen question "may this interview be recorded?"."""

    type: Literal["consent"]
    agree: bool


class EndIn(_In):
    type: Literal["end"]


class LeaveIn(_In):
    type: Literal["leave"]


class PingIn(_In):
    type: Literal["ping"]
    id: int | None = Field(default=None, ge=0, le=2**53)


ClientMessage = Annotated[
    JoinIn
    | OfferIn
    | AnswerIn
    | CandidateIn
    | ChatIn
    | AdmitIn
    | DenyIn
    | MediaStateIn
    | ConsentIn
    | EndIn
    | LeaveIn
    | PingIn,
    Field(discriminator="type"),
]
CLIENT_TYPES = frozenset(
    {"join", "offer", "answer", "candidate", "chat", "admit", "deny"}
    | {"media", "consent", "end", "leave", "ping"}
)
_adapter: TypeAdapter[Any] = TypeAdapter(ClientMessage)


def _error_code(exc: ValidationError) -> str:
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        if "sdp" in loc:
            return "bad_sdp"
        if "candidate" in loc and len(loc) >= 2:
            return "bad_candidate"
    return "invalid_message"


def parse_client(raw: str | bytes) -> Any:
    """Parse one client message; raise :class:`ProtocolError` (and only that) when it is refused."""
    try:
        size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
        if size > MAX_MESSAGE_BYTES:
            raise ProtocolError("too_big", f"{size} bytes")
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        data = json.loads(text)
    except ProtocolError:
        raise
    except (ValueError, UnicodeError, RecursionError) as exc:
        raise ProtocolError("bad_json", type(exc).__name__) from None
    if not isinstance(data, dict):
        raise ProtocolError("bad_json", "a message is a JSON object")
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in CLIENT_TYPES:
        raise ProtocolError("unknown_type", ref=kind if isinstance(kind, str) else None)
    try:
        return _adapter.validate_python(data)
    except ValidationError as exc:
        raise ProtocolError(_error_code(exc), exc.errors()[0].get("msg", ""), ref=kind) from None
    except (ValueError, TypeError, RecursionError) as exc:  # defensive: validators never leak
        raise ProtocolError("invalid_message", type(exc).__name__, ref=kind) from None


# --- server -> client --------------------------------------------------------------------------


def error(code: str, ref: str | None = None, detail: str = "") -> dict[str, Any]:
    """The ``error`` message: a stable code, the English message (msgid), the refused type."""
    message = ERROR_CODES.get(code, ERROR_CODES["internal"])
    out: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if ref is not None:
        out["ref"] = ref
    if detail:
        out["detail"] = detail[:200]
    return out


def dump(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


# close codes (4000-4999 are the application's own, RFC 6455 section 7.4.2)
CLOSE_GOING_AWAY = 1001
CLOSE_TOO_BIG = 1009
CLOSE_AUTH_FAILED = 4001
CLOSE_FORBIDDEN = 4003
CLOSE_JOIN_TIMEOUT = 4008
CLOSE_REPLACED = 4009
CLOSE_DENIED = 4011
CLOSE_ROOM_ENDED = 4012
CLOSE_LEFT = 4000
CLOSE_FLOOD = 4029
