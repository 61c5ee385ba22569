"""知识库维护 in the staff portal, headless Chromium at 1366×768 against the staff server on its own
SQLite database and a small knowledge folder of its own (e5 encoder, index prebuilt here; the
server updates it incrementally when the office publishes).

A department's handler sees its own entries, the overdue one highlighted, and proposes a change;
the office sees the pending proposal with its diff, publishes it (the file and the index follow),
refuses another with a reason the handler then reads, and sees the unanswered questions grouped
with the nearest entry, opening a prefilled form from a group.
Screenshot: reports/screenshots/portal-knowledge.png.
"""
from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from bot.knowledge.editorial import Editor, Editorial
from bot.knowledge.service import KnowledgeBase
from bot.knowledge.settings import load_settings
from bot.knowledge.source import load_source
from bot.office.service_log import UNANSWERED, ServiceLog
from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from tests.support.browser import SCREENSHOTS, browser_factory  # noqa: F401 - fixture
from tests.support.portal import PORTAL_STAFF_YAML, PORTAL_TOKENS, PortalPage
from tests.support.seats.fixtures import start_staff

pytestmark = [pytest.mark.browser]

SOURCE = """\
    department: 本市城市管理局
    phone: "12345"
    entries:
      - id: waste-sorting
        question: 垃圾分类分哪几类？
        alternatives: [生活垃圾怎么分, 垃圾分几种]
        answer: 可回收物、有害垃圾、厨余垃圾、其他垃圾。咨询电话：12345。
        source: 本市生活垃圾管理条例
        updated: 2024-10-01
      - id: street-vendor
        question: 路边占道摆摊归谁管？
        answer: 占道经营由城市管理部门处理，可拨打12345反映。咨询电话：12345。
        source: 本市市容和环境卫生管理条例
        updated: %(today)s
      - id: sscard-lost
        question: 社保卡丢了怎么补办？
        answer: 先打12333挂失，再到网点补办。咨询电话：本市人力资源和社会保障局12333。
        department: 本市人力资源和社会保障局
        phone: "12333"
        source: 《社会保障卡管理办法》
        updated: %(today)s
    """
HANDLER = Editor("承办人:市城市管理综合执法局/李强", "chengguan")


@pytest.fixture
def kb_server(tmp_path, monkeypatch):
    for var in [v for v in __import__("os").environ if v.startswith("HOTLINE_KB_")]:
        monkeypatch.delenv(var)
    folder, index = tmp_path / "knowledge", tmp_path / "kb_index"
    folder.mkdir()
    (folder / "chengguan.yml").write_text(textwrap.dedent(SOURCE) % {"today": dt.date.today().isoformat()},
                                          encoding="utf-8")
    settings = load_settings(source_dir=folder, index_dir=index, encoder="e5")
    KnowledgeBase.open(settings)
    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    engine = make_engine(url)
    migrate(engine)
    tokens = tmp_path / "staff_tokens.yml"
    tokens.write_text(PORTAL_STAFF_YAML, encoding="utf-8")
    server = start_staff({"HOTLINE_DATABASE_URL": url, "HOTLINE_STAFF_TOKENS_FILE": str(tokens),
                          "HOTLINE_KB_SOURCE_DIR": str(folder), "HOTLINE_KB_INDEX_DIR": str(index),
                          "HOTLINE_KB_ENCODER": "e5",
                          # settings/knowledge.yml's thresholds are measured for use+e5; e5 alone
                          # compresses cosines upwards (see its comments), so its offer line is higher.
                          "HOTLINE_KB_ANSWER_THRESHOLD": "0.93", "HOTLINE_KB_OFFER_THRESHOLD": "0.9"}, Path(tmp_path))
    yield server, TicketStore(engine), settings
    server.stop()
    engine.dispose()


def test_a_handler_proposes_a_change_to_its_own_entry(browser_factory, kb_server):
    server, store, settings = kb_server
    page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["handler"])
    assert "知识库维护" in page.nav()
    page.choose("knowledge")
    page.wait(lambda: page.driver.find_elements("id", "kb-entry-waste-sorting"), 20, lambda: page.text("kb-body"))
    assert "sscard-lost" not in page.text("kb-body")              # another department's entry
    row = page.find("kb-entry-waste-sorting")
    assert "kb-stale" in row.get_attribute("class") and "已超过复核日期" in row.text
    assert "kb-stale" not in page.find("kb-entry-street-vendor").get_attribute("class")
    page.find("kb-edit-waste-sorting").click()
    assert page.find("kb-f-question").get_attribute("value") == "垃圾分类分哪几类？"
    page.driver.save_screenshot(str(SCREENSHOTS / "portal-knowledge-handler.png"))
    answer = page.find("kb-f-answer")
    answer.clear()
    answer.send_keys("分为可回收物、有害垃圾、厨余垃圾和其他垃圾四类。咨询电话：12345。")
    page.find("kb-f-note").send_keys("按新条例修改")
    page.find("kb-f-submit").click()
    page.wait(lambda: "已提交提议" in page.banner(), 15, lambda: page.banner())
    page.wait(lambda: "待审核" in page.text("kb-body") and "按新条例修改" in page.text("kb-body"), 15,
              lambda: page.text("kb-body"))
    page.find("kb-new").click()
    page.find("kb-f-question").send_keys("乱扔垃圾怎么举报？")
    page.find("kb-f-answer").send_keys("可拨打12345反映。咨询电话：12345。")
    page.find("kb-f-phone").send_keys("打12345")
    page.find("kb-f-source").send_keys("条例")
    page.find("kb-f-submit").click()
    page.wait(lambda: "咨询电话（phone）应为数字" in page.banner(), 15, lambda: page.banner())


def test_the_office_reviews_publishes_refuses_and_sees_unanswered_questions(browser_factory, kb_server):
    server, store, settings = kb_server
    desk = Editorial(store.engine, settings)
    desk.propose(HANDLER, {"entry_id": "waste-sorting", "question": "垃圾分类分哪几类？",
                           "alternatives": ["生活垃圾怎么分", "垃圾分几种", "垃圾要分几类扔"],
                           "answer": "分为可回收物、有害垃圾、厨余垃圾和其他垃圾四类，大件垃圾需预约。咨询电话：12345。",
                           "phone": "12345", "source": "本市生活垃圾管理条例（2026年修订）", "note": "条例修订"})
    bulky = desk.propose(HANDLER, {"question": "旧沙发怎么扔？", "answer": "预约大件垃圾收运。咨询电话：12345。",
                                   "phone": "12345", "source": "本市生活垃圾管理条例"})
    log = ServiceLog(store.engine)
    now = dt.datetime.now(dt.timezone.utc)
    for n, text in enumerate(["小区门口共享单车乱停没人管", "共享单车乱停在小区门口", "小区门口的共享单车停得乱七八糟",
                              "社保卡丢了去哪补", "宠物狗办证去哪里"]):
        log.record(UNANSWERED, "web", f"citizen-{n}", text, at=now - dt.timedelta(hours=n), fell_to="ticket")

    page = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["office"])
    page.choose("knowledge")
    page.wait(lambda: page.driver.find_elements("id", f"kb-proposal-{bulky['id']}"), 20, lambda: page.text("kb-body"))
    card = page.find(f"kb-proposal-{bulky['id'] - 1}")
    assert "条例修订" in card.text and "垃圾要分几类扔" in card.text and "其他问法" in card.text
    page.driver.save_screenshot(str(SCREENSHOTS / "portal-knowledge.png"))

    page.find(f"kb-approve-{bulky['id'] - 1}").click()
    page.wait(lambda: "已发布 waste-sorting" in page.banner(), 60, lambda: page.banner())
    assert "修改 1" in page.banner()
    assert "大件垃圾需预约" in load_source(settings.source_dir).by_id()["waste-sorting"].answer
    assert KnowledgeBase.open(settings).search("垃圾要分几类扔", 1)[0].id == "waste-sorting"

    page.find(f"kb-refuse-{bulky['id']}").click()
    page.wait(lambda: "请先填写退回理由" in page.banner(), 10, lambda: page.banner())
    page.find(f"kb-reason-{bulky['id']}").send_keys("请写明预约电话")
    page.find(f"kb-refuse-{bulky['id']}").click()
    page.wait(lambda: f"已退回提议 #{bulky['id']}" in page.banner(), 15, lambda: page.banner())
    page.find("kb-tab-decided").click()
    page.wait(lambda: "退回理由：请写明预约电话" in page.text("kb-body"), 15, lambda: page.text("kb-body"))

    page.find("kb-tab-unanswered").click()
    page.wait(lambda: page.driver.find_elements("id", "kb-group-0"), 60, lambda: page.text("kb-body") + page.banner())
    assert "没答上的问题 5 个" in page.text("kb-groups-summary")
    first = page.text("kb-group-0")
    assert "3 次" in first and "共享单车" in first and "知识库缺少这类条目" in first
    page.find("kb-create-0").click()
    assert "共享单车" in page.find("kb-f-question").get_attribute("value")
    assert "共享单车" in page.find("kb-f-alternatives").get_attribute("value")
    sscard = next(g for g in page.driver.find_elements("css selector", ".kb-group") if "社保卡" in g.text)
    assert "sscard-lost" in sscard.text and "已有相近条目但没答上" in sscard.text
    page.driver.save_screenshot(str(SCREENSHOTS / "portal-knowledge-unanswered.png"))

    handler = PortalPage.at(browser_factory, server.url).sign_in(PORTAL_TOKENS["handler"])
    handler.choose("knowledge")
    handler.find("kb-tab-mine").click()
    handler.wait(lambda: "退回理由：请写明预约电话" in handler.text("kb-body") and "已发布" in handler.text("kb-body"),
                 15, lambda: handler.text("kb-body"))
