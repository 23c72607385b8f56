"""Export of the publication catalog (Excel), with the filters of the 主动公开 listing.

The file holds what the console shows the exporter: drafts and items not proactively disclosed
(依申请公开, 不予公开) with their 正文 too, for the organisations the exporter may view. It is
a bulk read of information that must not be made public, so it is scoped here again (not only
by the view) and audited: who, which organisations, which filters, how many rows and how many
of them are not published or not 主动公开.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import Count, Q

from gongkai.audit.services import audit_record
from gongkai.catalogs import excel
from gongkai.orgs.constants import Action
from gongkai.orgs.models import User
from gongkai.orgs.permissions import orgs_for
from gongkai.publications import selectors as pub_selectors
from gongkai.publications.constants import DisclosureAttribute, Status


def catalog_export(*, actor: User, filters: pub_selectors.Filters) -> tuple[bytes, int]:
    """The workbook of the listing `actor` sees with `filters`, and its row count."""
    qs = pub_selectors.console_list(actor, filters)  # scoped to the organisations actor views
    counts = qs.order_by().aggregate(
        rows=Count("pk"),
        not_published=Count("pk", filter=~Q(status=Status.PUBLISHED)),
        not_proactive=Count("pk", filter=~Q(disclosure_attribute=DisclosureAttribute.PROACTIVE)),
    )
    org_ids = sorted(set(qs.order_by().values_list("organization_id", flat=True)))
    content = excel.export_catalog(qs)
    # One organisation (asked for, or the only one in the file) is the event's organisation, so
    # the audit log of that organisation lists who took its catalog away.
    single = filters.organization or (org_ids[0] if len(org_ids) == 1 else None)
    audit_record(
        actor=actor,
        verb="catalog.exported",
        organization=orgs_for(actor, Action.VIEW).filter(pk=single).first() if single else None,
        after={
            "filters": {k: v for k, v in asdict(filters).items() if v},
            "organizations": org_ids,
            **counts,
        },
    )
    return content, counts["rows"]
