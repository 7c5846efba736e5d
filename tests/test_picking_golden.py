"""Golden workbook: a realistic day of orders through `shopbook picklist`, every output sheet
compared with tests/golden/picklist.json (reviewed by hand).

To accept a deliberate change: SHOPBOOK_UPDATE_GOLDEN=1 pytest tests/test_picking_golden.py,
then read the diff of the golden file before committing it.
"""
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import golden_json, needs_tools
from click.testing import CliRunner

from shopbook.cli import main

GOLDEN = Path(__file__).parent / "golden" / "picklist.json"
D = dt.datetime

# as a shop exports it: a title row, the platform's header names, order-level cells only on the first line
ORDERS = [
    ["XX旗舰店 订单明细 2026-10-31"],
    ["订单编号", "创建时间", "支付时间", "买家昵称", "收货人", "联系电话", "省份", "收货地址", "商家编码", "宝贝名称",
     "颜色分类", "尺码", "购买数量", "价格", "支付方式", "快递", "标记", "卖家备注", "接待客服", "订单状态"],
    ["2026103100001", D(2026, 10, 31, 8, 2), D(2026, 10, 31, 8, 5), "tb_lily", "李丽", "13800001111", "广东",
     "深圳市南山区科技园路1号", "BRA-01", "蕾丝文胸", "黑", "75B", 2, 89, "在线支付", "中通", "红",
     "小王:要求发顺丰,送运费险---2026.10.31 小王", "小王", "待发货"],
    ["2026103100001", None, None, None, None, None, None, None, "GIFT-BAG", "赠品 收纳袋", None, None, 1, 0, None,
     None, None, None, None, None],
    ["2026103100002", D(2026, 10, 31, 8, 30), D(2026, 10, 31, 8, 31), "tb_mei", "王梅", "13900002222", "浙江",
     "杭州市西湖区文三路2号", "BRA-01", "蕾丝文胸", "黑", "75B", 2, 89, "在线支付", "中通", "无", None, "小李",
     "待发货"],
    ["2026103100003", D(2026, 10, 31, 9, 0), None, "tb_zhao", "赵敏", "13700003333", "江苏",
     "南京市鼓楼区中山路3号", "PANT-02", "平角内裤", "肤", "M", 3, 29, "货到付款", "顺丰", "无", None, "小李",
     "待发货"],
    ["2026103100004", D(2026, 10, 31, 7, 0), D(2026, 10, 31, 7, 1), "tb_qian", "钱多", "13600004444", "上海",
     "上海市浦东新区世纪大道4号", "BRA-01", "蕾丝文胸", "白", "80C", 1, 89, "在线支付", "圆通", "绿",
     "10/31 快递截单 小王", "小王", "待发货"],
    ["2026103100005", D(2026, 10, 31, 9, 10), D(2026, 10, 31, 9, 12), "tb_sun", "孙悦", "13500005555", "北京",
     "北京市朝阳区建国路5号", "PANT-02", "平角内裤", "肤", "M", 1, 29, "在线支付", "中通", "无", None, "小张",
     "退款中"],
    ["2026103100006", D(2026, 10, 31, 6, 0), D(2026, 10, 31, 6, 1), "tb_zhou", "周舟", "13400006666", "四川",
     "成都市武侯区天府大道6号", "BRA-01", "蕾丝文胸", "黑", "75B", 1, 89, "在线支付", "中通", "无", None, "小张",
     "待发货"],
    ["2026103100007", D(2026, 10, 31, 10, 0), D(2026, 10, 31, 10, 2), "tb_wu", "吴桐", "13300007777", "湖北",
     "武汉市洪山区珞喻路7号", "SOCK-09", "船袜", "白", "均码", 2, 9.9, "在线支付", "中通", "无", None, "小王",
     "待发货"],
    ["2026103100008", D(2026, 10, 31, 10, 30), D(2026, 10, 31, 10, 31), "tb_zheng", "郑好", "13200008888", "山东",
     "济南", "BRA-01", "蕾丝文胸", "白", "80C", 1, 89, "在线支付", "中通", "无", None, "小王", "待发货"],
    ["2026103100009", D(2026, 10, 31, 11, 0), D(2026, 10, 31, 11, 5), "tb_feng", "冯雪", "13100009999", "河南",
     "郑州市金水区花园路9号", "BRA-01", "蕾丝文胸", "白", "80C", 1, 89, "在线支付", "韵达", "紫",
     "10/31 黑75B换白80C 差价0 运费买家 小李", "小李", "待发货"],
    ["2026103100009", None, None, None, None, None, None, None, "PANT-02", "平角内裤", "黑", "L", 1, 29, None,
     None, None, None, None, None],
    ["2026103100010", D(2026, 10, 31, 11, 30), D(2026, 10, 31, 11, 31), "tb_chen", "陈晨", "13000001010", "广东",
     "广州市天河区体育西路10号", "BRA-01", "蕾丝文胸", "黑", "75B", 1, 89, "在线支付", "中通", "无", None, "小张",
     "已发货"],
    ["2026103100011", D(2026, 10, 31, 12, 0), None, "tb_chu", "楚楚", "15800001111", "广东",
     "珠海市香洲区情侣路11号", "BRA-01", "蕾丝文胸", "黑", "75B", 1, 89, "在线支付", "中通", "无", None, "小张",
     "待付款"],
    ["2026103100012", D(2026, 10, 31, 12, 30), D(2026, 10, 31, 12, 31), "tb_wei", "魏来", "15900001212", "新疆",
     "乌鲁木齐市天山区解放路12号", "PANT-02", "平角内裤", "肤", "M", 2, 29, "在线支付", "邮政", "无", None,
     "小张", "待发货"],
    ["合计", None, None, None, None, None, None, None, None, None, None, None, 20],
]
STOCK = [
    ["商品编码", "品名", "颜色", "尺码", "货位", "账面库存", "实盘数量", "残次数量", "盘点日期"],
    ["BRA-01", "蕾丝文胸", "黑", "75B", "A-10-2", 6, 5, 0, D(2026, 10, 28)],
    ["BRA-01", "蕾丝文胸", "白", "80C", "A-2-1", 3, None, 1, D(2026, 10, 28)],
    ["PANT-02", "平角内裤", "肤", "M", "B-01-03", 4, 4, 0, D(2026, 10, 28)],
    ["PANT-02", "平角内裤", "黑", "L", "B-01-01", 5, 5, 0, D(2026, 10, 28)],
    ["GIFT-BAG", "收纳袋", None, None, "C-01-01", 100, None, None, D(2026, 10, 28)],
]
SHIPPING = [
    ["发货日期", "订单编号", "快递公司", "运单号", "重量(kg)", "包装人"],
    [D(2026, 10, 31), "2026103100006", "中通", "773100000006", 0.3, "老刘"],
]


def _json_value(value):
    return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value


def _sheets(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb:
        out[ws.title] = {
            "header": [ws.oddHeader.left.text, ws.oddHeader.center.text, ws.oddHeader.right.text],
            "footer": [ws.oddFooter.left.text, ws.oddFooter.center.text, ws.oddFooter.right.text],
            "rows": [[_json_value(v) for v in row] for row in ws.iter_rows(values_only=True)],
        }
    return out


def test_golden_workbook(tmp_path):
    src = tmp_path / "订单与库存.xlsx"
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in (("订单", ORDERS), ("库存", STOCK), ("发货", SHIPPING)):
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(src)
    out = tmp_path / "拣货单.xlsx"
    result = CliRunner().invoke(main, ["picklist", str(src), "-o", str(out), "--as-of", "2026-10-31 18:00"],
                                catch_exceptions=False)
    assert result.exit_code == 1, result.output  # one order short, one held
    got = _sheets(out)
    assert got == golden_json(GOLDEN, got)


@needs_tools("soffice", "pdftotext")
def test_golden_workbook_prints(tmp_path):
    """Rendered by LibreOffice: every list prints with its batch in the page header, the pick lists
    with their signature lines, the Chinese text intact."""
    test_golden_workbook(tmp_path)
    out = tmp_path / "拣货单.xlsx"
    profile = f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}"  # not the user's (maybe running) LibreOffice
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "拣货单.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")
    for title in ("汇总拣货单", "按单拣货单", "缺货订单", "暂缓拣货的订单"):
        page = next(p for p in pages if title in p)
        assert "批次 JH20261031-01" in page
    for title in ("汇总拣货单", "按单拣货单"):
        page = next(p for p in pages if title in p)
        assert "拣货人" in page and "复核人" in page
    assert "要求发顺丰,送运费险" in text and "蕾丝文胸" in text
