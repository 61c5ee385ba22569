"""Consultations: answered from the knowledge base, offered as choices, or taken as a ticket."""
import pytest

pytestmark = pytest.mark.rasa


def test_a_common_question_is_answered_with_department_and_phone(chat):
    reply = chat.say("社保卡丢了怎么补办")
    assert "解决了" in chat.buttons and "电话" in reply
    assert "社保" in reply


def test_solved(chat):
    chat.say("社保卡丢了怎么补办")
    assert "很高兴" in chat.say("/affirm")


def test_not_solved_leads_to_a_ticket_with_the_question_as_its_text(chat, ticket_store_of_stack):
    chat.say("社保卡丢了怎么补办")
    chat.say("/deny")
    for _ in range(6):
        if "请核对" in chat.text:
            break
        if "同意" in chat.buttons:
            chat.say("/affirm")
        elif "称呼" in chat.text:
            chat.say("李女士")
        elif "手机" in chat.text:
            chat.say("13912345678")
        else:
            pytest.fail(f"unexpected question: {chat.text}")
    assert "诉求类型：咨询" in chat.text and "社保卡" in chat.text
    chat.say("/affirm")
    ticket = ticket_store_of_stack.get(chat.ticket_number())
    assert ticket.request_type == "consult" and "社保卡" in ticket.text


VAGUE = "证件丢了咋办"   # driving licence, ID card and property certificate score almost alike


def offered(chat):
    return [b for r in chat.replies for b in r.get("buttons", [])]


def test_near_matches_are_offered_and_a_choice_is_answered(chat):
    chat.say(VAGUE)
    buttons = offered(chat)
    assert len(buttons) >= 3 and buttons[-1]["title"] == "都不是"
    chosen = buttons[1]
    reply = chat.say(chosen["payload"])
    assert "解决了" in chat.buttons and "电话" in reply


def test_none_of_the_offers_takes_the_question_as_a_ticket(chat):
    chat.say(VAGUE)
    chat.say("/deny")
    assert "称呼" in chat.text


def test_an_emergency_question_never_reaches_the_knowledge_base(chat):
    reply = chat.say("我家燃气泄漏了好大的味道")
    assert reply.startswith("请立即拨打119")
