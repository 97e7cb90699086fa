"""Bad input everywhere: hypothesis takes a valid call of a mutation, spoils one field of
its input (wrong type, null, a 1 MB string, a 20,000-item list, a number out of range,
an unknown enum value or code, a malformed date, a broken registry number) and sends it.
Whatever the field, the answer is a clear error naming that field, and nothing is
written: the graph has as many nodes and relationships as before, and the call left no
audit record.

Cases where the field is bad only together with another one (a window that ends before it
starts) are listed by hand at the end.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    build_schema,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.errors import InvalidInput
from hub.graphql.wire import LONE_SURROGATE
from hub.registry.uscc import normalize_uscc
from tests import factories
from tests.conftest import FIGURES, ROOT
from tests.security.targets import (
    Bench,
    a_bucket,
    active_organization,
    awarded,
    live_hook,
    new_capability,
    new_certificate,
    new_equipment,
    new_hook,
    new_offering,
    new_organization,
    new_request,
    new_site,
    new_week,
    provider_profile,
    routed_match,
    startup_token,
    submitted,
)

# Hypothesis examples: `make test` runs 50, `make fuzz` 1,000.
CASES = int(os.environ.get("HUB_BAD_INPUT_CASES", "50"))
SCHEMA = build_schema((ROOT / "schema.graphql").read_text())
MUTATION = SCHEMA.mutation_type
assert MUTATION is not None
Path = tuple[str | int, ...]
T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    """A mutation with valid variables (made before the cases run)."""

    name: str
    variables: dict[str, Any]

    @property
    def document(self) -> str:
        field = MUTATION.fields[self.name]
        declared = ", ".join(f"${a}: {t.type}" for a, t in field.args.items())
        passed = ", ".join(f"{a}: ${a}" for a in field.args)
        problem = "... on Problem { code field message }"
        return f"mutation({declared}) {{ {self.name}({passed}) {{ __typename {problem} }} }}"


# Where a value can be spoiled: every argument, every field of an input object (given or
# not), and the fields of a list's first element.


def _unwrap(kind: GraphQLInputType) -> GraphQLInputType:
    return kind.of_type if isinstance(kind, GraphQLNonNull) else kind


def _paths(
    kind: GraphQLInputType, value: Any, path: Path
) -> Iterator[tuple[Path, GraphQLInputType]]:
    yield path, kind
    inner = _unwrap(kind)
    if isinstance(inner, GraphQLInputObjectType):
        given_fields = value if isinstance(value, dict) else {}
        for name, spec in inner.fields.items():
            yield from _paths(spec.type, given_fields.get(name), (*path, name))
    elif isinstance(inner, GraphQLList) and isinstance(value, list) and value:
        element = _unwrap(inner.of_type)
        if isinstance(element, GraphQLInputObjectType):
            yield from _paths(inner.of_type, value[0], (*path, 0))


def places(call: Call) -> list[tuple[Path, GraphQLInputType]]:
    args = MUTATION.fields[call.name].args
    found = [
        p for name, arg in args.items() for p in _paths(arg.type, call.variables.get(name), (name,))
    ]
    # The list element itself is not a field; its fields are.
    return [(path, kind) for path, kind in found if not isinstance(path[-1], int)]


# Bad values, by the type of the place ---------------------------------------------------------

HUGE_TEXT = "药" * 350_000  # 1 MB in UTF-8
CODES = {"capability", "parent", "park", "parks", "preferredParks", "requester", "currency"}
NUMBERS = {
    "Int": [2**31, -(2**31) - 1, 1.5, "7", True],
    "Float": [1e300, -1e300, "7", True],
}
DATES = ["2027-02-30", "not a date", 20270101, "2027-01-04T25:00:00+08:00"]
# Stored text holds no control character and no bidi override, whatever the field (free
# text keeps tab and line breaks only).
CONTROL_TEXTS = ["Zero\x00byte", "\x1b[31mred", "invoice\u202efdp.exe", "C1\x85next"]


def bad_values(path: Path, kind: GraphQLInputType) -> list[Any]:
    name = str(path[-1])
    found: list[Any] = [None] if isinstance(kind, GraphQLNonNull) else []
    inner = _unwrap(kind)
    if isinstance(inner, GraphQLList):
        element = _unwrap(inner.of_type)
        found.append([None])
        if isinstance(element, GraphQLScalarType) and element.name == "String":
            # (A single string is a list of one, as GraphQL coerces it: not bad.)
            found.append([f"X{i}" for i in range(20_000)])
            found += [[text] for text in CONTROL_TEXTS]
        else:
            found.append("not a list")
        if isinstance(element, GraphQLEnumType):
            found.append(["NOT_A_VALUE"])
    elif isinstance(inner, GraphQLInputObjectType):
        found += ["not an object", [1, 2]]
    elif isinstance(inner, GraphQLEnumType):
        found += ["NOT_A_VALUE", 7, inner.name.lower()]
    elif isinstance(inner, GraphQLScalarType):
        if inner.name in NUMBERS:
            found += NUMBERS[inner.name]
        elif inner.name in ("Date", "DateTime"):
            found += DATES
        elif inner.name == "Boolean":
            found += ["yes", 1]
        elif inner.name in ("String", "ID"):
            found += [HUGE_TEXT, {"an": "object"}]
            if inner.name == "String":
                found += [12345, *CONTROL_TEXTS]
            if name in CODES:
                found.append("ZZ.NOPE")
            if name == "uscc":
                found.append("91110000MA0001001X")  # a wrong check character
            if name == "url":
                found += ["ftp://example.test/hook", "https://user:secret@example.test/hook"]
    return found


def _spoiled(value: Any, path: Path, bad: Any) -> Any:
    """`value` with the place at `path` replaced by `bad` (a copy)."""
    head, *rest = path
    if isinstance(value, list):
        copy_list = list(value)
        copy_list[int(head)] = _spoiled(copy_list[int(head)], tuple(rest), bad) if rest else bad
        return copy_list
    copy = dict(value or {})
    copy[str(head)] = _spoiled(copy.get(str(head)), tuple(rest), bad) if rest else bad
    return copy


@dataclass(frozen=True)
class Case:
    call: Call
    path: Path
    bad: Any

    @property
    def variables(self) -> dict[str, Any]:
        return dict(_spoiled(self.call.variables, self.path, self.bad))

    @property
    def field(self) -> str:
        return str(self.path[-1])

    def __repr__(self) -> str:
        shown = repr(self.bad)
        shown = shown if len(shown) < 80 else f"{shown[:60]}… ({len(shown)} characters)"
        return f"{self.call.name} {'.'.join(map(str, self.path))} = {shown}"


def every_case(calls: list[Call]) -> list[Case]:
    return [
        Case(call, path, bad)
        for call in calls
        for path, kind in places(call)
        for bad in bad_values(path, kind)
    ]


# What the hub answered -------------------------------------------------------------------------


async def _footprint(tx: Tx) -> tuple[int, int]:
    nodes = await tx.single("MATCH (n) RETURN count(n) AS n")
    links = await tx.single("MATCH ()-[r]->() RETURN count(r) AS n")
    assert nodes is not None and links is not None
    return int(nodes["n"]), int(links["n"])


async def _audited(tx: Tx, request_id: str) -> int:
    row = await tx.single(
        "MATCH (a:AuditRecord {request_id: $r}) RETURN count(a) AS n", r=request_id
    )
    assert row is not None
    return int(row["n"])


def _names(answer: dict[str, Any], field: str) -> bool:
    """An error or problem about `field`: its `field` ends with it, or its message names it."""
    if "errors" in answer:
        return any(
            field in str(e.get("extensions", {}).get("field") or "") or field in e["message"]
            for e in answer["errors"]
        )
    [result] = answer["data"].values()
    return "code" in result and field in str(result["field"] or "")


async def attempt(bench: Bench, token: str, case: Case) -> list[str]:
    """What is wrong with the hub's answer to one bad call (nothing, if all is well)."""
    before = await bench.db.read(_footprint)
    # UTF-8 JSON; a lone surrogate cannot be UTF-8, so it travels as its escape (\\ud800).
    text = json.dumps(
        {"query": case.call.document, "variables": case.variables}, ensure_ascii=False
    )
    body = LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode()
    response = await bench.client.post(
        "/graphql",
        content=body,
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    wrong = []
    if response.status_code >= 500:
        wrong.append(f"status {response.status_code}")
    elif not _names(response.json(), case.field):
        wrong.append(f"no error naming {case.field}: {response.text[:300]}")
    if len(response.content) > 20_000:
        wrong.append(f"a {len(response.content)}-byte answer")
    if await bench.db.read(_footprint) != before:
        wrong.append("the graph changed")
    if await bench.db.read(_audited, response.headers["x-request-id"]):
        wrong.append("audited a change")
    return wrong


async def _calls(bench: Bench) -> list[Call]:
    """A valid call of every mutation that takes input, and the objects they act on."""
    n = iter(range(1, 10_000))
    match = await routed_match(bench, next(n))
    request = await submitted(bench, next(n))
    hook = await live_hook(bench, next(n))
    quote = {"price": 9, "leadTimeDays": 30, "validUntil": "2030-12-31T00:00:00+08:00"}
    return [
        Call("addCapability", {"input": (await new_capability(bench, next(n)))["i"]}),
        Call("registerOrganization", {"input": (await new_organization(bench, next(n)))["i"]}),
        Call("updateOrganization", {"input": (await provider_profile(bench, next(n)))["i"]}),
        Call(
            "deactivateOrganization",
            {"uscc": (await active_organization(bench, next(n)))["u"], "reason": "suspended"},
        ),
        Call("saveSite", {"input": (await new_site(bench, next(n)))["i"]}),
        Call("saveOffering", {"input": (await new_offering(bench, next(n)))["i"]}),
        Call("saveEquipment", {"input": (await new_equipment(bench, next(n)))["i"]}),
        Call("saveCertificate", {"input": (await new_certificate(bench, next(n)))["i"]}),
        Call("publishCapacity", {"input": (await new_week(bench, next(n)))["i"]}),
        Call(
            "adjustCapacity", {"id": (b := await a_bucket(bench, next(n)))["id"], "total": b["t"]}
        ),
        Call("submitRequest", {"input": (await new_request(bench, next(n)))["i"]}),
        Call("routeRequest", {**request, "k": 2}),
        Call("acceptMatch", {**match, "quote": quote}),
        Call("declineMatch", {**match, "reason": "booked"}),
        Call("completeRequest", {**await awarded(bench, next(n)), "onTime": True, "rating": 4}),
        Call("createWebhookSubscription", {"input": (await new_hook(bench, next(n)))["i"]}),
        Call("updateWebhookSubscription", {**hook, "input": {"active": False}}),
        Call("revokeApiToken", await startup_token(bench, next(n))),
    ]


# Spoiled only together with another field: listed by hand.
PAIRS: list[tuple[str, Path, Any]] = [
    ("submitRequest", ("input", "needBy"), "2027-01-01"),  # before earliestStart
    ("saveCertificate", ("input", "validTo"), "2025-12-31"),  # before validFrom
    ("saveOffering", ("input", "scaleMax"), 50),  # below scaleMin
    ("acceptMatch", ("quote", "validUntil"), "2020-01-01T00:00:00+08:00"),  # past
]
SPOIL = settings(
    max_examples=CASES, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


def _run(loop: asyncio.AbstractEventLoop, work: Coroutine[Any, Any, T]) -> T:
    return asyncio.run_coroutine_threadsafe(work, loop).result(timeout=120)


async def test_a_spoiled_field_is_named_and_nothing_is_written(
    network: Database, settings: Settings, app_client: httpx.AsyncClient
) -> None:
    admin = await factories.token(network, "root@hub", "admin")
    bench = Bench(network, app_client, settings, admin)
    calls = await _calls(bench)
    by_name = {c.name: c for c in calls}
    cases = every_case(calls)
    wrong = []
    for case in cases:
        if found := await attempt(bench, admin, case):
            wrong.append(f"{case!r}: {'; '.join(found)}")
    for name, path, bad in PAIRS:
        case = Case(by_name[name], path, bad)
        if found := await attempt(bench, admin, case):
            wrong.append(f"{case!r}: {'; '.join(found)}")
    assert wrong == [], "\n".join(wrong)
    FIGURES.append(
        f"bad input: {len(cases) + len(PAIRS)} spoiled calls over {len(calls)} mutations"
    )


# Where hypothesis pays: arbitrary text (any Unicode, lone surrogates, NUL) where a code,
# a registry number or a date is expected. -------------------------------------------------

JUNK = {
    "capability": ("submitRequest", ("input", "capability")),
    "park": ("saveSite", ("input", "park")),
    "preferredParks": ("submitRequest", ("input", "preferredParks")),
    "uscc": ("registerOrganization", ("input", "uscc")),
    "requester": ("submitRequest", ("input", "requester")),
    "validFrom": ("saveCertificate", ("input", "validFrom")),
    "start": ("publishCapacity", ("input", "buckets", 0, "start")),
}


async def _known_codes(tx: Tx) -> set[str]:
    rows = await tx.records(
        "MATCH (c:Capability) RETURN c.code AS code UNION MATCH (p:Park) RETURN p.code AS code"
    )
    return {str(r["code"]) for r in rows}


def _is_valid_uscc(text: str) -> bool:
    try:
        normalize_uscc(text)
    except InvalidInput:
        return False
    return True


def junk(known: set[str]) -> st.SearchStrategy[tuple[str, Any]]:
    # Not blank (an optional code left blank is simply not given), and not a known code
    # in any case or padding.
    text = st.text(st.characters(codec=None), min_size=1, max_size=40).filter(
        lambda t: t.strip() and t.strip().upper() not in known
    )
    usccs = st.from_regex(r"[0-9A-Z]{18}", fullmatch=True) | text
    return st.one_of(
        st.tuples(st.sampled_from(["capability", "park", "requester"]), text),
        st.tuples(st.just("preferredParks"), st.lists(text, min_size=1, max_size=5)),
        st.tuples(st.just("uscc"), usccs.filter(lambda u: not _is_valid_uscc(u))),
        st.tuples(st.sampled_from(["validFrom", "start"]), text),
    )


async def test_arbitrary_text_for_a_code_or_number_is_named(
    network: Database, settings: Settings, app_client: httpx.AsyncClient
) -> None:
    admin = await factories.token(network, "root@hub", "admin")
    bench = Bench(network, app_client, settings, admin)
    calls = {c.name: c for c in await _calls(bench)}
    known = await network.read(_known_codes)
    loop = asyncio.get_running_loop()

    @SPOIL
    @given(pair=junk(known))
    @example(pair=("preferredParks", ["\ud800"]))  # once made the hub fail
    def spoil(pair: tuple[str, Any]) -> None:
        name, path = JUNK[pair[0]]
        case = Case(calls[name], path, pair[1])
        found = asyncio.run_coroutine_threadsafe(attempt(bench, admin, case), loop).result(120)
        assert found == [], case

    await asyncio.to_thread(spoil)
    FIGURES.append(f"bad input: {CASES} arbitrary texts for codes, USCCs and dates, all named")


@pytest.mark.parametrize("name", ["saveSite", "submitRequest", "publishCapacity"])
def test_every_place_has_bad_values(name: str) -> None:
    """The generator reaches the nested fields too (a bucket's total, a list of parks)."""
    call = Call(name, {"input": {"buckets": [{"start": "x", "total": 1}]}})
    found = {".".join(map(str, path)) for path, kind in places(call) if bad_values(path, kind)}
    expected = {
        "saveSite": {"input.lat", "input.park", "input.uscc"},
        "submitRequest": {"input.preferredParks", "input.needBy", "input.quantity"},
        "publishCapacity": {"input.buckets.0.total", "input.buckets.0.start", "input.grain"},
    }[name]
    assert expected <= found
