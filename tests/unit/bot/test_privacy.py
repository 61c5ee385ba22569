import logging

from bot.privacy import MaskingFilter, mask_address, mask_name, mask_phone, mask_text


def test_phone_id_and_landline_are_masked_in_text():
    masked = mask_text("电话13812345678，身份证110101199003071234，座机024-12345678")
    assert "13812345678" not in masked and "138****5678" in masked
    assert "199003071234" not in masked and masked.count("110101") == 1
    assert "12345678" not in masked.replace("138****5678", "")


def test_names_phones_and_house_numbers():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("王小明") == "王**"
    assert mask_address("人民路88号3单元201室") == "人民路*号*单元*室"


def test_log_records_are_masked(caplog):
    logger = logging.getLogger("hotline.test.masking")
    logger.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO, logger="hotline.test.masking"):
        logger.info("caller %s left %s", "张三", "13812345678")
    assert "13812345678" not in caplog.text and "138****5678" in caplog.text


def test_phones_however_written_are_masked():
    for written in ("138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+8613812345678",
                    "0086-13812345678", "138　1234　5678"):
        masked = mask_text(f"我的电话{written}，打这个")
        assert "1234" not in masked and "5678" in masked, (written, masked)
    # ticket numbers, amounts and dates are no phones
    assert mask_text("工单编号：202612060001") == "工单编号：202612060001"
    assert mask_text("罚款 2000 元，2026-12-06") == "罚款 2000 元，2026-12-06"


def test_tracebacks_are_masked_too():
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Keep()
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("hotline.test.tracebacks")
    logger.addHandler(handler)
    try:
        raise ValueError("duplicate key (contact_phone)=(13812345678), id 110101199003071234")
    except ValueError:
        logger.exception("could not store the ticket of %s", "138-1234-5678")
    logger.removeHandler(handler)
    [printed] = records
    assert "Traceback" in printed and "ValueError" in printed
    assert "13812345678" not in printed and "1234-5678" not in printed and "199003071234" not in printed
