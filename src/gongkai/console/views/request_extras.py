"""What the application detail page shows besides the application itself: misuse flags with
their evidence and the officer's decisions (第三十五条, 第三十六条第（六）项), and the
行政复议/行政诉讼 cases arising from it. Rendered by console/requests/_review.html."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai.appeals.selectors import for_request
from gongkai.console.forms_ledger import MisuseDecisionForm
from gongkai.inforequests.misuse_selectors import misuse_flags
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.models_ledger import MisuseKind
from gongkai.orgs.constants import Action
from gongkai.orgs.permissions import can


def detail_extras(request: HttpRequest, info: InfoRequest) -> dict[str, Any]:
    reconsiderations, litigations = for_request(request.user, info)
    can_work = can(request.user, Action.WORK, info.organization)
    return {
        "misuse": misuse_flags(info),
        "misuse_forms": {
            "repeated": MisuseDecisionForm(
                auto_id="repeated-%s", initial={"kind": MisuseKind.REPEATED}
            ),
            "excessive": MisuseDecisionForm(
                auto_id="excessive-%s", initial={"kind": MisuseKind.EXCESSIVE}
            ),
        }
        if can_work
        else {},
        "appeal_reconsiderations": list(reconsiderations),
        "appeal_litigations": list(litigations),
    }
