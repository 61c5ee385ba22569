"""After a ticket, in the dialogue: the same matter again gets the open ticket's progress (seed 003
§11(6)) and a new fact a linked follow-up; a closed ticket is rated, and 不满意 with a reason sends it
back once (seed 004)."""
import random
import re
import uuid

import pytest

from bot.tickets.store import TicketDraft
from bot.tickets.workflow import TicketWorkflow
from tests.support.conversation import Conversation

pytestmark = pytest.mark.rasa

PLACE = "和平区人民路88号"
SEAT, HANDLER = "热线坐席:测试", "承办人:市城市管理综合执法局/测试"


def new_phone() -> str:
    """Every test is its own citizen: the same phone would make their tickets one person's."""
    return "139" + "".join(random.choice("0123456789") for _ in range(8))


def existing_ticket(store, sender: str, phone: str, **changes) -> str:
    values = dict(request_type="complain", text="楼下烧烤摊每天吵到半夜两点，根本睡不着", channel="test",
                  sender_id=sender, facts={"location": PLACE, "involved_party": "老王烧烤店"},
                  contact_name="张先生", contact_phone=phone, consent_to_share=True)
    values.update(changes)
    return store.open_ticket(TicketDraft(**values), request_key=uuid.uuid4().hex).number


def closed_ticket(store, sender: str, phone: str) -> str:
    number = existing_ticket(store, sender, phone)
    workflow = TicketWorkflow(store)
    workflow.dispatch(number, "chengguan", SEAT)
    workflow.reply(number, "已责令烧烤摊晚上十点前收摊。", HANDLER, scope="chengguan")
    workflow.close(number, SEAT)
    return number


def complain_until_submitted(chat: Conversation, phone: str) -> str:
    answers = [(("地点", "地方"), PLACE), (("时间",), "每天晚上十一点以后"), (("涉及", "对象"), "老王烧烤店"),
               (("称呼",), "张先生"), (("手机", "电话"), phone)]
    chat.say("我要投诉楼下那个烧烤摊，天天晚上吵到两点都不停")
    for _ in range(10):
        if "请核对" in chat.text:
            return chat.say("/affirm")
        if "同意" in chat.buttons:
            chat.say("/affirm")
            continue
        reply = next((answer for words, answer in answers if any(w in chat.text for w in words)), None)
        if reply is None:
            pytest.fail(f"unexpected question: {chat.text}")
        chat.say(reply)
    pytest.fail("no summary after answering every question")


def test_the_same_matter_again_gets_the_open_tickets_progress_not_a_new_ticket(chat, ticket_store_of_stack):
    phone = new_phone()
    number = existing_ticket(ticket_store_of_stack, chat.sender, phone)
    reply = complain_until_submitted(chat, phone)
    assert number in reply and "无需重复登记" in reply and "当前状态" in reply
    assert chat.ticket_number() is None and "有新情况" in chat.buttons
    assert "不再重复登记" in chat.say("/deny")
    assert [t.number for t in ticket_store_of_stack.list(sender_id=chat.sender)] == [number]


def test_a_new_fact_from_the_same_phone_opens_a_linked_follow_up(chat, ticket_store_of_stack):
    phone = new_phone()
    number = existing_ticket(ticket_store_of_stack, f"wechat:{uuid.uuid4().hex[:8]}", phone)
    assert number in complain_until_submitted(chat, phone)          # another channel, same phone
    assert "新的情况" in chat.say("有新情况")
    reply = chat.say("现在他们还把废油直接倒进路边的下水道")
    follow_up = chat.ticket_number()
    assert follow_up and f"关联原工单 {number}" in reply
    ticket = ticket_store_of_stack.get(follow_up)
    assert ticket.follow_up_of.number == number and "下水道" in ticket.text
    assert ticket_store_of_stack.get(number).events[-1].action == "follow_up"


def test_an_unsatisfied_rating_with_a_reason_sends_the_ticket_back(chat, ticket_store_of_stack):
    number = closed_ticket(ticket_store_of_stack, chat.sender, new_phone())
    chat.say(f"我要评价工单{number}")
    assert "满意吗" in chat.text and {"满意", "基本满意", "不满意"} <= set(chat.buttons)
    assert "原因" in chat.say("不满意")
    reply = chat.say("晚上十二点以后还是很吵")
    assert "重新办理" in reply and re.search(r"\d{4}年\d{2}月\d{2}日前", reply)
    ticket = ticket_store_of_stack.get(number)
    assert ticket.status == "reopened" and ticket.events[-1].detail["reason"] == "晚上十二点以后还是很吵"


def test_a_citizen_who_looked_a_closed_ticket_up_can_rate_it_there(chat, rasa_url, ticket_store_of_stack):
    phone = new_phone()
    number = closed_ticket(ticket_store_of_stack, f"web-{uuid.uuid4().hex[:8]}", phone)
    chat.say(f"查一下工单{number}")
    reply = chat.say(phone[-4:])
    assert "已办结" in reply and "办理结果：已责令" in reply and "评价" in reply
    assert "感谢您的评价" in chat.say("很满意，问题解决了")
    assert ticket_store_of_stack.get(number).satisfaction == "satisfied"
    stranger = Conversation(rasa_url)
    stranger.say(f"评价工单{number}")
    assert "后四位" in stranger.text
    wrong = "0000" if phone[-4:] != "0000" else "1111"
    assert "不一致" in stranger.say(wrong) and "满意吗" not in stranger.text      # asked again, checked at once
    stranger.say(wrong)
    assert "没有找到" in stranger.say(wrong)                                        # the third wrong code ends it
    assert ticket_store_of_stack.get(number).satisfaction == "satisfied"


def test_a_mistyped_code_when_rating_is_asked_again_at_once(chat, ticket_store_of_stack):
    phone = new_phone()
    number = closed_ticket(ticket_store_of_stack, f"wechat:{uuid.uuid4().hex[:8]}", phone)
    chat.say(f"我要评价工单{number}")
    assert "后四位" in chat.text
    assert "不一致" in chat.say("0000" if phone[-4:] != "0000" else "1111")
    assert "满意吗" in chat.say(phone[-4:])
    assert "感谢您的评价" in chat.say("满意")
    assert ticket_store_of_stack.get(number).satisfaction == "satisfied"
