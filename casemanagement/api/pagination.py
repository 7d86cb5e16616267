"""Page numbers with a capped count: an organisation's system listing all its cases would otherwise
pay for COUNT(*) over hundreds of thousands of rows on every page."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from contactcentre.api.pagination import DefaultPagination

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
