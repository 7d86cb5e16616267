"""A page of the signed-in citizen's own rows (Mijn berichten, Mijn contacten): 20 to a page by
?page=, and the rows on it read as self service, the read logged."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from contactcentre.interactions.selectors import rows_read_log
from contactcentre.portal.mijn import SELF

PAGE_SIZE = 20


def own_rows_page(request, rows: QuerySet, *, object_type: str) -> tuple[Page, list]:
    """The page asked for (the first for a wrong number, the last past the end) and its rows."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, rows_read_log(rows=page, actor=request.citizen, object_type=object_type, purpose=SELF)
