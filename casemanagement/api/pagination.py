"""Pages of cases. With `party`: page numbers with a capped count (COUNT(*) over an organisation's
hundreds of thousands of rows on every page would cost too much). An organisation's system without
`party`: its feed of all its cases by cursor (keyset on updated_at, id), page after page, each case once."""

import base64
import binascii
import contextlib
from datetime import UTC, datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from contactcentre.api.pagination import DefaultPagination
from contactcentre.errors import ValidationFailed

COUNT_CAP = 1_000


class CappedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        # COUNT(*) over a LIMITed subquery of bare ids (no joins, no ordering) stops after COUNT_CAP rows.
        return self.object_list.order_by().values("pk")[:COUNT_CAP].count()


class CappedCountPagination(DefaultPagination):
    django_paginator_class = CappedCountPaginator

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            f"Aantal resultaten, hoogstens {COUNT_CAP}: daarboven een ondergrens; verfijn dan met filters."
        )
        return response


class CaseFeedPagination(BasePagination):
    """Keyset ("cursor") pages over (updated_at, id): an organisation's system reads all its cases,
    each once, in a stable order, however many there are. The cursor is the last (updated_at, id)
    handed out, so a page is an index range scan (case_org_updated_idx) and costs the same on page
    one and page ten thousand. A case modified during a walk moves to the end and is read again
    with its new updated_at; none is skipped. A system that synchronises keeps the newest updated_at
    it read and starts its next walk with `modified_since` a few seconds before it (a transaction
    still open during the walk commits with the time it began)."""

    cursor_query_param = "cursor"
    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        rows = queryset.order_by("updated_at", "id")
        after = self.decode_cursor(request.query_params.get(self.cursor_query_param))
        if after is not None:
            at, pk = after
            # The redundant `>=` bounds the index range; the OR keeps ties on updated_at in id order.
            rows = rows.filter(Q(updated_at__gte=at), Q(updated_at__gt=at) | Q(updated_at=at, id__gt=pk))
        rows = list(rows[: size + 1])
        self.has_next = len(rows) > size
        rows = rows[:size]
        self.last = (rows[-1].updated_at, rows[-1].pk) if rows else None
        return rows

    def get_page_size(self, request) -> int:
        """As the page-number lists: a whole number above 0, at most max_page_size; else the default."""
        with contextlib.suppress(KeyError, ValueError):
            size = int(request.query_params[self.page_size_query_param])
            if size > 0:
                return min(size, self.max_page_size)
        return self.page_size

    @staticmethod
    def encode_cursor(updated_at: datetime, pk: int) -> str:
        raw = f"{updated_at.astimezone(UTC).isoformat()}|{pk}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @staticmethod
    def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
        if not cursor:
            return None
        try:
            if len(cursor) > 100:
                raise ValueError
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
            at, _sep, pk = raw.partition("|")
            updated_at = datetime.fromisoformat(at)
            if updated_at.tzinfo is None or not (pk.isascii() and pk.isdigit() and len(pk) <= 18):
                raise ValueError
        except (ValueError, UnicodeDecodeError, binascii.Error):
            raise ValidationFailed(field_errors={"cursor": [_("Ongeldige cursor; gebruik de link 'next'.")]}) from None
        return updated_at, int(pk)

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), "page")
        return replace_query_param(url, self.cursor_query_param, self.encode_cursor(*self.last))

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})


def is_organisation_feed(request) -> bool:
    """An organisation's system listing without `party` reads its feed; everyone else pages."""
    return bool(getattr(request.user, "is_organisation", False)) and not request.query_params.get("party")


class CaseListPagination(BasePagination):
    """GET /api/v1/cases: with `party` (people always give one) page numbers with a capped count;
    an organisation's system without `party` reads its feed of all its cases by cursor."""

    def __init__(self):
        self.pages = CappedCountPagination()
        self.feed = CaseFeedPagination()
        self.active = self.pages

    def paginate_queryset(self, queryset, request, view=None):
        self.active = self.feed if is_organisation_feed(request) else self.pages
        return self.active.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return self.active.get_paginated_response(data)

    def get_schema_operation_parameters(self, view):
        cursor = {
            "name": CaseFeedPagination.cursor_query_param,
            "required": False,
            "in": "query",
            "description": (
                "Alleen de feed van een organisatie (geen `party`): de cursor uit de link `next`. De feed "
                "geeft alle zaken van de organisatie op volgorde van (updated_at, id); een zaak die tijdens "
                "het lezen wijzigt komt later opnieuw, met zijn nieuwe updated_at."
            ),
            "schema": {"type": "string", "maxLength": 100},
        }
        return [*self.pages.get_schema_operation_parameters(view), cursor]

    def get_paginated_response_schema(self, schema):
        page = self.pages.get_paginated_response_schema(schema)
        page["required"] = ["next", "results"]
        page["description"] = (
            "Met `party`: een pagina (`page`, `count`, `previous`). De feed van een organisatie (zonder "
            "`party`): `next` en `results`, zonder `count` en `previous`."
        )
        return page
