"""The demo district shows the misuse and reuse pages with something in them."""

from __future__ import annotations

from datetime import date

import time_machine

from gongkai.core.ids import resident_id_problem
from gongkai.inforequests.demo import _demo_resident_id, _reply
from gongkai.inforequests.demo_reuse import PEOPLE, build_reuse_examples
from gongkai.inforequests.misuse_selectors import misuse_flags, suggestions
from gongkai.inforequests.models import InfoRequest
from tests.conftest import District
from tests.inforequests.letters_support import legal_reviewer


def test_demo_people_have_valid_and_different_id_numbers() -> None:
    numbers = {_demo_resident_id(f"138{n * 7:05d}{n:03d}") for n in range(100)}
    assert len(numbers) == 100
    assert all(resident_id_problem(n) is None for n in numbers)
    assert all(resident_id_problem(n) is None for _, n, _ in PEOPLE)


def test_reuse_examples_give_a_suggestion_and_a_repeat(district: District) -> None:
    """第四十四条 and 第三十六条第（六）项 have an example each in the demo."""
    today = date(2024, 12, 18)
    with time_machine.travel(today, tick=False):
        build_reuse_examples(
            district.dept_a,
            district.officer_a,
            today,
            reply=lambda request, on: _reply(
                district.officer_a, legal_reviewer(district.dept_a), request, "disclosed", on
            ),
        )
        (item,) = suggestions(district.officer_a, today)
        assert item.group.applicant_count == 3
        latest = InfoRequest.objects.order_by("-id").first()
        assert latest is not None
        assert len(misuse_flags(latest).repeated) == 1
