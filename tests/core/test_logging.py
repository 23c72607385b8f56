"""gongkai.core.logging: ID numbers and mobile numbers never reach the logs in clear
(PIPL 第五十一条 去标识化; ASVS v4.0.3 7.1.1)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from gongkai.core.logging import MaskPersonalDataFilter, mask_personal_data


class ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, ListHandler]]:
    """A logger whose only handler carries the filter, as the console handler in settings does."""
    logger = logging.getLogger("gongkai.tests.masking")
    handler = ListHandler()
    handler.addFilter(MaskPersonalDataFilter())
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    yield logger, handler
    logger.removeHandler(handler)
    logger.propagate = True


def test_pipl_id_number_and_mobile_in_a_record_are_masked(
    log: tuple[logging.Logger, ListHandler],
) -> None:
    """PIPL 第五十一条: GB 11643 number keeps region + last 4, mobile keeps first 3 + last 4."""
    logger, handler = log
    logger.info("申请人身份证号11010519491231002X，手机13812345678，已受理")
    assert handler.lines == ["申请人身份证号110105********002X，手机138****5678，已受理"]


def test_pipl_personal_data_passed_as_arguments_is_masked(
    log: tuple[logging.Logger, ListHandler],
) -> None:
    """The filter masks the formatted message, so %s arguments are covered too."""
    logger, handler = log
    logger.info("证件 %s 电话 %s 进度 100%%", "11010519491231002x", 13912345678)
    assert handler.lines == ["证件 110105********002x 电话 139****5678 进度 100%"]


def test_pipl_masking_works_with_caplog(caplog: pytest.LogCaptureFixture) -> None:
    caplog.handler.addFilter(MaskPersonalDataFilter())
    with caplog.at_level(logging.INFO, logger="gongkai.tests.caplog"):
        logging.getLogger("gongkai.tests.caplog").warning("ID 11010519491231002X tel 15000001111")
    assert caplog.messages == ["ID 110105********002X tel 150****1111"]
    assert "11010519491231002X" not in caplog.text
    assert "15000001111" not in caplog.text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("+8613812345678", "+86138****5678"),
        ("电话8613812345678", "电话86138****5678"),
        ("+86 138 1234 5678", "+86 138 1234 5678"),  # split by spaces: no run of 11 digits
        ("+86 13812345678", "+86 138****5678"),
        ("+86-13812345678", "+86-138****5678"),
    ],
)
def test_pipl_mobile_with_country_code_is_masked(text: str, masked: str) -> None:
    """+86 written straight before the number (as validate_mobile accepts it) is masked too; it
    used to pass unmasked because the digit look-behind saw the 6 of 86."""
    assert mask_personal_data(text) == masked


def test_ordinary_20_digit_number_is_left_alone() -> None:
    """Digit look-arounds: an 18-digit ID or 11-digit mobile is only matched as a whole run, so an
    order number of 20 digits (which contains both shapes) is not touched."""
    text = "订单号 13812345678110105194 已支付，流水 20240101123456789012"
    assert mask_personal_data(text) == text


@pytest.mark.parametrize(
    "text", ["依申请公开〔2024〕第12号", "2024-01-01 12:00:00", "编号 1234567890"]
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask_personal_data(text) == text


def test_any_18_digit_run_is_masked_as_a_possible_id_number() -> None:
    """Erring on the side of privacy: an 18-digit run is masked even if it is not a valid ID."""
    assert mask_personal_data("no 123456789012345678") == "no 123456********5678"


def test_id_and_mobile_next_to_letters_and_punctuation_are_masked() -> None:
    assert (
        mask_personal_data("id=11010519491231002X;tel:13812345678.")
        == "id=110105********002X;tel:138****5678."
    )


def test_full_width_id_number_is_masked() -> None:
    """A GB 11643 number typed in full-width digits is folded to ASCII digits and masked."""
    assert mask_personal_data("１１０１０５１９４９１２３１００２１") == "110105********0021"


def test_full_width_mobile_is_masked() -> None:
    """Full-width digits are folded before matching, so １３８１２３４５６７８ is masked too."""
    assert "１２３４" not in mask_personal_data("１３８１２３４５６７８")


def test_record_without_personal_data_is_untouched() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "共 %d 件", (3,), None)
    assert MaskPersonalDataFilter().filter(record) is True
    assert (record.msg, record.args) == ("共 %d 件", (3,))


def test_masked_record_has_no_args_left_to_format() -> None:
    """Once masked, msg is the final text and args is cleared, so a '%' in the text is safe."""
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s 100%%", ("13812345678",), None)
    assert MaskPersonalDataFilter().filter(record) is True
    assert record.args is None
    assert record.getMessage() == "138****5678 100%"
    # A second handler with the same filter sees the already-masked text and leaves it alone.
    assert MaskPersonalDataFilter().filter(record) is True
    assert record.getMessage() == "138****5678 100%"


def test_settings_put_the_filter_on_the_console_handler() -> None:
    from django.conf import settings

    config = settings.LOGGING
    assert config["filters"]["mask_personal_data"]["()"] == (
        "gongkai.core.logging.MaskPersonalDataFilter"
    )
    assert "mask_personal_data" in config["handlers"]["console"]["filters"]
    assert "console" in config["root"]["handlers"]
