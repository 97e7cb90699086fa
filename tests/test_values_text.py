"""The text rule (hub.values), which every stored text goes through: control characters
(C0, DEL, C1) and bidirectional embeddings, overrides and isolates are refused naming the
field; free text that may run over lines keeps tab, line feed and carriage return."""

from __future__ import annotations

import pytest

from hub.errors import InvalidInput
from hub.values import plain, text

LINE_BREAKS = ["\t", "\n", "\r"]
CONTROLS = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(c) not in LINE_BREAKS]
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
FINE = ["药明生物", "Pharma Co., Ltd.", "α-β (2 000 L)", "💊", "Mark\u200fed", "\u00a0nbsp"]


@pytest.mark.parametrize("bad", CONTROLS + BIDI + ["\ud800"], ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("multiline", [False, True])
def test_a_control_or_bidi_character_is_refused_naming_the_field(bad: str, multiline: bool) -> None:
    with pytest.raises(InvalidInput) as refused:
        plain("nameZh", f"前{bad}后", multiline=multiline)
    assert refused.value.field == "nameZh"
    assert f"U+{ord(bad):04X}" in refused.value.message_en


@pytest.mark.parametrize("kept", LINE_BREAKS, ids=repr)
def test_line_breaks_and_tabs_are_free_texts_only(kept: str) -> None:
    assert plain("note", f"a{kept}b", multiline=True) == f"a{kept}b"
    with pytest.raises(InvalidInput):
        plain("name", f"a{kept}b")


@pytest.mark.parametrize("fine", FINE)
def test_ordinary_text_passes(fine: str) -> None:
    assert text({"name": fine}, "name") == fine.strip()
