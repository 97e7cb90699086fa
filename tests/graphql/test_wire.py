"""The one JSON writer of GraphQL answers (hub/graphql/wire.py): compact UTF-8, text as
the standard library writes it (control characters escaped, Chinese kept), a lone
surrogate written back escaped, and integers beyond 64 bits still written."""

from __future__ import annotations

import json

from hub.graphql.wire import encode

TEXTS = ["".join(chr(c) for c in range(0x80)), "中文 \u2028\u2029\x7f\u0085 😀", 'é"\\/']


def _standard(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def test_text_is_written_as_the_standard_library_writes_it() -> None:
    data = {"texts": TEXTS, "n": [0, -1, 2**62, 0.5, 4000.0], "b": [True, None], "m": {}}
    assert encode(data) == _standard(data)


def test_a_float_is_the_same_number() -> None:
    floats = [1e16, 1.5e-7, 123456789012345680.0, 5e-324, -0.0]
    assert json.loads(encode(floats)) == floats


def test_a_lone_surrogate_is_written_back_escaped() -> None:
    written = encode({"errors": [{"message": "bad \ud800 here"}], "more": "中"})
    assert written == '{"errors":[{"message":"bad \\ud800 here"}],"more":"中"}'.encode()


def test_an_integer_beyond_64_bits_is_written() -> None:
    assert encode({"n": 2**70}) == b'{"n":1180591620717411303424}'
