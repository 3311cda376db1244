"""Every write to the materials library: materials, versions, adaptations, reuse, reports, hiding.

Each service checks who may do it (`materials/access.py`), then every rule, before it writes
anything; a broken rule raises `MaterialRefused` naming the field. An upload is checked by the
shared uploads package and stored only once every check has passed; if the transaction then
fails, the stored file is deleted again, so a refusal never leaves a file or a row behind.
Each write is one transaction with one audit entry (ids and non-personal values only).

`Material.search_document` (summary, topic names and the current version's extracted text) is
kept here, in the transaction of every write that changes one of those and when the background
task has read a version's text (`tasks.extract_version_text`).

- `materials`: create_material, add_version, update_material, adapt_material
- `sharing`: publish_openly, withdraw_open_publication, record_reuse
- `reports`: report_material, hide_material, unhide_material, dismiss_report
- `text`: read_version_text (the background task's work)
- `deliveries`: request_delivery, approve_delivery, decline_delivery, withdraw_delivery,
  mark_delivered (delivery requests for a partner's accredited trainer)
- `accreditations`: accredit, withdraw_accreditation (train-the-trainer)
- `pool`: join_pool, leave_pool, add_availability, remove_availability (the trainer pool)
- `fields`: the checks of what people give, and MaterialRefused
"""

from .accreditations import accredit, withdraw_accreditation
from .deliveries import (
    approve_delivery,
    decline_delivery,
    mark_delivered,
    request_delivery,
    withdraw_delivery,
)
from .fields import MaterialRefused
from .materials import (
    adapt_material,
    add_version,
    create_material,
    current_search_document,
    search_document_of,
    update_material,
)
from .pool import add_availability, join_pool, leave_pool, remove_availability
from .reports import dismiss_report, hide_material, report_material, unhide_material
from .sharing import publish_openly, record_reuse, withdraw_open_publication
from .text import read_version_text

__all__ = [
    "MaterialRefused",
    "accredit",
    "adapt_material",
    "add_availability",
    "add_version",
    "approve_delivery",
    "create_material",
    "current_search_document",
    "decline_delivery",
    "dismiss_report",
    "hide_material",
    "join_pool",
    "leave_pool",
    "mark_delivered",
    "publish_openly",
    "read_version_text",
    "record_reuse",
    "remove_availability",
    "report_material",
    "request_delivery",
    "search_document_of",
    "unhide_material",
    "update_material",
    "withdraw_accreditation",
    "withdraw_delivery",
    "withdraw_open_publication",
]
