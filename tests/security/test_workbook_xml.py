"""Workbooks are parsed with defusedxml (openpyxl uses it when installed): an uploaded
.xlsx declaring XML entities, a billion laughs above all, is refused as unreadable, never
expanded."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import openpyxl.xml
import openpyxl.xml.functions
import pytest

from hub.imports.readers import ImportFailed, parse_rows

LAUGHS = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
BILLION_LAUGHS = f'<!DOCTYPE worksheet [<!ENTITY lol0 "lol">{LAUGHS}]>'
ONE_ENTITY = '<!DOCTYPE worksheet [<!ENTITY lol9 "hidden">]>'


def _workbook_with(doctype: str) -> bytes:
    """A one-sheet workbook whose sheet declares `doctype` and uses &lol9; in a cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["uscc", "name_zh"])
    sheet.append(["91110000MA0001001X", "PLACEHOLDER"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode().replace("<t>PLACEHOLDER</t>", "<t>&lol9;</t>")
                assert "&lol9;" in text
                data = f'<?xml version="1.0" encoding="UTF-8"?>{doctype}{text}'.encode()
            target.writestr(item, data)
    return out.getvalue()


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True
    assert openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")


@pytest.mark.parametrize("doctype", [BILLION_LAUGHS, ONE_ENTITY], ids=["billion-laughs", "one"])
def test_a_workbook_declaring_entities_is_refused(doctype: str) -> None:
    data = _workbook_with(doctype)
    with pytest.raises(ImportFailed) as refused:
        parse_rows("bomb.xlsx", data)
    assert "cannot read bomb.xlsx" in str(refused.value.problems[0].message_en)
