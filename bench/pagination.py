"""What-if paginator for bench/serve_and_load.py --what-if no_count_pagination: page numbers without
COUNT(*). It fetches one row more than the page to know whether a next page exists, so a page costs
an index range scan whatever the number of rows behind it. Used only to measure that candidate."""

from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from contactcentre.api.pagination import DefaultPagination


class NoCountPagination(DefaultPagination):
    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        try:
            self.number = max(int(request.query_params.get(self.page_query_param, 1)), 1)
        except ValueError:
            self.number = 1
        offset = (self.number - 1) * size
        rows = list(queryset[offset : offset + size + 1])
        self.has_next = len(rows) > size
        return rows[:size]

    def get_paginated_response(self, data):
        url = self.request.build_absolute_uri()
        return Response(
            {
                "next": replace_query_param(url, self.page_query_param, self.number + 1) if self.has_next else None,
                "previous": replace_query_param(url, self.page_query_param, self.number - 1)
                if self.number > 1
                else None,
                "results": data,
            }
        )
