"""Source profiles (shopbook.reading.profiles): the built-in formats as data, detection by
headers alone, the rules workbook's 来源格式 sheet, and how a profiled table is read."""
from __future__ import annotations

import pandas as pd
import pytest

from shopbook.courier.job import COURIER_BILL
from shopbook.sheets.orders import ORDERS
from shopbook.reading import profiles
from shopbook.sheets.returns import RETURNS
from shopbook.rules import load_rules
from shopbook.sheets.shipping import SHIPPING

from conftest import AS_OF, codes

KINDS = {k.name: k for k in (ORDERS, SHIPPING, RETURNS, COURIER_BILL)}
TAOBAO = ["订单编号", "买家会员名", "买家应付货款", "买家应付邮费", "买家实际支付金额", "订单状态", "收货人姓名", "收货地址",
          "联系电话", "联系手机", "订单创建时间", "订单付款时间", "宝贝标题", "物流公司", "订单备注"]
ROW = ["3912001", "tb_a", "59.00", "0.00", "59.00", "买家已付款，等待卖家发货", "张三", "浙江省 杭州市 西湖区 文三路 1号", "",
       "13812345678", "2026-10-10 09:00:00", "2026-10-10 09:01:00", "文胸", "", ""]


def test_builtin_profiles_are_consistent():
    """Every built-in format reads as a known sheet kind, names only that kind's fields, and maps
    words only to values the field accepts."""
    seen = set()
    for p in profiles.builtin():
        assert p.id not in seen and p.kind in KINDS, p.id
        seen.add(p.id)
        kind = KINDS[p.kind]
        names = {c.name for c in kind.columns} | (set(profiles.BILL_FIELDS) if p.kind == "快递账单" else set())
        assert set(p.fields) | set(p.sums) | set(p.constants) <= names, p.id
        for field, words in p.values.items():
            allowed = profiles._allowed_values(kind, field)
            assert not allowed or set(words.values()) <= set(allowed), (p.id, field)
        assert p.sources and p.name and (p.signature or p.name_hints or p.id == "bill-generic"), p.id


def test_detect_by_headers_only():
    match = profiles.detect(TAOBAO, [ORDERS], profiles.builtin())
    assert match.profile.id == "taobao-order-list" and match.placed["手机"] == "联系手机"
    assert match.not_carried == ("商品编码", "数量")
    # the team's own headers, and the messy golden sheet's mix of platform aliases, are no export
    assert profiles.detect([c.name for c in ORDERS.columns], [ORDERS], profiles.builtin()) is None
    messy = ["订单编号", "创建时间", "支付时间", "收货人", "联系电话", "省份", "收货地址", "商家编码", "颜色分类", "尺码",
             "购买数量", "价格", "实付", "插旗", "卖家备注", "订单状态", "支付方式", "接待客服"]
    assert profiles.detect(messy, [ORDERS], profiles.builtin()) is None


def test_headers_with_wrappers_units_and_trailing_spaces():
    row = ['="订单编号"', "买家会员名 ", "买家实付金额", "订单状态", "收货人姓名", "收货地址 ", "联系手机", "订单付款时间 ",
           "买家应付邮费"]
    assert profiles.detect(row, [ORDERS], profiles.builtin()).profile.id == "taobao-order-list"
    pdd = ["商品", "订单号", "订单状态", "商品总价（元）", "用户实付金额(元)", "商品数量（件）", "收货人", "手机", "省", "市", "区",
           "街道", "商家编码-规格维度", "售后状态"]
    assert profiles.detect(pdd, [ORDERS], profiles.builtin()).profile.id == "pdd-orders"


def test_partial_match_names_fields_and_nearest_headers(validate_rows):
    header = [h for h in TAOBAO if h not in ("联系手机", "联系电话")] + ["收货人手机号码"]
    row = [v for h, v in zip(TAOBAO, ROW) if h not in ("联系手机", "联系电话")] + ["13812345678"]
    result = validate_rows({"Sheet1": [header, row]})
    f = result.findings.set_index("code")
    assert "手机" in f.loc["source-partial", "message"] and "收货人手机号码" in f.loc["source-partial", "message"]


def test_ambiguous_match_is_a_finding():
    a = profiles.from_dict({"id": "a", "name": "格式甲", "kind": "订单", "signature": ["订单编号", "收货人姓名", "联系手机"],
                            "sources": ["x"], "fields": {"订单号": "订单编号"}})
    b = profiles.from_dict({"id": "b", "name": "格式乙", "kind": "订单", "signature": ["订单编号", "收货人姓名", "联系手机"],
                            "sources": ["x"], "fields": {"订单号": "订单编号"}})
    match = profiles.detect(["订单编号", "收货人姓名", "联系手机"], [ORDERS], (a, b))
    assert match.profile.id == "a" and match.other.id == "b"


def test_values_are_mapped_once_per_column(validate_rows):
    rows = [ROW, ROW[:5] + ["等待买家付款"] + ROW[6:], ROW[:5] + ["交易关闭"] + ROW[6:]]
    rows = [[f"39120{i}"] + r[1:] for i, r in enumerate(rows)]
    result = validate_rows({"Sheet1": [TAOBAO, *rows]})
    assert list(result.sheets.orders.data["状态"]) == ["待发货", "待付款", "已关闭"]
    mapped = [c for c in codes(result) if c[2] == "source-value-mapped"]
    assert len(mapped) == 1


def test_rules_sheet_adds_and_corrects_formats(book):
    rules = book({"来源格式": [
        ["格式名称", "类型", "字段", "表头", "平台用语", "换成"],
        ["小店订单", "订单", "订单号", "单据编号", None, None],
        ["小店订单", "订单", "收件人", "联系人", None, None],
        ["小店订单", "订单", "手机", "联系人手机", None, None],
        ["小店订单", "订单", "详细地址", "送货地址", None, None],
        ["小店订单", "订单", "商品编码", "货品编号", None, None],
        ["小店订单", "订单", "数量", "件数", None, None],
        ["小店订单", "订单", "状态", "单据状态", "已审核", "待发货"],
        ["小店订单", "订单", "空值", None, "--", None],
        ["淘宝/天猫 订单报表 (ExportOrderList)", None, "状态", None, "等待发货确认", "待发货"],
        ["坏格式", "仓库单", "订单号", "X", None, None],
        ["小店订单", "订单", "不存在的字段", "Y", None, None],
        ["小店订单", "订单", "状态", None, "作废", "作废了"],
        [None, "订单", "订单号", "Z", None, None],
    ]})
    loaded, found = load_rules(rules)
    reasons = list(found["message"])
    assert len(reasons) == 4 and all(f == "rule-invalid" for f in found["code"])
    custom = profiles.by_id(loaded.profiles, "小店订单")
    assert custom.origin == "规则工作簿" and custom.values["状态"] == {"已审核": "待发货"}
    taobao = profiles.by_id(loaded.profiles, "taobao-order-list")
    assert taobao.values["状态"]["等待发货确认"] == "待发货" and taobao.origin.startswith("内置")
    row = ["单据编号", "联系人", "联系人手机", "送货地址", "货品编号", "件数", "单据状态"]
    match = profiles.detect(row, [ORDERS], loaded.profiles)
    assert match.profile.id == "小店订单" and match.missing == ()


def test_rules_sheet_format_reads_a_file(book):
    from shopbook.reading.files import open_workbook
    from shopbook.sheets.run import validate_books as validate
    rules, _ = load_rules(book({"来源格式": [
        ["格式名称", "类型", "字段", "表头", "平台用语", "换成"],
        ["小店订单", "订单", "订单号", "单据编号", None, None], ["小店订单", "订单", "收件人", "联系人", None, None],
        ["小店订单", "订单", "手机", "联系人手机", None, None], ["小店订单", "订单", "详细地址", "送货地址", None, None],
        ["小店订单", "订单", "商品编码", "货品编号", None, None], ["小店订单", "订单", "数量", "件数", None, None],
        ["小店订单", "订单", "状态", "单据状态", "已审核", "待发货"]]}))
    data = book({"导出": [["单据编号", "联系人", "联系人手机", "送货地址", "货品编号", "件数", "单据状态"],
                        ["D1", "张三", "13812345678", "浙江省杭州市文三路1号", "S1", 1, "已审核"],
                        ["D2", "李四", "1381234567", "浙江省杭州市文三路2号", "S1", 1, "已审核"]]})
    result = validate(open_workbook(data), rules, AS_OF)
    assert ("导出", "C3", "phone-invalid") in codes(result)
    assert "missing-column" not in {c[2] for c in codes(result)}
    assert list(result.sheets.orders.data["状态"]) == ["待发货", "待发货"]


def test_profiled_kind_keeps_base_aliases_for_unmapped_fields():
    row = TAOBAO + ["颜色"]
    match = profiles.detect(row, [ORDERS], profiles.builtin())
    lookup = profiles.profiled_kind(ORDERS, match, row).header_lookup()
    assert lookup[profiles.key("联系手机")] == "手机" and profiles.key("联系电话") not in lookup
    assert lookup[profiles.key("颜色")] == "颜色"


@pytest.mark.parametrize("text,colour,size", [("颜色分类:黑色;尺码:M", "黑色", "M"), ("颜色分类：白色[GT20]", "白色[GT20]", None),
                                              (None, None, None), ('"颜色:灰;尺寸:XL"', "灰", "XL")])
def test_split_attributes(text, colour, size):
    from shopbook.reading.sources import split_attributes
    assert split_attributes(text) == (colour, size)


def test_rules_table_without_its_columns():
    got, problems = profiles.from_rules_table(pd.DataFrame({"名称": ["x"]}), KINDS)
    assert got == profiles.builtin() and problems and "缺少列" in problems[0][2]


def test_formats_doc_table_is_current():
    """docs/formats.md's table of formats is what scripts/make_docs.py generates from the profiles."""
    import importlib.util
    from pathlib import Path
    root = Path(__file__).parent.parent
    spec = importlib.util.spec_from_file_location("make_docs", root / "scripts" / "make_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (root / "docs" / "formats.md").read_text(encoding="utf-8")
    assert module.render_formats(current) == current, "run python scripts/make_docs.py"


def test_blank_cells_filled_from_the_formats_next_column(validate_rows):
    """淘宝: 手机 is 联系手机, and 联系电话 where 联系手机 is blank (a buyer with only a landline)."""
    other = ROW[:8] + ["0571-88888888", ""] + ROW[10:]
    result = validate_rows({"Sheet1": [TAOBAO, ROW, ["3912002"] + other[1:]]})
    assert list(result.sheets.orders.data["手机"]) == ["13812345678", "0571-88888888"]
    assert "source-column-filled" in {c[2] for c in codes(result)}
    assert "required-missing" not in {c[2] for c in codes(result)}


def test_unlisted_status_and_payment_words_are_read_by_their_key_words(validate_rows):
    rows = [ROW[:5] + [status] + ROW[6:] for status in ("卖家已发货，等待买家确认收货", "已付款待发货", "交易关闭(超时)")]
    rows = [[f"39120{i}"] + r[1:] for i, r in enumerate(rows)]
    result = validate_rows({"Sheet1": [TAOBAO, *rows]})
    assert list(result.sheets.orders.data["状态"]) == ["已发货", "待发货", "已关闭"]
    assert "value-not-allowed" not in {c[2] for c in codes(result)}
