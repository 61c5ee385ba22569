"""The staff API on the web server `make run` starts, sharing the ticket database with the dialogue."""
import json
import urllib.error
import urllib.request
import uuid

import pytest

from tests.support.staff_api import auth
from tests.support.tickets import draft

pytestmark = pytest.mark.rasa


def request(url, method="GET", who=None, body=None):
    data = json.dumps(body).encode("utf-8") if body is not None else None
    headers = dict(auth(who), **({"Content-Type": "application/json"} if data else {}))
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers, method=method),
                                    timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_running_staff_server_serves_the_staff_api(stack, web_url, ticket_store_of_stack):
    api = stack.staff_url.rstrip("/") + "/api"
    number = ticket_store_of_stack.open_ticket(draft(sender_id=f"api-{uuid.uuid4().hex[:8]}"),
                                               request_key=uuid.uuid4().hex).number
    assert request(f"{api}/openapi.json")[0] == 200
    status, body = request(f"{api}/tickets")
    assert status == 401 and body["error"]["code"] == "unauthenticated"

    status, listed = request(f"{api}/tickets?status=accepted&limit=200", who="seat")
    assert status == 200 and number in [t["number"] for t in listed["tickets"]]
    status, ticket = request(f"{api}/tickets/{number}/dispatch", "POST", "seat", {"department": "chengguan"})
    assert status == 200 and ticket["status"] == "dispatched"
    assert ticket_store_of_stack.get(number).department_id == "chengguan"
