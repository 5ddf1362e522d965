"""The router every endpoint is declared on: its routes hand each rendered response to the
request's unit of work before it commits, so a before-commit hook can keep the response in
the same transaction as the change (idempotent replays)."""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from service.kit.unit_of_work import unit_of_work_of_request


class UnitOfWorkRoute(APIRoute):
    """Hands each rendered response to the request's unit of work before it commits, so a
    before-commit hook can keep it in the same transaction (idempotent replays)."""

    def get_route_handler(self) -> Callable[[Request], Any]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            response: Response = await handler(request)
            uow = unit_of_work_of_request(request)
            if uow is not None:
                uow.response = response
            return response

        return run


class Router(APIRouter):
    """``fastapi.APIRouter`` with ``UnitOfWorkRoute`` routes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("route_class", UnitOfWorkRoute)
        super().__init__(**kwargs)
