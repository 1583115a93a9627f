"""Lists exported to Excel with the same columns the page shows."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# An export is a working list, not a backup: past this many rows, narrow the filters.
EXPORT_ROW_LIMIT = 20_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Cells starting with these are formulas to Excel; a leading quote keeps them text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def in_wan(amount) -> Decimal:
    """Yuan as 万元 for a spreadsheet cell: a number, rounded to the fen of a 万元."""
    return (Decimal(amount or 0) / Decimal(10000)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Column:
    label: Any  # a (lazy) translated header
    value: Callable[[Any], Any]
    width: int = 16


def _cell_value(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def xlsx_response(filename: str, title: str, columns: list[Column], rows: Iterable) -> HttpResponse:
    """A download of ROWS as one sheet; ROWS should be an iterator over a queryset
    (`.iterator()`), so a long export does not sit in memory as model instances."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, column in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell_value(column.value(row)) for column in columns])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{filename}.xlsx\"; filename*=UTF-8''{quote(filename)}.xlsx"
    )
    return response
