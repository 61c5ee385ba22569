"""The OpenAPI document describes every route the API serves, and nothing it does not."""
from aiohttp import web

from channels.staff.api import create_api
from channels.staff.api.openapi import document
from tests.support.staff_api import SETTINGS, STAFF, api


def served_routes():
    app = web.Application()
    app.add_subapp("/api", create_api(settings=SETTINGS, open_store=lambda: None, staff=lambda: STAFF))
    routes = set()
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("formatter") or info.get("path")
        if route.method != "HEAD" and path and path.startswith("/api/"):
            routes.add((route.method.lower(), path[len("/api"):]))
    return routes


def documented_routes():
    return {(method, path) for path, item in document()["paths"].items() for method in item
            if method in ("get", "post", "put", "patch", "delete")}


def test_every_served_route_is_documented_and_every_documented_one_is_served():
    served = served_routes()
    assert served == documented_routes()
    assert ("post", "/tickets/{number}/extend") in served and len(served) >= 13


def test_every_operation_documents_its_errors():
    for path, item in document()["paths"].items():
        for method, operation in item.items():
            if method == "post":
                assert {"400", "401", "403", "404", "409"} <= set(operation["responses"]), (method, path)


async def test_the_document_is_served_without_a_token():
    async with api(store=None) as client:
        response = await client.get("/api/openapi.json")
        assert response.status == 200 and (await response.json())["openapi"].startswith("3.")
