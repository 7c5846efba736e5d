"""A realistic messy workbook (all four sheets) against its golden findings.

tests/golden/messy.xlsx is built by `build()` below; the expected findings sit beside it in
messy.findings.txt (one "sheet cell code" per line). After an intended change of behaviour:
    python tests/test_golden_validate.py --update
"""
import datetime as dt
import sys
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent / "golden"
BOOK = HERE / "messy.xlsx"
EXPECTED = HERE / "messy.findings.txt"
AS_OF = dt.datetime(2026, 10, 10, 18, 0)


def build(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单明细"
    ws.append(["小蛮腰内衣旗舰店 2026年10月 订单明细"])
    ws.merge_cells("A1:N1")
    ws.append(["导出时间: 2026-10-10 09:00"])
    ws.append(["订单编号", "创建时间", "支付时间", "收货人", "联系电话", "省份", "收货地址", "商家编码", "颜色分类", "尺码",
               "购买数量", "价格", "实付", "插旗", "卖家备注", "订单状态", "支付方式", "接待客服"])
    rows = [
        ["260910000000001", "2026/10/9 10:05", dt.datetime(2026, 10, 9, 10, 6), "王芳", "１３８１２３４５６７８", "广东",
         "深圳市南山区粤海街道科技园路1号", "BRA-001", "黑", "75B", 1, "¥89.00", 89, "红旗", "小王:要发顺丰", "待发货", "在线支付", "小王"],
        ["260910000000001", None, None, None, None, None, None, "PAN-002", "肤", "M", 2, 19.9, 39.8, None, None, None, None, None],
        [260910000000002, "2026年10月9日", None, "李雷", "1391234567", "浙江省", "杭州市西湖区文三路9号", "BRA-001", "黑",
         "75B", 1, 89, 89, "无", None, "待付款", "在线支付", "小李"],
        [2.6091e17, dt.datetime(2026, 10, 8, 9), dt.datetime(2026, 10, 8, 9, 1), "赵敏", "+86 139-1234-5678", "火星",
         "火星市1号", "BRA-999", "白", "80C", 1.5, 89, 133.5, "蓝", "尺码不合适", "退款中", "在线支付", "小张"],
        ["260910000000004", "20261009", "2026-02-30", "钱进", "0755-12345678", None, "广东省深圳市", "SOCK-01", "灰",
         "均码", 3, 9.9, 25, "绿", "10/9 快递截单", "待发货", "货到付款", "小陈"],
        ["合计", None, None, None, None, None, None, None, None, None, 8, None, 376.3],
    ]
    for row in rows:
        ws.append(row)
    ship = wb.create_sheet("发货登记")
    ship.append(["发货日期", "订单编号", "快递", "运单号", "重量（kg）", "件数", "收货人", "省份", "打包人", "包裹状态", "原因"])
    ship.append(["2026.10.9", "260910000000001", "顺丰速运", "SF1234567890123", 0.4, 1, "王芳", "广东", "小周", "正常", None])
    ship.append([dt.datetime(2026, 10, 9), "260910000000004", "中通", "SF1234567890123", 0, 1, "钱进", "广东", None, "拒收", None])
    ship.append([dt.datetime(2026, 10, 9), 773123456789012, "中通", 773123456789012, 1.2, 1, "孙丽", "江苏", "小周", "正常", None])
    ret = wb.create_sheet("售后登记")
    ret.append(["登记日期", "订单编号", "类型", "原因", "签收日期", "申请日期", "商家编码", "商品状态", "商品类别", "退回方式",
                "运费承担", "退款金额", "附件齐全", "状态"])
    ret.append(["2026-10-09", "260910000000001", "退货", "不喜欢", "2026-10-01", "2026-10-09", "PAN-002", "已洗涤", "内裤",
                "到付", "店铺", 50, "否", "已退款"])
    stock = wb.create_sheet("盘点表")
    stock.append(["商品编码", "颜色", "尺码", "库位", "账面数量", "实盘数量", "残次数量", "安全库存", "成本价", "盘点日期"])
    stock.append(["BRA-001", "黑", "75B", "A-01-03", 10, 9, 0, 3, 35, "2026-10-08"])
    stock.append(["PAN-002", "肤", "M", "A0102", 1, 1, 0, 2, 6.5, "2026/09/20"])
    stock.append(["SOCK-01", "灰", "均码", None, 50, 50, 0, 5, 2, "2026-10-08"])
    stock.append(["BRA-001", "黑", "75B", "A-01-03", 1, 1, 0, 0, 35, "2026-10-08"])
    wb.save(path)


def findings_of(path: Path) -> list[str]:
    from shopbook.reading.files import open_workbook
    from shopbook.rules import DEFAULT_RULES
    from shopbook.sheets.run import validate_books as validate

    f = validate(open_workbook(path), DEFAULT_RULES, AS_OF).findings
    return [f"{s} {c or '-'} {code}" for s, c, code in zip(f["sheet"], f["cell"], f["code"])]


def test_messy_workbook_matches_golden(tmp_path):
    path = tmp_path / "messy.xlsx"
    build(path)
    assert findings_of(path) == EXPECTED.read_text(encoding="utf-8").splitlines()


def test_committed_golden_workbook_is_current():
    assert findings_of(BOOK) == EXPECTED.read_text(encoding="utf-8").splitlines()


if __name__ == "__main__" and "--update" in sys.argv:
    sys.path.insert(0, str(Path(__file__).parent.parent))
    HERE.mkdir(exist_ok=True)
    build(BOOK)
    EXPECTED.write_text("\n".join(findings_of(BOOK)) + "\n", encoding="utf-8")
    print(EXPECTED.read_text(encoding="utf-8"))


def test_xls_copy_of_the_golden_workbook_gives_the_same_findings():
    """messy.xls is messy.xlsx saved as Excel 97-2003 by LibreOffice."""
    assert findings_of(HERE / "messy.xls") == EXPECTED.read_text(encoding="utf-8").splitlines()
