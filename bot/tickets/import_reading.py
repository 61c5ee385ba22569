"""Reading an old system's export row by row: CSV (UTF-8 with or without BOM, GB18030, UTF-16) and
Excel .xlsx, streamed so a file of a hundred megabytes is never in memory at once.

    source = open_source(path, sheet=None)      # ImportFileError when the file cannot be read
    for line, cells in source.rows():           # line: where the row starts (1 = the header)
        ...

Old Chinese systems export GB18030 (GBK) without saying so; the encoding is decided by decoding
the whole file once (incrementally) as UTF-8 and then GB18030, never by guessing from a sample:
a file valid in its first megabyte may not be further on.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, List, Optional, Tuple

from bot.tickets.errors import TicketError

CHUNK = 1 << 20
# A cell of a CSV may hold a long letter, never a megabyte: a bigger one is junk (or an attack).
FIELD_LIMIT = 1 << 20
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"     # the old binary Excel (and Word) format
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

Row = Tuple[int, List[Any]]


class ImportFileError(TicketError):
    """The file as a whole cannot be imported; the message says why, in Chinese."""


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as handle:
            while True:
                chunk = handle.read(CHUNK)
                decoder.decode(chunk, final=not chunk)
                if not chunk:
                    return True
    except UnicodeDecodeError:
        return False


def detect_encoding(path: Path, head: bytes) -> str:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            if not _decodes(path, encoding):
                raise ImportFileError(f"文件以 {encoding} 标记开头，但内容不是有效的 {encoding} 文本")
            return encoding
    if b"\x00" in head:
        raise ImportFileError("这不是文本（CSV）文件，也不是 Excel（.xlsx）文件：内容含有二进制数据")
    for encoding in ("utf-8", "gb18030"):
        if _decodes(path, encoding):
            return encoding
    raise ImportFileError("无法识别文件的编码：请保存为 UTF-8 或 GB18030（GBK）编码的 CSV，或 Excel（.xlsx）")


@dataclass
class CsvSource:
    path: Path
    encoding: str

    def _dialect(self) -> str:
        with open(self.path, encoding=self.encoding, newline="") as handle:
            first = handle.readline()
        # Excel's 「Unicode 文本」 and many old systems write tab-separated files.
        return "excel-tab" if "\t" in first and "," not in first else "excel"

    def rows(self) -> Iterator[Row]:
        csv.field_size_limit(FIELD_LIMIT)
        with open(self.path, encoding=self.encoding, newline="") as handle:
            reader = csv.reader(handle, dialect=self._dialect())
            start = 1
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise ImportFileError(f"第{start}行起 CSV 格式错误，无法继续读取（{exc}）") from None
                yield start, cells
                start = reader.line_num + 1


@dataclass
class XlsxSource:
    path: Path
    sheet: Optional[str]

    def rows(self) -> Iterator[Row]:
        import openpyxl
        from zipfile import BadZipFile
        try:
            # read_only streams the sheet; data_only=False shows formulas as written ("=...") so
            # that they are refused instead of their cached results being imported silently.
            book = openpyxl.load_workbook(self.path, read_only=True, data_only=False)
        except (BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportFileError(f"无法读取 Excel 文件（{type(exc).__name__}）：请确认是 .xlsx 格式") from None
        try:
            if self.sheet is not None and self.sheet not in book.sheetnames:
                raise ImportFileError(f"Excel 文件中没有工作表“{self.sheet}”，现有：{'、'.join(book.sheetnames)}")
            sheet = book[self.sheet] if self.sheet is not None else book.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        finally:
            book.close()


def open_source(path: Path, sheet: Optional[str] = None, max_bytes: Optional[int] = None):
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"找不到文件：{path}")
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise ImportFileError(f"文件有 {size / 1e6:.0f} MB，超过导入上限 {max_bytes / 1e6:.0f} MB"
                              "（settings/import_columns.yml 的 max_file_mb）：请拆分后分批导入")
    if size == 0:
        raise ImportFileError("文件是空的")
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if head.startswith(_XLS_MAGIC):
        raise ImportFileError("这是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 或 CSV 后再导入")
    if head.startswith(_XLSX_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        if not head.startswith(_XLSX_MAGIC):
            raise ImportFileError("文件扩展名是 .xlsx，但内容不是 Excel 文件")
        return XlsxSource(path, sheet)
    if sheet is not None:
        raise ImportFileError("--sheet 只适用于 Excel（.xlsx）文件")
    return CsvSource(path, detect_encoding(path, head))


def cell_text(value: Any) -> str:
    """A cell as text: Excel gives numbers and datetimes, CSV strings."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))     # a phone typed into Excel comes back as 13812345678.0
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()
