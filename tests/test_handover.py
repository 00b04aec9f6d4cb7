"""The delivery of demands and the hand-over pack for counsel (issue 13, items 2 and 4), through
the command line on a copy of the demo register: a letter is logged with the invoices it claims
and no delivery; ``letters --delivered`` records the batch's; ``handover`` gives counsel one
folder with an index, a cover memo and the letters already sent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from credit_register.cli import main
from support.docx_text import tables_of, text_of
from support.sheets import sheet_rows

AS_OF = "2026-10-31"


def _letters_logged(path: Path) -> list[dict[str, object]]:
    return [
        r
        for r in sheet_rows(path, "沟通记录")
        if r["类型"] == "催收" and "CS-" in str(r["摘要"]) and str(r["摘要"]).find("20261031") > 0
    ]


def test_letters_are_logged_undelivered_until_the_batch_delivery_is_recorded(
    demo_copy: Callable[..., Path], tmp_path: Path
) -> None:
    path = demo_copy()
    out = tmp_path / "documents"
    assert main(["letters", str(path), "--as-of", AS_OF, "--out", str(out)]) == 0
    logged = _letters_logged(path)
    assert logged and len(logged) == len(list(out.glob("letter_*.docx")))
    assert all(r["送达日期"] == "" and r["回执/单号"] == "" for r in logged)
    assert all(str(r["涉及发票"]).startswith("FP") for r in logged)
    # a delivery before the letters were written is refused, and nothing is marked
    assert main(["letters", str(path), "--delivered", "2026-10-30"]) != 0
    assert all(r["送达日期"] == "" for r in _letters_logged(path))
    reference = "EMS 1199 0001 0CN"
    assert main(["letters", str(path), "--delivered", "2026-11-03", "--reference", reference]) == 0
    marked = _letters_logged(path)
    assert {str(r["送达日期"])[:10] for r in marked} == {"2026-11-03"}  # a date, not a serial
    assert {r["回执/单号"] for r in marked} == {reference}
    # the demo's earlier rows are left as they were
    earlier = [r for r in sheet_rows(path, "沟通记录") if r["回执/单号"] == "EMS 1190 2261 3CN"]
    assert earlier and str(earlier[0]["送达日期"])[:10] == "2026-08-27"


def test_the_hand_over_pack_of_the_customer_in_litigation(
    demo_copy: Callable[..., Path], tmp_path: Path
) -> None:
    path = demo_copy()
    out = tmp_path / "documents"
    assert main(["run", str(path), "--as-of", AS_OF]) == 0
    assert (
        main(["handover", str(path), "--customer", "C00007", "--as-of", AS_OF, "--out", str(out)])
        == 0
    )
    folder = out / "handover_C00007_20261031"
    index, memo = folder / "00_index.docx", folder / "01_cover_memo.docx"
    [letter] = sorted((folder / "letters").glob("*.docx"))
    # the memo: the claim per invoice with its interest to date and limitation expiry
    claims = next(t for t in tables_of(memo) if t[0][0] == "发票号" and len(t[0]) == 13)
    header = claims[0]
    assert header[11] == "利息（计至2026年10月31日）" and header[12] == "诉讼时效届满"
    owed = [
        r
        for r in sheet_rows(path, "应收发票")
        if r["客户编号"] == "C00007" and r["发票号"] in {row[0] for row in claims[1:]}
    ]
    assert len(claims) - 1 == len(owed) >= 20
    assert all(float(r[11].replace(",", "")) > 0 for r in claims[1:])
    # the suit is pending: the limitation period does not run (民法典 第一百九十五条)
    assert {r[12] for r in claims[1:]} == {"诉讼中"}
    text = text_of(memo)
    assert "武汉长江汽车零部件有限公司" in text and "恒远精密制造有限公司" in text
    assert "CNY：未付本金" in text and "最早届满的诉讼时效：诉讼中，时效不计。" in text
    # the demands with their delivery: our final demand and the lawyer's letter
    demands = next(t for t in tables_of(memo) if t[0][:2] == ["日期", "类型"] and len(t[0]) == 7)
    delivered = {r[5]: r[4] for r in demands[1:] if r[6] == "已送达"}
    assert delivered == {"EMS 1186 0427 5CN": "2026-03-20", "EMS 1187 5530 9CN": "2026-04-27"}
    # the letter already sent, named in the index with its delivery
    sent = text_of(letter)
    assert "最后催告函" in sent and "CS-C00007-20260319-3" in sent
    entries = tables_of(index)[0]
    assert [r[1] for r in entries[1:]] == [
        "00_index.docx",
        "01_cover_memo.docx",
        f"letters/{letter.name}",
    ]
    assert "EMS 1186 0427 5CN" in entries[3][3]


def test_a_customer_not_yet_for_counsel_gets_no_pack(
    demo_copy: Callable[..., Path], tmp_path: Path
) -> None:
    path = demo_copy()
    code = main(["handover", str(path), "--customer", "C00001", "--out", str(tmp_path)])
    assert code != 0 and not list(tmp_path.glob("handover_*"))
