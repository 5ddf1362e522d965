"""Every request body of the API shows an example in the documentation, and each example is
a body the service would accept as it stands (it validates against its own model)."""

import importlib
import json
import pkgutil
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

import service
from service.__main__ import openapi_document

# The sign-in form: a username and a password, no example worth giving. The import is a file
# upload: its example is the template, `GET /api/v1/imports/templates/{kind}`.
WITHOUT_EXAMPLE = {"Body_sign_in_api_v1_auth_token_post", "Body_import_file_api_v1_imports_post"}


def request_body_schemas() -> dict[str, dict[str, Any]]:
    document = json.loads(openapi_document())
    schemas = document["components"]["schemas"]
    found = {}
    for operations in document["paths"].values():
        for operation in operations.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                name = content["schema"]["$ref"].rsplit("/", 1)[1]
                found[name] = schemas[name]
    return found


def models_by_name() -> dict[str, type[BaseModel]]:
    models: dict[str, type[BaseModel]] = {}
    for module in pkgutil.walk_packages(service.__path__, "service."):
        if module.name.endswith("__main__"):
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type) and issubclass(value, BaseModel):
                models.setdefault(value.__name__, value)
    return models


BODIES = request_body_schemas()
MODELS = models_by_name()


def test_the_bodies_are_found() -> None:
    assert len(BODIES) > 30
    assert {"StudentCreate", "StudentUpdate", "EmploymentCreate"} <= set(BODIES)


@pytest.mark.parametrize("name", sorted(set(BODIES) - WITHOUT_EXAMPLE))
def test_each_request_body_has_an_accepted_example(name: str) -> None:
    examples = BODIES[name].get("examples")
    assert examples, f"{name} shows no example"
    for example in examples:
        MODELS[name].model_validate(example)


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("StudentCreate", "/students"),
        ("InstitutionCreate", "/institutions"),
        ("EmployerCreate", "/employers"),
        ("ProgrammeCreate", "/programmes"),
    ],
)
async def test_examples_that_name_no_record_are_created_as_they_stand(
    client: httpx.AsyncClient, name: str, path: str
) -> None:
    response = await client.post(f"/api/v1{path}", json=BODIES[name]["examples"][0])
    assert response.status_code == 201, response.text
