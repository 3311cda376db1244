"""Keeps the catalogue's terms in step with a programme's title, summary and topics.

Called by the services that write a programme (and the admin), inside their transaction, so the
catalogue's search and topic filter (`learning.catalogue`) always see what the programme says.
"""

from __future__ import annotations

from . import terms
from .models import CatalogueTerm, CatalogueWord, Programme


def index_programme(programme: Programme) -> None:
    """Write the programme's terms afresh, and add any new word to the searchable words."""
    topic_ids = list(programme.topics.values_list("pk", flat=True))
    wanted = terms.terms_of(programme.title, programme.summary, topic_ids)
    words = terms.words_of(programme.title) | terms.words_of(programme.summary)
    CatalogueWord.objects.bulk_create(
        [CatalogueWord(word=word) for word in sorted(words)], ignore_conflicts=True
    )
    CatalogueTerm.objects.filter(programme=programme).delete()
    CatalogueTerm.objects.bulk_create(
        CatalogueTerm(programme=programme, term=term, title=programme.title)
        for term in sorted(wanted)
    )
