"""The seat console's API in-process, against a stand-in of Rasa's HTTP API and of the WeChat
gateway, a real queue and ticket store (SQLite): roles, one seat per conversation, talking on
the citizen's channel, the ticket and its history, hand-back, long waits."""
from __future__ import annotations

import datetime as dt

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.seats.hours import SeatHours
from bot.seats.queue import SeatQueue
from bot.seats.settings import seat_settings_from
from bot.settings import load_yaml
from bot.tickets.database import make_engine, migrate
from bot.tickets.store import TicketStore
from bot.workdays import WorkdayCalendar
from channels.staff.api.staff import StaffDirectory
from channels.staff.seats import create_seat_api
from channels.staff.seats.console import SeatConsole
from channels.staff.seats.context import SeatContext
from channels.staff.seats.delivery import Delivery, WeChatRelay
from channels.staff.seats.knowledge import QuickAnswers
from channels.rasa_client import RasaClient
from tests.support.seats.fakes import STAFF_YAML, TOKENS, FakeGateway, FakeRasa

SECRET = "relay-secret-for-tests"
pytestmark = pytest.mark.asyncio(loop_scope="session")


class FakeKb:
    def search(self, question, k=5):
        from bot.knowledge.service import Hit
        return [Hit("kb-1", "社保卡丢了怎么办", "携带身份证到社保服务网点挂失补办。", "人社局", "12333", "test", 0.9)]


@pytest.fixture
async def desk(tmp_path):
    rasa, gateway = FakeRasa(), FakeGateway(SECRET)
    servers = [TestServer(rasa.app()), TestServer(gateway.app())]
    for server in servers:
        await server.start_server()
    engine = make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    migrate(engine)
    store, queue = TicketStore(engine), SeatQueue(engine)
    settings = seat_settings_from(dict(load_yaml("seats.yml"), wechat_gateway_url=str(servers[1].make_url(""))))
    delivery = Delivery(RasaClient(str(servers[0].make_url(""))), WeChatRelay(settings.wechat_gateway_url, SECRET))
    hours = SeatHours.from_settings(settings, calendar=WorkdayCalendar(), timezone="Asia/Shanghai")
    context = SeatContext(SeatConsole(queue, lambda: store, delivery, settings, hours),
                          QuickAnswers(open_kb=FakeKb, hits=3))
    api = create_seat_api(context, staff=lambda: StaffDirectory.parse(STAFF_YAML, "test"), sweep=False)
    app = web.Application()
    app.add_subapp("/seats/api", api)
    client = TestClient(TestServer(app))
    await client.start_server()
    yield Desk(client, rasa, gateway, queue, store, context)
    await client.close()
    for server in servers:
        await server.close()
    engine.dispose()


class Desk:
    def __init__(self, client, rasa, gateway, queue, store, context):
        self.client, self.rasa, self.gateway, self.queue, self.store, self.context = client, rasa, gateway, queue, store, context

    async def call(self, seat, method, path, body=None):
        response = await self.client.request(method, "/seats/api" + path, json=body,
                                             headers={"Authorization": f"Bearer {TOKENS[seat]}"})
        return response.status, await response.json()


async def test_a_token_is_needed_and_only_seats_take_conversations(desk):
    response = await desk.client.get("/seats/api/queue")
    assert response.status == 401
    status, me = await desk.call("赵敏", "GET", "/me")
    assert status == 200 and me["can_take"] is False and me["role_label"] == "只读"
    entry = desk.queue.enqueue("web-1", "web", "requested").entry
    status, body = await desk.call("赵敏", "POST", f"/queue/{entry.id}/claim")
    assert status == 403 and "只有热线坐席" in body["error"]["message"]


async def test_the_queue_shows_waiting_times_and_reasons(desk):
    desk.queue.enqueue("web-aaaaaaaaaa", "web", "anger", {"matched": ["气死"]})
    desk.queue.enqueue("wechat:oABCDEFGHIJ", "wechat", "requested")
    status, queue = await desk.call("王芳", "GET", "/queue")
    assert status == 200 and queue["open"] is True and queue["hours"] == "7×24小时"
    first, second = queue["waiting"]
    assert (first["position"], first["reason_label"], first["matched"]) == (1, "市民情绪激动", ["气死"])
    assert first["who"] == "网页用户 aaaaaa…" and second["channel_label"] == "微信"
    assert first["waited_seconds"] >= 0 and queue["taken"] == []


async def test_one_seat_per_conversation(desk):
    entry = desk.queue.enqueue("web-1", "web", "requested").entry
    status, taken = await desk.call("王芳", "POST", f"/queue/{entry.id}/claim")
    assert status == 200 and taken["entry"]["mine"] and taken["warning"] is None
    status, refused = await desk.call("李强", "POST", f"/queue/{entry.id}/claim")
    assert status == 409 and refused["error"]["message"] == "这个对话已由王芳接待，请选择其他对话"
    status, refused = await desk.call("李强", "POST", f"/conversations/{entry.id}/messages", {"text": "你好"})
    assert status == 409 and "由王芳接待" in refused["error"]["message"]
    assert desk.rasa.paused["web-1"] is True
    greeting = desk.rasa.pushed[0]
    assert greeting["text"].startswith("【人工客服王芳】您好") and greeting["metadata"]["seat"] == "王芳"


async def test_web_chat_words_are_pushed_and_citizen_words_are_read(desk):
    desk.rasa.say("web-1", "我要投诉楼下烧烤摊", "complain")
    entry = desk.queue.enqueue("web-1", "web", "requested").entry
    await desk.call("王芳", "POST", f"/queue/{entry.id}/claim")
    desk.rasa.say("web-1", "还在吗？", "nlu_fallback")
    status, _ = await desk.call("王芳", "POST", f"/conversations/{entry.id}/messages", {"text": "在的，请说"})
    assert status == 200
    pushed = desk.rasa.pushed[-1]
    assert pushed["text"] == "【人工客服王芳】在的，请说" and pushed["channel"] == "latest"
    assert pushed["metadata"] == {"seat": "王芳", "seat_text": "在的，请说"}
    status, view = await desk.call("王芳", "GET", f"/conversations/{entry.id}")
    roles = [(t["role"], t["text"]) for t in view["transcript"]]
    assert ("citizen", "我要投诉楼下烧烤摊") in roles and ("citizen", "还在吗？") in roles
    assert ("seat", "在的，请说") in roles and ("note", "智能助手已暂停（转人工）") in roles
    assert view["can_write"] and view["understanding"]["request_type_label"] == "投诉"
    assert view["ticket_form"]["text"] == "我要投诉楼下烧烤摊；还在吗？" or "烧烤摊" in view["ticket_form"]["text"]


async def test_wechat_words_go_through_the_gateway(desk):
    entry = desk.queue.enqueue("wechat:oCitizen123", "wechat", "requested").entry
    await desk.call("王芳", "POST", f"/queue/{entry.id}/claim")
    await desk.call("王芳", "POST", f"/conversations/{entry.id}/messages", {"text": "请问具体地址？"})
    assert [m["openid"] for m in desk.gateway.sent] == ["oCitizen123", "oCitizen123"]
    assert desk.gateway.sent[-1]["messages"] == [{"text": "【人工客服王芳】请问具体地址？"}]
    assert desk.rasa.pushed == []   # stored in the tracker without side effects
    assert desk.rasa.events["wechat:oCitizen123"][-1]["metadata"]["seat"] == "王芳"
    status, _ = await desk.call("王芳", "POST", f"/conversations/{entry.id}/handback")
    assert status == 200 and desk.gateway.sent[-1]["messages"][0]["text"].startswith("人工客服已结束")


async def test_the_ticket_is_opened_once_updated_after_and_keeps_what_the_seat_said(desk):
    entry = desk.queue.enqueue("web-1", "web", "requested").entry
    await desk.call("王芳", "POST", f"/queue/{entry.id}/claim")
    await desk.call("王芳", "POST", f"/conversations/{entry.id}/messages", {"text": "请留个电话"})
    form = {"request_type": "complain", "text": "楼下烧烤摊每天吵到半夜", "location": "人民路88号",
            "contact_name": "张先生", "contact_phone": "13812345678", "consent": True}
    status, made = await desk.call("王芳", "POST", f"/conversations/{entry.id}/ticket", form)
    assert status == 200 and made["created"] and made["type_label"] == "投诉" and made["warning"] is None
    assert f"工单编号：{made['number']}" in desk.rasa.pushed[-1]["text"]
    status, again = await desk.call("王芳", "POST", f"/conversations/{entry.id}/ticket", dict(form, location="人民路90号"))
    assert again["number"] == made["number"] and not again["created"]
    await desk.call("王芳", "POST", f"/conversations/{entry.id}/messages", {"text": "已登记，请放心"})
    ticket = desk.store.get(made["number"])
    assert ticket.facts["seat"] == "王芳" and ticket.sender_id == "web-1" and ticket.channel == "web"
    history = [(e.action, e.actor, e.detail.get("text")) for e in ticket.events]
    seat_actor = history[0][1]
    assert history[0][0] == "opened" and "王芳" in seat_actor
    said = [text for action, actor, text in history if action == "seat_message"]
    assert said[0] == "您好，我是人工客服王芳，已经看到您前面说的情况，请问还有什么需要补充的吗？"
    assert "请留个电话" in said and "已登记，请放心" in said and any("工单编号" in s for s in said)
    assert len(said) == len(set(said))   # nothing recorded twice
    assert ("seat_update", seat_actor, "楼下烧烤摊每天吵到半夜") in history
    assert desk.queue.get(entry.id).ticket_number == made["number"]


async def test_a_ticket_without_a_phone_is_refused_with_the_reason(desk):
    entry = desk.queue.enqueue("web-1", "web", "requested").entry
    await desk.call("王芳", "POST", f"/queue/{entry.id}/claim")
    status, body = await desk.call("王芳", "POST", f"/conversations/{entry.id}/ticket",
                                   {"request_type": "complain", "text": "噪音"})
    assert status == 400 and "联系电话" in body["error"]["message"]


async def test_hand_back_resumes_the_assistant_and_clears_a_draft_the_seat_registered(desk):
    entry = desk.queue.enqueue("web-1", "web", "requested").entry
    await desk.call("王芳", "POST", f"/queue/{entry.id}/claim")
    form = {"request_type": "seek_help", "text": "路灯坏了", "contact_phone": "13812345678"}
    await desk.call("王芳", "POST", f"/conversations/{entry.id}/ticket", dict(form, tell_citizen=False))
    status, _ = await desk.call("王芳", "POST", f"/conversations/{entry.id}/handback")
    assert status == 200 and desk.rasa.paused["web-1"] is False
    assert desk.rasa.triggered == ["EXTERNAL_seat_handback"]
    cleared = [e for e in desk.rasa.events["web-1"] if e["event"] == "slot" and e["name"] == "draft_id"]
    assert cleared and cleared[-1]["value"] is None
    assert desk.queue.get(entry.id).status == "handed_back"
    status, body = await desk.call("王芳", "POST", f"/conversations/{entry.id}/messages", {"text": "还在吗"})
    assert status == 409


async def test_release_lets_another_seat_take_it(desk):
    entry = desk.queue.enqueue("web-1", "web", "requested").entry
    await desk.call("王芳", "POST", f"/queue/{entry.id}/claim")
    assert (await desk.call("王芳", "POST", f"/conversations/{entry.id}/release"))[0] == 200
    status, taken = await desk.call("李强", "POST", f"/queue/{entry.id}/claim")
    assert status == 200 and taken["entry"]["taken_by"] == "李强"


async def test_long_waits_go_back_to_the_assistant(desk):
    entry = desk.queue.enqueue("wechat:oWaiting", "wechat", "requested").entry
    desk.queue.clock = lambda: dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    assert await desk.context.console.sweep() == 1
    assert desk.rasa.triggered == ["EXTERNAL_queue_timeout"] and desk.rasa.paused["wechat:oWaiting"] is False
    assert desk.gateway.sent[-1]["openid"] == "oWaiting"
    assert desk.queue.get(entry.id).status == "expired"
    assert await desk.context.console.sweep() == 0


async def test_quick_answers(desk):
    status, first = await desk.call("王芳", "GET", "/quick-answers?q=社保卡丢了")
    assert status == 200
    if not first["ready"]:
        assert desk.context.quick_answers.wait_ready(10)
        status, first = await desk.call("王芳", "GET", "/quick-answers?q=社保卡丢了")
    assert first["hits"][0]["question"] == "社保卡丢了怎么办" and first["hits"][0]["phone"] == "12333"


async def test_bad_requests_are_explained(desk):
    entry = desk.queue.enqueue("web-1", "web", "requested").entry
    await desk.call("王芳", "POST", f"/queue/{entry.id}/claim")
    status, body = await desk.call("王芳", "POST", f"/conversations/{entry.id}/messages", {"text": "  "})
    assert status == 400 and body["error"]["message"] == "请输入要发送的内容"
    status, body = await desk.call("王芳", "GET", "/conversations/9999")
    assert status == 404
    status, body = await desk.call("王芳", "POST", f"/conversations/{entry.id}/messages", {"text": "长" * 1001})
    assert status == 400


async def test_a_held_conversation_that_lost_its_pause_is_paused_again(desk):
    entry = desk.queue.enqueue("web-1", "web", "requested").entry
    await desk.call("王芳", "POST", f"/queue/{entry.id}/claim")
    desk.rasa.paused["web-1"] = False            # Rasa started a new session after a long silence
    status, view = await desk.call("王芳", "GET", f"/conversations/{entry.id}")
    assert status == 200 and desk.rasa.paused["web-1"] is True and view["understanding"]["paused"]
    await desk.call("李强", "GET", f"/conversations/{entry.id}")   # onlookers never change anything


async def test_queue_cards_show_first_words_and_count_new_messages_of_the_seats_own_conversations(desk):
    desk.rasa.say("web-1", "/greet", "greet")
    desk.rasa.say("web-1", "我家楼下烧烤摊每天吵到半夜，电话13812345678", "complain")
    desk.rasa.say("web-2", "社保卡丢了怎么补办", "consult")
    mine = desk.queue.enqueue("web-1", "web", "requested").entry
    desk.queue.enqueue("web-2", "web", "anger")
    await desk.call("王芳", "POST", f"/queue/{mine.id}/claim")
    status, queue = await desk.call("王芳", "GET", "/queue")
    held, = queue["taken"]
    assert held["first_words"] == "我家楼下烧烤摊每天吵到半夜，电话13812345678" and held["citizen_messages"] == 1
    assert queue["waiting"][0]["first_words"] == "社保卡丢了怎么补办" and queue["waiting"][0]["citizen_messages"] is None
    desk.rasa.say("web-1", "还在吗", "nlu_fallback")
    _, queue = await desk.call("王芳", "GET", "/queue")
    assert queue["taken"][0]["citizen_messages"] == 2
    _, others = await desk.call("李强", "GET", "/queue")     # another seat: not its conversation
    assert others["taken"][0]["citizen_messages"] is None
    _, readonly = await desk.call("赵敏", "GET", "/queue")   # not entitled to the phone number
    assert readonly["taken"][0]["first_words"] == "我家楼下烧烤摊每天吵到半夜，电话138****5678"


async def test_quick_answers_look_up_the_citizens_words_by_themselves_only_for_a_question(desk):
    assert desk.context.quick_answers.wait_ready(10)
    status, statement = await desk.call("王芳", "GET", "/quick-answers?auto=1&q=楼下烧烤摊每天吵到半夜")
    assert status == 200 and statement["hits"] == [] and "不是提问" in statement["message"]
    _, question = await desk.call("王芳", "GET", "/quick-answers?auto=1&q=社保卡丢了怎么办")
    assert question["hits"][0]["question"] == "社保卡丢了怎么办"
    _, typed = await desk.call("王芳", "GET", "/quick-answers?q=社保卡")     # the seat's own query: always
    assert typed["hits"]


async def test_the_ticket_result_names_the_department(desk):
    entry = desk.queue.enqueue("web-1", "web", "requested").entry
    await desk.call("王芳", "POST", f"/queue/{entry.id}/claim")
    form = {"request_type": "complain", "text": "楼下烧烤摊占道经营，油烟噪音扰民", "location": "人民路88号",
            "contact_phone": "13812345678"}
    status, made = await desk.call("王芳", "POST", f"/conversations/{entry.id}/ticket", form)
    assert status == 200 and made["department"] == desk.store.get(made["number"]).department
    assert made["department"]


async def test_the_seat_marks_the_outcome_and_sees_its_own_day(desk):
    entry = desk.queue.enqueue("web-1", "web", "requested").entry
    await desk.call("王芳", "POST", f"/queue/{entry.id}/claim")
    _, view = await desk.call("王芳", "GET", f"/conversations/{entry.id}")
    assert view["can_mark"] and view["outcome"] is None
    assert [o["label"] for o in view["outcomes"]] == ["已解答", "已登记工单", "转其他渠道", "转紧急电话", "无效来电", "其他"]
    await desk.call("王芳", "POST", f"/conversations/{entry.id}/handback")
    status, marked = await desk.call("王芳", "POST", f"/conversations/{entry.id}/outcome", {"outcome": "answered"})
    assert status == 200 and marked["label"] == "已解答"
    _, view = await desk.call("王芳", "GET", f"/conversations/{entry.id}")
    assert view["outcome"] == {"value": "answered", "label": "已解答", "note": ""}
    status, today = await desk.call("王芳", "GET", "/me/today")
    assert status == 200 and today["handled"] == 1 and today["average_seconds"] is not None
    assert {o["label"]: o["count"] for o in today["outcomes"]}["已解答"] == 1
    _, other = await desk.call("李强", "GET", "/me/today")
    assert other["handled"] == 0 and all(o["count"] == 0 for o in other["outcomes"])


@pytest.mark.parametrize("seat, path, body, status, words", [
    ("李强", "/conversations/{id}/outcome", {"outcome": "answered"}, 409, "只有接待"),
    ("赵敏", "/conversations/{id}/outcome", {"outcome": "answered"}, 403, "只有热线坐席"),
    ("王芳", "/conversations/{id}/outcome", {"outcome": ["answered"]}, 400, "请选择"),
    ("王芳", "/conversations/{id}/outcome", {"outcome": "fixed_it"}, 400, "已解答"),
    ("王芳", "/conversations/{id}/outcome", {"outcome": "other", "note": "长" * 201}, 400, "200"),
    ("王芳", "/conversations/{id}/outcome", [1, 2], 400, "JSON"),
    ("王芳", "/conversations/99999999999999999999/outcome", {"outcome": "other"}, 404, "没有这个对话"),
    ("王芳", "/conversations/-1/outcome", {"outcome": "other"}, 404, "没有这个对话"),
])
async def test_hostile_outcome_requests_are_refused_clearly(desk, seat, path, body, status, words):
    entry = desk.queue.enqueue("web-1", "web", "requested").entry
    await desk.call("王芳", "POST", f"/queue/{entry.id}/claim")
    got, answer = await desk.call(seat, "POST", path.format(id=entry.id), body)
    assert got == status and words in answer["error"]["message"]
    assert desk.context.console.outcomes.of(entry.id) is None


async def test_quick_answers_below_the_cutoff_are_not_shown():
    from bot.knowledge.service import Hit

    class Lookalikes:
        def search(self, question, k=5):
            return [Hit("a", "政务服务中心几点上班？", "…", "政务服务中心", "12345", "test", 0.81),
                    Hit("b", "身份证临时怎么办？", "…", "公安局", "110", "test", 0.79)]

    answers = QuickAnswers(open_kb=Lookalikes, hits=5, min_score=0.80)
    assert answers.wait_ready(10)
    found = await answers.search("你们几点下班啊？")
    assert [h["id"] for h in found["hits"]] == ["a"]
