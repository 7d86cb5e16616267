def ids(hits) -> list[str]:
    return [hit.article.external_id for hit in hits]
