"""The pieces every router shares: token auth and scopes, the one error shape, idempotent
creates, and cursor pagination."""

import base64
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import ConfigDict, field_validator

from fairhearing.accounts.models import User
from fairhearing.core import rows
from fairhearing.core.errors import CaseError, error_body
from fairhearing.core.limits import REASONS_MAX
from fairhearing.organisations.models import Organisation
from fairhearing.oversight.services import access_attempt_record

from .models import ApiToken, IdempotentRequest
from .services import case_scopes_refusal, token_hash

MISSING_SCOPE = "This token lacks the scope {scope}."
KEY_REUSED = "This Idempotency-Key was used for a different request."
BAD_CURSOR = "The cursor is not one this API issued."


class StrictSchema(Schema):
    """Input schemas refuse fields they do not know (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _without_nul(cls, data: Any) -> Any:
        """PostgreSQL cannot store a NUL character: it is removed (as the ledger removes it
        from payloads), never a 500, and the schema's plain strings stay valid input."""
        return _without_nul(data)


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


def refuse_unknown_query(request: HttpRequest, known: set[str]) -> None:
    unknown = sorted(set(request.GET) - known)
    if unknown:
        raise ApiError(
            422,
            "validation_error",
            "The request is not valid.",
            {name or "(empty)": ["Unknown parameter."] for name in unknown},
        )


class OkOut(Schema):
    """What an action returns: it happened, and the id of what it made or changed."""

    ok: bool = True
    id: int | None = None


class ReasonIn(StrictSchema):
    reasons: str = Field(max_length=REASONS_MAX)


class ErrorDetail(Schema):
    status: int
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """The one error shape: {"error": {"status", "code", "message", "fields"}}."""

    error: ErrorDetail


# A text field that must hold something other than spaces. U+0085 (next line) is named: the
# validator (pydantic-core's regex) counts it as a space, the schema's other readers (ECMA
# regular expressions, as schemathesis generates from) do not.
NON_BLANK = r"[^\s\x85]"

# Declared on every operation, so the schema says what errors look like.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def binary(media_type: str, description: str) -> dict[str, Any]:
    """`openapi_extra` for an operation whose 200 response is a file, not JSON."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


LAST_USED_EVERY = dt.timedelta(minutes=1)


@functools.cache
def _token_sql(vendor: str) -> str:
    """The token with its user and the user's organisation, in one statement written once
    (`core.rows`): authentication runs on every request, and the queryset it replaces spent
    five times the database's time building and compiling itself."""

    token, user, org = ApiToken._meta.db_table, User._meta.db_table, Organisation._meta.db_table
    return (
        f"SELECT {rows.columns(ApiToken, 't')}, {rows.columns(User, 'u')}, "  # noqa: S608
        f"{rows.columns(Organisation, 'o')} FROM {token} t"
        f" JOIN {user} u ON u.id = t.user_id LEFT JOIN {org} o ON o.id = u.organisation_id"
        " WHERE t.token_sha256 = %s AND t.revoked_at IS NULL AND u.is_active"
        " ORDER BY t.id LIMIT 1"
    )


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:

        with connection.cursor() as cursor:
            cursor.execute(_token_sql(connection.vendor), [token_hash(token)])
            row = cursor.fetchone()
        if row is None:
            return None
        found, user, organisation = rows.instances(row, [ApiToken, User, Organisation])
        assert isinstance(found, ApiToken) and isinstance(user, User)
        User._meta.get_field("organisation").set_cached_value(user, organisation)
        ApiToken._meta.get_field("user").set_cached_value(found, user)
        now = timezone.now()
        # When a token was last used, to the minute: a write for every request would make
        # every client of one token queue for the same row under load.
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = user
        request.api_token = found  # type: ignore[attr-defined]
        return found


def require_scope(request: HttpRequest, scope: str) -> None:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if scope not in token.scopes:
        raise ApiError(403, "missing_scope", MISSING_SCOPE.format(scope=scope))
    # A token issued before office-holders were refused case scopes carries them in vain.
    refusal = case_scopes_refusal(token.user, {scope})
    if refusal:
        raise ApiError(403, "forbidden", refusal)


def _record_refusal(request: HttpRequest) -> None:
    """An API call refused to the token's user for their role goes in the interference
    register, like a refused page (the case routes record theirs in `case_for`)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        match = request.resolver_match
        reference = str(match.kwargs.get("reference", "")) if match else ""
        access_attempt_record(user=user, reference=reference, action="api", request=request)


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(
        request: HttpRequest, status: int, code: str, message: str, fields: dict | None = None
    ) -> HttpResponse:
        return api.create_response(
            request, error_body(status, code, message, fields), status=status
        )

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        if exc.status == 403 and exc.code == "forbidden":
            _record_refusal(request)
        return respond(request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            location = ".".join(
                str(part) for part in error.get("loc", ()) if part not in {"body", "payload"}
            )
            fields.setdefault(location or "request", []).append(str(error.get("msg", "Invalid.")))
        return respond(request, 422, "validation_error", "The request is not valid.", fields)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, "unauthenticated", "A valid bearer token is required.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, "bad_request", str(exc))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", str(exc) or "Not found.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        _record_refusal(request)
        return respond(request, 403, "forbidden", str(exc) or "Not allowed.")

    @api.exception_handler(DjangoValidationError)
    def model_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"request": exc.messages}
        return respond(request, 409, "refused", "The request was refused.", fields)

    # Every app's refusal derives from CaseError (deadlines, letters, contact details,
    # affiliations, evidence, dossiers...): one answer for all, 409 with the reason.
    @api.exception_handler(CaseError)
    def refused(request: HttpRequest, exc: CaseError) -> HttpResponse:
        return respond(request, 409, "refused", str(exc))


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Creates take an optional `Idempotency-Key` header: a retry with the same key gets the
    first response back, and nothing is created twice."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return view(request, *args, **kwargs)
        token: ApiToken = request.auth  # type: ignore[attr-defined]
        fingerprint = hashlib.sha256(
            f"{request.method} {request.path}\n".encode() + request.body
        ).hexdigest()
        previous = IdempotentRequest.objects.filter(token=token, key=key[:200]).first()
        if previous is not None:
            if previous.fingerprint != fingerprint:
                raise ApiError(409, "idempotency_key_reused", KEY_REUSED)
            return Status(previous.status, previous.body)
        try:
            with transaction.atomic():
                result = view(request, *args, **kwargs)
                status, body = (
                    (result.status_code, result.value)
                    if isinstance(result, Status)
                    else (200, result)
                )
                serialised = json.loads(json.dumps(_plain(body), default=str))
                IdempotentRequest.objects.create(
                    token=token,
                    key=key[:200],
                    fingerprint=fingerprint,
                    status=status,
                    body=serialised,
                )
        except IntegrityError:
            # A concurrent retry with the same key committed first: replay its response.
            previous = IdempotentRequest.objects.get(token=token, key=key[:200])
            return Status(previous.status, previous.body)
        return Status(status, body)

    return wrapper


def _plain(body: Any) -> Any:
    if hasattr(body, "model_dump"):
        return body.model_dump(mode="json")
    if isinstance(body, list):
        return [_plain(item) for item in body]
    if isinstance(body, dict):
        return {k: _plain(v) for k, v in body.items()}
    return body


class KeysetKey(Protocol):
    """A term of a list's order: a field or annotation of its rows, and its direction (a
    nullable term's blanks count as larger than any value)."""

    @property
    def name(self) -> str: ...

    @property
    def descending(self) -> bool: ...

    @property
    def nullable(self) -> bool: ...


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value


def _beyond(key: KeysetKey, value: Any) -> Q:
    """Rows past `value` in `key`'s direction."""
    if value is None:  # the largest: nothing past it going up, every other value going down
        return Q(**{f"{key.name}__isnull": False}) if key.descending else Q(pk__in=[])
    past = Q(**{f"{key.name}__{'lt' if key.descending else 'gt'}": value})
    if key.nullable and not key.descending:
        past |= Q(**{f"{key.name}__isnull": True})
    return past


def _after(keys: Sequence[KeysetKey], values: list[Any]) -> Q:
    """Rows after the one with `values` in the order `keys` give."""
    after, equal = Q(pk__in=[]), Q()
    for key, value in zip(keys, values, strict=True):
        after |= equal & _beyond(key, value)
        equal &= Q(**{f"{key.name}__isnull": True} if value is None else {key.name: value})
    return after


def keyset_page(
    queryset: QuerySet, *, keys: Sequence[KeysetKey], cursor: str | None, limit: int
) -> tuple[list, str | None]:
    """Keyset pagination in the queryset's own order, whose terms are `keys` (the last one
    unique): the cursor holds the last row's value of each, opaque to the client."""
    try:
        if cursor:
            values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
            if not isinstance(values, list) or len(values) != len(keys):
                raise ValueError(cursor)
            queryset = queryset.filter(_after(keys, values))
        items = list(queryset[: limit + 1])
    except (ValueError, TypeError, UnicodeDecodeError, DjangoValidationError) as exc:
        raise ApiError(404, "bad_cursor", BAD_CURSOR) from exc
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        raw = json.dumps([_jsonable(getattr(items[-1], key.name)) for key in keys])
        next_cursor = base64.urlsafe_b64encode(raw.encode()).decode()
    return items, next_cursor


def cursor_page(
    queryset: QuerySet, *, cursor: str | None, limit: int, order: tuple[str, str]
) -> tuple[list, str | None]:
    """Keyset pagination on (a timestamp, pk), newest first; the cursor is opaque."""
    time_field, _ = order
    if cursor:
        try:
            at, pk = base64.urlsafe_b64decode(cursor.encode()).decode().rsplit("|", 1)
            queryset = queryset.filter(
                Q(**{f"{time_field}__lt": at}) | Q(**{time_field: at, "pk__lt": int(pk)})
            )
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(404, "bad_cursor", BAD_CURSOR) from exc
    items = list(queryset.order_by(f"-{time_field}", "-pk")[: limit + 1])
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        raw = f"{getattr(last, time_field).isoformat()}|{last.pk}"
        next_cursor = base64.urlsafe_b64encode(raw.encode()).decode()
    return items, next_cursor
