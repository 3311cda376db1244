"""The levy API at /api/v1/levy/: one module per area, each with its own router, joined here.

Everything is fetched through `levy.access` and every write goes through the levy services, so the
API shows and allows what the pages do.
"""

from ninja import Router

from .ledger import router as ledger_router
from .optimiser import router as optimiser_router
from .pledges import router as pledges_router
from .setup import router as setup_router

router = Router(tags=["levy"])
router.add_router("", ledger_router)
router.add_router("", optimiser_router)
router.add_router("", pledges_router)
router.add_router("", setup_router)
