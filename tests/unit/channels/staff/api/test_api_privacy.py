"""Personal data by role: the seat sees it, a department only with the citizen's consent, read-only
staff never (seeds 000 §23, 001 §24)."""
from tests.support.staff_api import api, call
from tests.support.tickets import draft

TEXT = "楼下烧烤摊每天吵到半夜两点，我电话13812345678，身份证110101199003071234"


async def test_contact_details_follow_the_role_and_the_citizens_consent(store):
    private = store.open_ticket(draft(text=TEXT, facts={"location": "人民路88号3单元502室"}), request_key="a").number
    shared = store.open_ticket(draft(consent_to_share=True, sender_id="u-2", text="路灯坏了"), request_key="b").number
    async with api(store) as client:
        for number in (private, shared):
            await call(client, "POST", f"/api/tickets/{number}/dispatch", body={"department": "chengguan"})
        seat = (await call(client, "GET", f"/api/tickets/{private}", "seat"))[1]
        handler = (await call(client, "GET", f"/api/tickets/{private}", "handler"))[1]
        handler_shared = (await call(client, "GET", f"/api/tickets/{shared}", "handler"))[1]
        readonly = (await call(client, "GET", f"/api/tickets/{shared}", "readonly"))[1]
        listed = (await call(client, "GET", "/api/tickets", "readonly"))[1]

    assert seat["contact"] == {"name": "张先生", "phone": "13812345678"} and seat["text"] == TEXT
    assert handler["contact"] == {"name": "张**", "phone": "138****5678"}
    assert "13812345678" not in handler["text"] and "110101199003071234" not in handler["text"]
    assert handler["facts"]["location"] == "人民路88号3单元502室"      # the department must find the place
    assert handler_shared["contact"]["phone"] == "13812345678"
    assert readonly["contact"]["phone"] == "138****5678" and "sender_id" not in readonly
    assert all("13812345678" not in str(t) for t in listed["tickets"])
    assert "502" not in str(listed["tickets"])
