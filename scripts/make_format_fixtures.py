"""Write one small fixture per export format into tests/fixtures/formats/, reproducibly.

    python scripts/make_format_fixtures.py

Each file is built to the published header list of its format (docs/formats.md cites the
sources) with the format's real quirks — GBK csv where the real export is GBK csv, ="…" and '
wrappers, tab-prefixed cells, title rows above the header, full-width （元）, status words,
footer rows — and holds clean rows plus a few planted mistakes. manifest.json beside them says,
per case, which files go together, the format each must be recognised as, the planted findings
(sheet, cell, code) and the rows that must stay clean; tests/test_formats.py runs every case
end to end through the CLI.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "formats"
AS_OF = "2026-10-10 18:00"
CASES: list[dict] = []


def col(headers: list[str], name: str) -> str:
    """Excel letter of a header."""
    from openpyxl.utils import get_column_letter
    return get_column_letter(headers.index(name) + 1)


def write_csv(path: Path, rows: list[list], encoding: str) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cells in ws.iter_rows():  # every cell as text, as the platforms export IDs and phones
            for c in cells:
                if isinstance(c.value, str):
                    c.number_format = "@"
    wb.save(path)


def row_of(rows: list[list], predicate, header_row: int = 1) -> int:
    """Excel row number of the first data row matching predicate (rows[0] is the header row)."""
    for i, r in enumerate(rows[header_row:], start=header_row + 1):
        if predicate(r):
            return i
    raise KeyError("no such row")


# --- shared inputs -----------------------------------------------------------------------
SKUS = ["WX1001", "WX1002", "NK01", "NK02", "BR01", "SK01"]


def stock_book() -> None:
    rows = [["商品编码", "商品名称", "库位", "账面数量", "实盘数量", "残次数量", "安全库存", "盘点日期", "盘点人"]]
    for i, sku in enumerate(SKUS):
        rows.append([sku, f"商品{sku}", f"A-01-{i + 1:02d}", 50, 50, 0, 2, dt.date(2026, 10, 8), "老周"])
    write_xlsx(OUT / "库存.xlsx", {"库存": rows})


PRICES = [("顺丰", "12", "2"), ("中通", "4", "2"), ("圆通", "4", "2"), ("韵达", "4", "2"), ("申通", "4", "2"),
          ("极兔", "4", "2"), ("邮政", "8", "3"), ("百世", "4", "2")]


def rules_book() -> None:
    rows = [["快递公司", "省份", "首重(kg)", "首重价格", "续重单位(kg)", "续重单价"]]
    rows += [[c, "其他", 1, float(first), 1, float(step)] for c, first, step in PRICES]
    write_xlsx(OUT / "规则.xlsx", {"参数": [["参数", "值"], ["重量容差(kg)", 0.2]], "快递价格": rows})


def fee(courier: str, kg: float) -> float:
    """The price table's fee for a weight (whole kg steps above the first)."""
    import math
    _, first, step = next(p for p in PRICES if p[0] == courier)
    return float(first) + max(0, math.ceil(kg - 1 - 1e-9)) * float(step)


REGISTER: list[list] = [["发货日期", "订单号", "快递公司", "快递单号", "重量(kg)", "件数", "收件人", "省", "包装人", "状态"]]


def ship(courier: str, waybill: str, kg: float, province: str = "浙江", day: int = 5) -> None:
    REGISTER.append([dt.date(2026, 10, day), f"R{len(REGISTER):05d}", courier, waybill, kg, 1, "张三", province, "小周",
                     "正常"])


def case(name: str, files: list[str], formats: list[str], *, command: str = "validate", planted=(), clean=(),
         categories=None, codes=(), exit_code: int | None = None, absent=(), bill_total: str | None = None) -> None:
    CASES.append({"name": name, "command": command, "files": files, "formats": formats, "planted": list(planted),
                  "clean": list(clean), "categories": categories or {}, "codes": list(codes),
                  "absent": list(absent), "exit": exit_code, "bill_total": bill_total})


# --- 淘宝/天猫 -----------------------------------------------------------------------------
TAOBAO_LIST = ["订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "买家支付积分", "总金额", "返点积分",
               "买家实际支付金额", "买家实际支付积分", "订单状态", "买家留言", "收货人姓名", "收货地址", "运送方式", "联系电话",
               "联系手机", "订单创建时间", "订单付款时间", "宝贝标题", "宝贝种类", "物流单号", "物流公司", "订单备注", "宝贝总数量",
               "店铺Id", "店铺名称", "订单关闭原因", "卖家服务费", "买家服务费", "发票抬头", "是否手机订单", "分阶段订单信息",
               "特权订金订单id", "是否上传合同照片", "是否上传小票", "是否代付", "定金排名", "修改后的sku", "修改后的收货地址",
               "异常信息", "天猫卡券抵扣", "集分宝抵扣", "是否是O2O交易", "退款金额"]
TAOBAO_DETAIL = ["订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息", "备注", "订单状态", "商家编码"]


def taobao() -> None:
    orders = [  # id, status, name, address, phone, created, paid, total, refund, lines [(sku, title, price, qty, attrs)]
        ("3912650011001", "买家已付款，等待卖家发货", "张三", "浙江省 杭州市 西湖区 文三路 100号", "'13812345678",
         "2026-10-10 09:00:00", "2026-10-10 09:01:00", "158.00", "0.00",
         [("WX1001", "无钢圈文胸", "99.00", 1, "颜色分类：黑色;尺码：75B"), ("NK01", "棉质内裤", "59.00", 1, "颜色分类：肤色;尺码：M")]),
        ("3912650011002", "卖家已发货,等待买家确认", "李四", "江苏省 南京市 鼓楼区 中山路 8号", "'13912345678",
         "2026-10-08 10:00:00", "2026-10-08 10:02:00", "99.00", "0.00", [("WX1002", "蕾丝文胸", "99.00", 1, "颜色分类：白色;尺码：80B")]),
        ("3912650011003", "交易成功", "王芳", "上海 上海市 浦东新区 世纪大道 1号", "'13712345678",
         "2026-10-01 10:00:00", "2026-10-01 10:05:00", "59.00", "0.00", [("NK02", "莫代尔内裤", "59.00", 1, "颜色分类：黑色;尺码：L")]),
        ("3912650011004", "买家已付款，等待卖家发货", "刘洋", "广东省 深圳市 南山区 科技路 9号", "'1381234567",
         "2026-10-10 10:00:00", "2026-10-10 10:01:00", "59.00", "0.00", [("BR01", "运动文胸", "59.00", 1, "颜色分类：灰色;尺码：M")]),
        ("3912650011005", "买家已付款，等待卖家发货", "陈静", "广东省 深圳市", "'13612345678",
         "2026-10-10 11:00:00", "2026-10-10 11:01:00", "59.00", "0.00", [("NK01", "棉质内裤", "59.00", 1, "颜色分类：肤色;尺码：M")]),
        ("3912650011006", "等待买家付款", "周敏", "浙江省 宁波市 鄞州区 天童路 3号", "'13512345678",
         "2026-10-10 08:00:00", "", "99.00", "0.00", [("WX1001", "无钢圈文胸", "99.00", 1, "颜色分类：黑色;尺码：75B")]),
        ("3912650011007", "买家已付款，等待卖家发货", "吴磊", "浙江省 杭州市 滨江区 江南大道 5号", "'13412345678",
         "2026-10-10 12:00:00", "2026-10-10 12:01:00", "59.00", "59.00", [("SK01", "打底袜", "59.00", 1, "颜色分类：黑色")]),
        ("3912650011008", "交易关闭", "郑洁", "浙江省 杭州市 上城区 解放路 2号", "'13312345678",
         "2026-10-09 12:00:00", "", "59.00", "0.00", [("NK02", "莫代尔内裤", "59.00", 1, "颜色分类：黑色;尺码：L")]),
        ("3912650011009", "买家已付款，等待卖家发货", "孙丽", "浙江省 杭州市 拱墅区 湖墅路 6号", "'13212345678",
         "2026-10-10 13:00:00", "2026-10-10 13:01:00", "59.00", "0.00", []),
        ("3912650011011", "买家已付款，等待卖家发货", "钱多", "浙江省 温州市 鹿城区 人民路 7号", "'13112345678",
         "2026-10-10 14:00:00", "2026-10-10 14:01:00", "59.00", "0.00", [("NK01", "棉质内裤", "59.00", 0, "颜色分类：肤色;尺码：M")]),
    ]
    rows, details = [TAOBAO_LIST], [TAOBAO_DETAIL]
    for oid, status, who, address, phone, created, paid, total, refund, lines in orders:
        r = dict.fromkeys(TAOBAO_LIST, "")
        r.update({"订单编号": f'="{oid}"', "买家会员名": f"tb_{oid[-3:]}", "买家支付宝账号": "a***@163.com",
                  "买家应付货款": total, "买家应付邮费": "0.00", "买家支付积分": "0", "总金额": total, "返点积分": "0",
                  "买家实际支付金额": total if paid else "0.00", "买家实际支付积分": "0", "订单状态": status,
                  "收货人姓名": who, "收货地址": address, "运送方式": "快递", "联系电话": "", "联系手机": phone,
                  "订单创建时间": created, "订单付款时间": paid, "宝贝标题": lines[0][1] if lines else "文胸",
                  "宝贝种类": str(len(lines) or 1), "物流单号": "", "物流公司": "", "订单备注": "",
                  "宝贝总数量": str(sum(q for *_, q, _ in lines) or 1), "店铺Id": "1001", "店铺名称": "小蛮腰内衣",
                  "订单关闭原因": "买家未付款" if status == "交易关闭" else "订单未关闭", "是否手机订单": "手机订单",
                  "退款金额": refund})
        rows.append([r[h] for h in TAOBAO_LIST])
        for sku, title, price, qty, attrs in lines:
            details.append([f'="{oid}"', title, price, str(qty), "", attrs, "", "", status, sku])
    # planted on the item list: a quantity of 0, a line repeated, a line whose order is not in the list
    details.append(['="3912650011003"', "莫代尔内裤", "59.00", "1", "", "颜色分类：黑色;尺码：L", "", "", "交易成功", "NK02"])
    details.append(['="3912650011010"', "棉质内裤", "59.00", "1", "", "颜色分类：肤色;尺码：M", "", "", "买家已付款，等待卖家发货", "NK01"])
    zero = row_of(details, lambda x: x[3] == "0")  # 3912650011011's line: a quantity of 0
    folder = OUT / "taobao"
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "ExportOrderList202610101800.csv", rows, "gbk")
    write_csv(folder / "ExportOrderDetailList202610101800.csv", details, "gbk")
    ol, dl = "ExportOrderList202610101800", "ExportOrderDetailList202610101800"
    r = lambda oid: row_of(rows, lambda x: x[0] == f'="{oid}"')  # noqa: E731
    planted = [
        [ol, f"{col(TAOBAO_LIST, '联系手机')}{r('3912650011004')}", "phone-invalid"],
        [ol, f"{col(TAOBAO_LIST, '收货地址')}{r('3912650011005')}", "address-incomplete"],
        [ol, f"{col(TAOBAO_LIST, '订单付款时间')}{r('3912650011006')}", "payment-chase"],
        [ol, f"A{r('3912650011009')}", "order-without-lines"],
        [dl, f"D{zero}", "not-positive"],
        [dl, f"{col(TAOBAO_DETAIL, '商家编码')}{len(details) - 1}", "duplicate-order-line"],
        [dl, f"A{len(details)}", "line-without-order"],
    ]
    clean = [[ol, r(o)] for o in ("3912650011001", "3912650011002", "3912650011003", "3912650011007", "3912650011008",
                                  "3912650011011")]
    clean += [[dl, n] for n in range(2, 6)]
    case("taobao-pair", [f"taobao/{ol}.csv", f"taobao/{dl}.csv"], ["taobao-order-list", "taobao-order-detail-list"],
         planted=planted, clean=clean, codes=["orders-joined", "source-value-mapped"], exit_code=1)
    case("taobao-order-list-alone", [f"taobao/{ol}.csv"], ["taobao-order-list"],
         planted=[p for p in planted if p[0] == ol and p[2] != "order-without-lines"], clean=clean[:6],
         codes=["source-cannot-check"], exit_code=1)
    case("taobao-picklist", [f"taobao/{ol}.csv", f"taobao/{dl}.csv"], ["taobao-order-list", "taobao-order-detail-list"],
         command="picklist", categories={"picked": ["3912650011001"],
                                         "not_picked": ["3912650011007", "3912650011006", "3912650011008", "3912650011002",
                                                        "3912650011011"]})


TAOBAO_REFUND = ["订单编号", "退款编号", "支付宝交易号", "订单付款时间", "商品编码", "退款完结时间", "买家实际支付金额", "宝贝标题",
                 "买家退款金额", "手工退款/系统退款", "是否需要退货", "退款的申请时间", "超时时间", "退款状态", "货物状态",
                 "退货物流信息", "发货物流信息", "客服介入状态", "卖家真实姓名", "卖家真实姓名新", "卖家退货地址", "卖家邮编",
                 "卖家电话", "卖家手机", "退货物流单号", "退货物流公司", "买家退款原因", "买家退款说明", "买家退货时间", "责任方",
                 "售中或售后", "商家备注", "完结时间", "部分退款/全部退款", "审核操作人", "举证超时", "是否零秒响应",
                 "退款操作人", "退款原因标签", "业务类型", "是否帮他退款", "帮他退款操作账号"]


def taobao_refunds() -> None:
    data = [  # order, refund no, sku, amount, need return, status, waybill, reason
        ("3912650011003", "R001", "NK02", "59.00", "是", "退款成功", "YT1234567890123", "尺码不合适"),
        ("3912650011002", "R002", "WX1002", "99.00", "否", "卖家已经同意退款，等待买家退货", "", "质量问题"),
        ("3912650011001", "R003", "NK01", "59.00", "否", "买家已经申请退款，等待卖家同意", "", "不想要了"),
        ("3912650011007", "R004", "SK01", "59.00", "否", "买家已经申请退款，等待卖家同意", "", ""),
        ("3912650011008", "R005", "NK02", "59.00", "是", "买家已经退货，等待卖家确认收货", "", "拍错"),
    ]
    rows = [TAOBAO_REFUND]
    for oid, no, sku, amount, back, status, waybill, reason in data:
        r = dict.fromkeys(TAOBAO_REFUND, "")
        r.update({"订单编号": oid, "退款编号": no, "支付宝交易号": f"2026100922001{no}", "订单付款时间": "2026-10-01 10:05:00",
                  "商品编码": sku, "买家实际支付金额": amount, "宝贝标题": "内衣", "买家退款金额": amount,
                  "手工退款/系统退款": "系统退款", "是否需要退货": back, "退款的申请时间": "2026-10-09 10:00:00",
                  "退款状态": status, "货物状态": "买家已收到货", "退货物流单号": waybill, "退货物流公司": "圆通" if waybill else "",
                  "买家退款原因": reason, "售中或售后": "售中退款", "部分退款/全部退款": "全部退款"})
        rows.append([r[h] for h in TAOBAO_REFUND])
    folder = OUT / "taobao"
    write_xlsx(folder / "退款报表202610.xlsx", {"Sheet1": rows})
    planted = [["Sheet1", f"{col(TAOBAO_REFUND, '买家退款原因')}5", "reason-required"],
               ["Sheet1", f"{col(TAOBAO_REFUND, '退货物流单号')}6", "return-waybill-missing"]]
    case("taobao-refunds", ["taobao/退款报表202610.xlsx"], ["taobao-refunds"], planted=planted,
         clean=[["Sheet1", n] for n in (2, 3, 4)], exit_code=1)


QIANNIU_MAIN = ["订单编号", "买家会员名", "买家应付货款", "买家应付邮费", "买家实付金额", "订单状态", "收货人姓名", "收货地址",
                "联系手机", "订单创建时间", "订单付款时间", "发货时间", "确认收货时间", "商家备注", "订单关闭原因", "退款金额"]
QIANNIU_SUB = ["子订单编号", "主订单编号", "商品ID", "商品属性", "商品标题", "商品价格", "购买数量", "买家实付金额", "订单状态",
               "退款状态", "退款金额", "发货时间", "商家编码"]


def qianniu() -> None:
    main = [QIANNIU_MAIN,
            ["4012650022001", "tb_q1", "158.00", "0.00", "158.00", "买家已付款，等待卖家发货", "张三", "浙江省 杭州市 西湖区 文三路 100号",
             "13812345678", "2026-10-10 09:00:00", "2026-10-10 09:01:00", "null", "null", "", "订单未关闭", "0.00"],
            ["4012650022002", "tb_q2", "99.00", "0.00", "99.00", "买家已付款，等待卖家发货", "李四", "江苏省 南京市 鼓楼区 中山路 8号",
             "13912345678", "2026-10-10 10:00:00", "2026-10-10 10:02:00", "null", "null", "", "订单未关闭", "0.00"],
            ["4012650022003", "tb_q3", "59.00", "0.00", "59.00", "卖家已发货，等待买家确认", "王芳", "上海 上海市 浦东新区 世纪大道 1号",
             "1371234567", "2026-10-08 10:00:00", "2026-10-08 10:05:00", "2026-10-08 15:00:00", "null", "", "订单未关闭", "0.00"]]
    sub = [QIANNIU_SUB,
           ["5012650022001", "4012650022001", "6001", "颜色分类:黑色;尺码:75B", "无钢圈文胸", "99.00", "1", "99.00",
            "买家已付款，等待卖家发货", "没有申请退款", "无退款申请", "null", "WX1001"],
           ["5012650022002", "4012650022001", "6002", "颜色分类:肤色;尺码:M", "棉质内裤", "59.00", "1", "59.00",
            "买家已付款，等待卖家发货", "没有申请退款", "无退款申请", "null", "NK01"],
           ["5012650022003", "4012650022002", "6003", "颜色分类:白色;尺码:80B", "蕾丝文胸", "99.00", "1", "99.00",
            "买家已付款，等待卖家发货", "买家已经申请退款，等待卖家同意", "99.00", "null", "WX1002"],
           ["5012650022004", "4012650022003", "6004", "颜色分类:黑色;尺码:L", "莫代尔内裤", "59.00", "1", "59.00",
            "卖家已发货，等待买家确认", "没有申请退款", "无退款申请", "2026-10-08 15:00:00", "NK02"]]
    folder = OUT / "taobao"
    write_xlsx(folder / "千牛订单列表.xlsx", {"订单": main, "子订单": sub})
    case("qianniu-workbook", ["taobao/千牛订单列表.xlsx"], ["taobao-order-list", "taobao-qianniu-suborders"],
         planted=[["订单", f"{col(QIANNIU_MAIN, '联系手机')}4", "phone-invalid"]],
         clean=[["订单", 2], ["订单", 3], ["子订单", 2], ["子订单", 3], ["子订单", 4]], codes=["orders-joined"],
         exit_code=1)
    case("qianniu-picklist", ["taobao/千牛订单列表.xlsx"], ["taobao-order-list", "taobao-qianniu-suborders"],
         command="picklist", categories={"picked": ["4012650022001"], "not_picked": ["4012650022002", "4012650022003"]})


TMALL29 = ["子订单编号", "主订单编号", "买家会员名", "买家会员ID", "支付单号", "买家应付货款", "买家应付邮费", "总金额",
           "买家实际支付金额", "子单实际支付金额", "订单状态", "收件人姓名", "收货地址", "联系手机", "订单创建时间", "订单付款时间",
           "宝贝标题", "宝贝数量", "物流单号", "物流公司", "店铺ID", "店铺名称", "供应商ID", "供应商名称", "仓发类型", "退款金额",
           "颜色/尺码", "商家编码", "商品编码"]


def tmall() -> None:
    rows = [TMALL29]
    for i, (phone, sku) in enumerate((("13812345678", "WX1001"), ("13912345678", "NK01"), ("139123456", "NK02")), 1):
        rows.append([f"70{i:03d}", f"80{i:03d}", f"tm_{i}", f"id{i}", f"pay{i}", "59.00", "0.00", "59.00", "59.00", "59.00",
                     "买家已付款，等待卖家发货", "赵敏", "浙江省 杭州市 西湖区 文三路 1号", phone, "2026-10-10 09:00:00",
                     "2026-10-10 09:05:00", "内衣", "1", "", "", "S1", "天猫店", "G1", "供应商甲", "商家仓", "0.00", "黑色/M", sku,
                     f"6900{i}"])
    folder = OUT / "tmall"
    folder.mkdir(parents=True, exist_ok=True)
    write_xlsx(folder / "天猫订单明细.xlsx", {"Sheet1": rows})
    case("tmall-lines", ["tmall/天猫订单明细.xlsx"], ["tmall-order-lines"],
         planted=[["Sheet1", f"{col(TMALL29, '联系手机')}4", "phone-invalid"]], clean=[["Sheet1", 2], ["Sheet1", 3]],
         exit_code=1)


# --- 京东 ---------------------------------------------------------------------------------
JD30 = ["订单号", "商品ID", "商品名称", "订购数量", "支付方式", "下单时间", "京东价", "订单金额", "结算金额", "余额支付", "应付金额",
        "订单状态", "订单类型", "下单帐号", "客户姓名", "客户地址", "联系电话", "订单备注", "发票类型", "发票抬头", "发票内容",
        "商家备注", "商家备注等级（等级1-5为由高到低）", "运费金额", "付款确认时间", "增值税发票", "货号", "订单完成时间", "订单来源",
        "订单渠道"]


def jd() -> None:
    data = [  # order, status, name, address, phone, sku, qty, price
        ("11729384072", "等待出库", "王冬阳", "江西南昌市青山湖区民营科技园 8号", "\t13767111772", "WX1001", 1, "99.00"),
        ("11729384072", "等待出库", "王冬阳", "江西南昌市青山湖区民营科技园 8号", "\t13767111772", "NK01", 2, "59.00"),
        ("11729384073", "(删除)等待出库", "李娜", "北京北京市海淀区中关村大街 1号", "13800138000", "NK02", 1, "59.00"),
        ("11729384074", "(锁定)等待出库", "赵刚", "山东济南市历下区泉城路 5号", "13800138001", "BR01", 1, "59.00"),
        ("11729384075", "完成", "钱芳", "四川成都市武侯区人民南路 9号", "13800138002", "SK01", 1, "29.00"),
        ("11729384076", "等待出库", "孙强", "湖北武汉市洪山区珞喻路 3号", "1380013800", "NK01", 1, "59.00"),
        ("11729384077", "等待出库", "周洁", "北京市朝阳区", "13800138004", "WX1002", 1, "99.00"),
        ("11729384078", "等待出库", "吴迪", "河南郑州市金水区花园路 7号", "13800138005", "", 1, "59.00"),
    ]
    rows = [JD30]
    for oid, status, who, address, phone, sku, qty, price in data:
        r = dict.fromkeys(JD30, "")
        r.update({"订单号": oid, "商品ID": "1953814331", "商品名称": "内衣\r\n套装", "订购数量": str(qty), "支付方式": "在线支付",
                  "下单时间": "2026-10-10 09:19:56", "京东价": price, "订单金额": price, "结算金额": price, "余额支付": "0.00",
                  "应付金额": price, "订单状态": status, "订单类型": "销售订单", "下单帐号": "rds3199358", "客户姓名": who,
                  "客户地址": address, "联系电话": phone, "付款确认时间": "2026-10-10 09:20:30", "货号": sku,
                  "订单来源": "移动端订单", "订单渠道": "暂无来源", "运费金额": "0.00"})
        rows.append([r[h] for h in JD30])
    folder = OUT / "jd"
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "19453840.csv", rows, "gbk")
    planted = [["19453840", f"{col(JD30, '联系电话')}7", "phone-invalid"],
               ["19453840", f"{col(JD30, '客户地址')}8", "address-incomplete"],
               ["19453840", f"{col(JD30, '货号')}9", "required-missing"]]
    case("jd-orders", ["jd/19453840.csv"], ["jd-orders"], planted=planted,
         clean=[["19453840", n] for n in (2, 3, 4, 5, 6)], codes=["source-value-mapped"], exit_code=1)
    case("jd-picklist", ["jd/19453840.csv"], ["jd-orders"], command="picklist",
         categories={"picked": ["11729384072"], "not_picked": ["11729384073", "11729384074", "11729384075"]})


# --- 拼多多 -------------------------------------------------------------------------------
PDD = ["商品", "订单号", "订单状态", "商品总价（元）", "店铺优惠折扣(元)", "平台优惠折扣(元)", "邮费(元)", "上门安装费(元)",
       "送货入户费(元)", "送货入户并安装费(元)", "用户实付金额(元)", "商家实收金额（元）", "商品数量(件)", "身份证姓名", "身份证号码",
       "收货人", "手机", "是否异常", "省", "市", "区", "街道", "支付时间", "拼单成功时间", "订单确认时间", "承诺发货时间",
       "发货时间", "确认收货时间", "商品id", "商品规格", "用户购买手机号", "样式ID", "商家编码-SKU维度", "商家编码-商品维度",
       "快递单号", "快递公司", "海淘清关订单号", "支付ID", "支付方式", "是否抽奖或0元试用", "是否顺丰加价", "商家备注", "售后状态",
       "买家留言"]


def pdd() -> None:
    data = [  # order, status, aftersale, who, phone, province, city, district, street, sku
        ("261010-607198974342201", "待发货", "无售后或售后取消", "张伟", "13812345670", "浙江省", "杭州市", "西湖区", "文三路 100号", "WX1001"),
        ("261010-607198974342202", "已发货，待签收", "无售后或售后取消", "李娜", "13812345671", "江苏省", "苏州市", "姑苏区", "人民路 2号", "NK01"),
        ("261010-607198974342203", "未发货，退款成功", "退款成功", "王磊", "13812345672", "山东省", "青岛市", "市南区", "香港中路 3号", "NK02"),
        ("261010-607198974342204", "待发货", "商家同意退货退款，待买家发货", "赵静", "13812345673", "河南省", "郑州市", "金水区", "花园路 4号", "BR01"),
        ("261010-607198974342205", "待发货", "无售后或售后取消", "钱勇", "13812345674", "广州", "广州市", "天河区", "体育西路 5号", "SK01"),
        ("261010-607198974342206", "待发货", "无售后或售后取消", "孙芳", "1381234567", "湖南省", "长沙市", "岳麓区", "麓山南路 6号", "NK01"),
        ("261010-607198974342207", "待发货", "无售后或售后取消", "周杰", "138****5678", "福建省", "厦门市", "思明区", "中山路 7号", "WX1002"),
    ]
    rows = [PDD]
    for oid, status, after, who, phone, prov, city, district, street, sku in data:
        r = dict.fromkeys(PDD, "")
        r.update({"商品": "内衣套装", "订单号": oid, "订单状态": status, "商品总价（元）": "59.00", "店铺优惠折扣(元)": "0.00",
                  "平台优惠折扣(元)": "0.00", "邮费(元)": "0.00", "用户实付金额(元)": "59.00", "商家实收金额（元）": "59.00",
                  "商品数量(件)": "\t1", "收货人": who, "手机": phone, "是否异常": "否", "省": prov, "市": city, "区": district,
                  "街道": street, "支付时间": "\t2026-10-10 09:30:00", "拼单成功时间": "2026-10-10 09:30:05",
                  "承诺发货时间": "2026-10-12 09:30:00", "发货时间": "\t", "商品id": "3012345", "商品规格": "黑色,M",
                  "商家编码-SKU维度": sku, "商家编码-商品维度": sku, "支付方式": "微信", "售后状态": after})
        rows.append([r[h] for h in PDD])
    folder = OUT / "pdd"
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "订单明细-小蛮腰.csv", rows, "utf-8-sig")
    sheet = "订单明细-小蛮腰"
    planted = [[sheet, f"{col(PDD, '省')}6", "province-invalid"], [sheet, f"{col(PDD, '手机')}7", "phone-invalid"],
               [sheet, f"{col(PDD, '手机')}8", "phone-masked"]]
    case("pdd-orders", ["pdd/订单明细-小蛮腰.csv"], ["pdd-orders"], planted=planted,
         clean=[[sheet, n] for n in (2, 3, 4, 5)], exit_code=1)
    case("pdd-picklist", ["pdd/订单明细-小蛮腰.csv"], ["pdd-orders"], command="picklist",
         categories={"picked": ["261010-607198974342201"],
                     "not_picked": ["261010-607198974342203", "261010-607198974342204", "261010-607198974342202"]})


PDD2026 = ["订单成交时间", "商品", "订单号", "订单状态", "商品总价(元)", "邮费(元)", "店铺优惠折扣(元)", "平台优惠折扣(元)",
           "多多支付立减金额(元)", "用户实付金额(元)", "商家实收金额(元)", "商品数量(件)", "发货时间", "确认收货时间", "商品id",
           "商品规格", "样式ID", "商家编码-规格维度", "商家编码-商品维度", "商家备注", "售后状态", "快递单号", "快递公司"]


def pdd2026() -> None:
    rows = [PDD2026]
    data = [("261010-1001", "待发货", "无售后或售后取消", "WX1001"), ("261010-1002", "已发货，待签收", "无售后或售后取消", "NK01"),
            ("261010-1003", "待发货", "退款成功", "NK02"), ("261010-1004", "待发货", "无售后或售后取消", ""),
            ("261010-1005", "待发货", "无售后或售后取消", "SK01"), ("261010-1005", "待发货", "无售后或售后取消", "SK01")]
    for oid, status, after, sku in data:
        rows.append(["2026-10-10 09:30:00", "内衣", oid, status, "59.00", "0.00", "0.00", "0.00", "0.00", "59.00", "57.00", "1",
                     "", "", "3012345", "黑色,M", "1", sku, sku, "", after, "", ""])
    folder = OUT / "pdd"
    write_xlsx(folder / "订单明细-小蛮腰-2026.xlsx", {"订单明细": rows})
    planted = [["订单明细", f"{col(PDD2026, '商家编码-规格维度')}5", "required-missing"],
               ["订单明细", f"{col(PDD2026, '商家编码-规格维度')}7", "duplicate-order-line"]]
    case("pdd-orders-2026", ["pdd/订单明细-小蛮腰-2026.xlsx"], ["pdd-orders-2026"], planted=planted,
         clean=[["订单明细", n] for n in (2, 3, 4)], codes=["source-cannot-check"], exit_code=1)


# --- 抖店 ---------------------------------------------------------------------------------
DOUYIN = ["主订单编号", "子订单编号", "选购商品", "商品规格", "商品数量", "商品ID", "商家编码", "商品单价", "订单应付金额", "运费",
          "优惠总金额", "平台优惠", "商家优惠", "达人优惠", "商家改价", "支付优惠", "红包抵扣", "支付方式", "手续费", "收件人",
          "收件人手机号", "省", "市", "区", "街道", "详细地址", "是否修改过地址", "地址修改时段", "买家留言", "订单提交时间",
          "旗帜颜色", "商家备注", "订单完成时间", "支付完成时间", "APP渠道", "流量来源", "订单状态", "承诺发货时间", "订单类型",
          "鲁班落地页ID", "达人ID", "达人昵称", "所属门店ID", "售后状态", "取消原因", "预约发货时间", "仓库ID", "仓库名称", "序列号",
          "是否安心购", "广告渠道", "流量类型", "流量体裁", "流量渠道", "发货主体", "发货主体明细", "发货时间", "降价类优惠",
          "平台实际承担优惠金额", "商家实际承担优惠金额", "达人实际承担优惠金额", "预计送达时间", "是否平台仓自流转", "车型",
          "商品69码", "发货SN码", "发货IMEI码1", "发货IMEI码2", "预约送达时间", "建议发货时间（起）", "建议发货时间（止）", "物流SN码",
          "物流IMEI码1", "物流IMEI码2"]


def douyin() -> None:
    data = [  # main, sub, sku, qty, price, pay, phone, status, aftersale
        ("4876001", "4876001-1", "WX1001", "1", "1,299.00", "1,299.00", "13812345678", "待发货", "-"),
        ("4876001", "4876001-2", "NK01", "2", "59.00", "118.00", "13812345678", "待发货", "-"),
        ("4876002", "4876002-1", "NK02", "1", "59.00", "59.00", "13912345678", "已发货", "-"),
        ("4876003", "4876003-1", "BR01", "1", "59.00", "59.00", "1391234567", "待发货", "-"),
        ("4876004", "4876004-1", "SK01", "1", "29.00", "29.00", "13712345678", "待发货", "售后处理中"),
        ("4876005", "4876005-1", "", "1", "29.00", "29.00", "13612345678", "待发货", "-"),
    ]
    rows = [DOUYIN]
    for main, sub, sku, qty, price, pay, phone, status, after in data:
        r = dict.fromkeys(DOUYIN, "")
        r.update({"主订单编号": f"\t{main}", "子订单编号": f"\t{sub}", "选购商品": "无钢圈文胸", "商品规格": "颜色:黑色;尺码:M",
                  "商品数量": qty, "商品ID": "\t3600123", "商家编码": sku, "商品单价": price, "订单应付金额": pay, "运费": "0.00",
                  "优惠总金额": "0.00", "支付方式": "抖音支付", "收件人": "张三", "收件人手机号": phone, "省": "浙江省", "市": "杭州市",
                  "区": "西湖区", "街道": "文新街道", "详细地址": "文三路 100号", "订单提交时间": "2026-10-10 09:00:00",
                  "旗帜颜色": "灰", "支付完成时间": "2026-10-10 09:01:00", "APP渠道": "抖音", "流量来源": "自然流量",
                  "订单状态": status, "订单类型": "普通订单", "售后状态": after})
        rows.append([r[h] for h in DOUYIN])
    folder = OUT / "douyin"
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "抖店订单导出-20261010.csv", rows, "utf-8-sig")
    sheet = "抖店订单导出-20261010"
    planted = [[sheet, f"{col(DOUYIN, '收件人手机号')}5", "phone-invalid"],
               [sheet, f"{col(DOUYIN, '商家编码')}7", "required-missing"]]
    case("douyin-orders", ["douyin/抖店订单导出-20261010.csv"], ["douyin-orders"], planted=planted,
         clean=[[sheet, n] for n in (2, 3, 4, 6)], exit_code=1)
    case("douyin-picklist", ["douyin/抖店订单导出-20261010.csv"], ["douyin-orders"], command="picklist",
         categories={"picked": ["4876001"], "not_picked": ["4876004", "4876002"]})


DOUYIN_AFTER = ["售后单号", "订单号", "商品单号", "商品名称", "商品ID", "应付金额（元）", "商品运费（元）", "支付优惠（元）",
                "商品税费（元）", "商品发货状态", "售后类型", "退商品金额（元）", "退运费金额（元）", "退支付优惠（元）", "退税费金额（元）",
                "售后状态", "售后申请时间", "退款方式", "是否已上传退款凭证", "售后原因", "售后原因标签", "退货物流单号", "退货异常",
                "退货发货时间", "退货物流公司", "自动处理截止时间", "同意售后申请时间", "商家退款时间", "用户到账时间", "售后关闭时间",
                "商家退货地址", "商家退货联系人姓名", "商家退货联系人电话", "仲裁状态", "纠纷责任方", "是否极速退款", "是否拒签后退款",
                "发货物流单号", "发货物流状态", "换货物流单号", "退货物流状态", "售后完结时间", "订单备注", "用户售后说明", "售后备注",
                "操作人", "协商记录", "换货商品信息", "商家编码", "门店名称"]


def douyin_aftersale() -> None:
    data = [("A1", "4876002", "仅退款", "同意退款，退款成功", "不想要了", "", "NK02"),
            ("A2", "4876001", "退货退款", "售后处理中", "尺码不合适", "YT9876543210987", "WX1001"),
            ("A3", "4876003", "退货退款", "售后处理中", "", "YT9876543210988", "BR01"),
            ("A4", "4876004", "补寄", "售后处理中", "少件", "", "SK01")]
    rows = [DOUYIN_AFTER]
    for no, oid, kind, status, reason, waybill, sku in data:
        r = dict.fromkeys(DOUYIN_AFTER, "")
        r.update({"售后单号": no, "订单号": oid, "商品单号": f"{oid}-1", "商品名称": "内衣", "应付金额（元）": "59.00",
                  "商品发货状态": "已发货", "售后类型": kind, "退商品金额（元）": "59.00", "售后状态": status,
                  "售后申请时间": "2026-10-09 12:00:00", "售后原因": reason, "退货物流单号": waybill,
                  "退货物流公司": "圆通" if waybill else "", "商家编码": sku, "操作人": "小张"})
        rows.append([r[h] for h in DOUYIN_AFTER])
    write_xlsx(OUT / "douyin" / "售后单导出.xlsx", {"售后列表": rows})
    planted = [["售后列表", f"{col(DOUYIN_AFTER, '售后原因')}4", "reason-required"],
               ["售后列表", f"{col(DOUYIN_AFTER, '售后类型')}5", "value-not-allowed"]]
    case("douyin-aftersale", ["douyin/售后单导出.xlsx"], ["douyin-aftersale"], planted=planted,
         clean=[["售后列表", 2], ["售后列表", 3]], exit_code=1)


# --- 快手 ---------------------------------------------------------------------------------
KUAISHOU = ["订单号", "赠品订单号", "活动订单编号", "订单创建时间", "订单支付时间", "预售定金支付时间", "订单状态", "实付款", "快递费",
            "店铺优惠", "平台补贴", "主播补贴", "混资活动优惠", "支付优惠", "支付方式", "成交数量", "买家留言", "账号类型", "账号明细",
            "订单备注", "旗帜颜色", "售后状态", "活动订单", "预售/承诺发货时间", "订单载体", "商品名称", "商品ID", "商品规格", "SKU编码",
            "商品单价", "渠道", "CPS达人ID", "CPS达人昵称", "预估推广佣金", "预估推广者分佣比例", "团长ID", "团长昵称", "快赚客ID",
            "快赚客昵称", "授权推广者ID", "授权推广者昵称", "收货人姓名", "收货人电话", "收货地址-省", "收货地址-市", "收货地址-区",
            "收货地址-街道", "收货地址", "发货时间", "快递公司", "快递单号", "物流信息", "集运类型", "直邮类型", "仓库名称", "仓库地址",
            "实名姓名", "服务门店ID", "服务门店名称", "服务门店地址", "国补/类国补/消费券"]


def kuaishou() -> None:
    data = [("2610100001", "待发货", "13812345678", "浙江省", "WX1001"), ("2610100002", "已发货", "13912345678", "江苏省", "NK01"),
            ("2610100003", "交易成功", "13712345678", "上海市", "NK02"), ("2610100004", "待发货", "1371234567", "浙江省", "BR01"),
            ("2610100005", "待发货", "13612345678", "广州市", "SK01")]
    rows = [["快手小店 订单导出"], ["导出时间: 2026-10-10 18:00:00"], KUAISHOU]
    for oid, status, phone, prov, sku in data:
        r = dict.fromkeys(KUAISHOU, "")
        r.update({"订单号": oid, "订单创建时间": "2026-10-10 09:00:00", "订单支付时间": "2026-10-10 09:01:00", "订单状态": status,
                  "实付款": "59.00", "快递费": "0.00", "支付方式": "微信支付", "成交数量": "1", "售后状态": "", "商品名称": "内衣",
                  "商品规格": "黑色 M", "SKU编码": sku, "商品单价": "59.00", "收货人姓名": "张三", "收货人电话": phone,
                  "收货地址-省": prov, "收货地址-市": "杭州市", "收货地址-区": "西湖区", "收货地址-街道": "文新街道",
                  "收货地址": "文三路 100号"})
        rows.append([r[h] for h in KUAISHOU])
    folder = OUT / "kuaishou"
    folder.mkdir(parents=True, exist_ok=True)
    write_xlsx(folder / "快手订单.xlsx", {"订单列表": rows})
    planted = [["订单列表", f"{col(KUAISHOU, '收货人电话')}7", "phone-invalid"],
               ["订单列表", f"{col(KUAISHOU, '收货地址-省')}8", "province-invalid"]]
    case("kuaishou-orders", ["kuaishou/快手订单.xlsx"], ["kuaishou-orders"], planted=planted,
         clean=[["订单列表", n] for n in (4, 5, 6)], exit_code=1)


# --- 聚水潭 -------------------------------------------------------------------------------
JST_DAIFA = ["内部订单号", "线上订单号", "店铺名称", "店铺简称", "店铺分组", "商品编码", "店铺主账号", "订单类型", "平台站点", "付款日期",
             "收货人", "省份", "城市", "区县", "地址(包含省市区)", "手机", "买家留言", "订单备注", "供应商", "标准商品名", "供应商款号",
             "供应商商品编码", "颜色及规格", "快递公司", "快递单号", "数量", "商品裸价", "成本价"]


def jst() -> None:
    rows = [["名称：代发订单"], JST_DAIFA]
    data = [("J1", "3912650099001", "WX1001", "13812345678", "浙江省杭州市西湖区文三路100号"),
            ("J2", "3912650099002", "NK01", "13912345678", "江苏省南京市鼓楼区中山路8号"),
            ("J2", "3912650099002", "NK01", "13912345678", "江苏省南京市鼓楼区中山路8号"),
            ("J3", "3912650099003", "NK02", "1371234567", "上海市浦东新区世纪大道1号"),
            ("J4", "3912650099004", "BR01", "13612345678", "广东省深圳市")]
    for inner, online, sku, phone, address in data:
        prov = address[:3]
        rows.append([inner, online, "小蛮腰淘宝店", "小蛮腰", "淘宝", sku, "xmy", "普通订单", "淘宝", "2026-10-10 09:00:00", "张三",
                     prov, "", "", address, phone, "", "", "供应商甲", "内衣", "K1", "G1", "黑色;M", "中通快递", "", "1", "30.00",
                     "25.00"])
    folder = OUT / "jst"
    folder.mkdir(parents=True, exist_ok=True)
    write_xlsx(folder / "8.15代发.xlsx", {"原始数据": rows})
    planted = [["原始数据", f"{col(JST_DAIFA, '手机')}6", "phone-invalid"],
               ["原始数据", f"{col(JST_DAIFA, '地址(包含省市区)')}7", "address-incomplete"]]
    case("jst-orders", ["jst/8.15代发.xlsx"], ["jst-orders"], planted=planted,
         clean=[["原始数据", n] for n in (3, 4, 5)], absent=["duplicate-order-line"], exit_code=1)


JST_COST = ["内部订单号", "线上订单号", "店铺名称", "下单时间", "应付金额", "已付金额", "状态", "快递单号", "订单类型", "旗帜", "平台站点",
            "子订单编号", "线上子订单编号", "原始线上订单号", "商品编码", "商品名称", "数量", "商品单价", "商品金额", "原价", "买家实付",
            "收入运费", "支出运费", "成本价"]


def jst_cost() -> None:
    rows = [["名称：聚水潭成本"], JST_COST]
    data = [("C1", "4100001", "已发货", "WX1001", "1"), ("C2", "4100002", "已发货", "NK01", "2"), ("C3", "4100003", "已取消", "NK02", "1"),
            ("C4", "4100004", "已发货", "", "1"), ("C5", "4100005", "已发货", "SK01", "-1")]
    for inner, online, status, sku, qty in data:
        rows.append([inner, online, "小蛮腰", "2026-10-09 10:00:00", "59.00", "59.00", status, "", "普通订单", "", "淘宝",
                     f"{inner}-1", f"{online}-1", online, sku, "内衣", qty, "59.00", "59.00", "69.00", "59.00", "0", "3.00",
                     "25.00"])
    write_xlsx(OUT / "jst" / "聚水潭成本-小蛮腰.xlsx", {"Sheet1": rows})
    planted = [["Sheet1", f"{col(JST_COST, '商品编码')}6", "required-missing"],
               ["Sheet1", f"{col(JST_COST, '数量')}7", "negative-value"]]
    case("jst-cost", ["jst/聚水潭成本-小蛮腰.xlsx"], ["jst-cost"], planted=planted,
         clean=[["Sheet1", n] for n in (3, 5)], codes=["source-cannot-check"], exit_code=1)


JST_AFTER = ["售后单号", "内部订单号", "店铺名称", "线上订单号", "状态", "线上状态", "货物状态", "商品编码", "线上子订单编号", "申请数量"]


def jst_aftersale() -> None:
    rows = [JST_AFTER, ["S1", "J1", "小蛮腰", "3912650099001", "已确认", "退款成功", "卖家已收到退货", "WX1001", "x-1", "1"],
            ["S2", "J2", "小蛮腰", "3912650099002", "待确认", "买家已经申请退款", "买家未收到货", "NK01", "x-2", "1"],
            ["S3", "J3", "小蛮腰", "", "待确认", "买家已经申请退款", "买家未收到货", "NK02", "x-3", "1"]]
    write_xlsx(OUT / "jst" / "聚水潭售后单.xlsx", {"售后": rows})
    case("jst-aftersale", ["jst/聚水潭售后单.xlsx"], ["jst-aftersale"],
         planted=[["售后", f"{col(JST_AFTER, '线上订单号')}4", "required-missing"]],
         clean=[["售后", 2], ["售后", 3]], codes=["source-cannot-check"], exit_code=1)


# --- 旺店通 -------------------------------------------------------------------------------
WDT = ["订单编号", "店铺", "商家编码", "货品名称", "品牌", "分类", "客户网名", "收件人", "下单时间", "订单类型", "订单支付金额", "订单总优惠",
       "邮费", "邮资成本", "订单包装成本", "订单毛利", "毛利率", "货品数量", "货品成交价", "货品成交总价", "货品成本", "货品总成本", "仓库"]


def wdt() -> None:
    rows = [WDT]
    data = [("W1", "WX1001", "1", "99.00"), ("W2", "NK01", "2", "59.00"), ("W3", "NK02", "1", "59.00"), ("W4", "", "1", "59.00"),
            ("W5", "SK01", "0", "29.00")]
    for oid, sku, qty, price in data:
        total = f"{float(qty) * float(price):.2f}"
        rows.append([f"2026100{oid}", "小蛮腰天猫店", sku, "内衣", "小蛮腰", "文胸", "tb_x", "张三", "2026-10-09 10:00:00",
                     "网店销售", total, "0.00", "0.00", "无权限", "无权限", "无权限", "无权限", qty, price, total, "无权限", "无权限",
                     "主仓"])
    rows.append(["合计:", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "5", "", "", "", "", ""])
    folder = OUT / "wdt"
    folder.mkdir(parents=True, exist_ok=True)
    write_xlsx(folder / "销售出库明细.xlsx", {"销售出库明细": rows})
    planted = [["销售出库明细", f"{col(WDT, '商家编码')}5", "required-missing"],
               ["销售出库明细", f"{col(WDT, '货品数量')}6", "not-positive"]]
    case("wdt-sales", ["wdt/销售出库明细.xlsx"], ["wdt-sales-outbound"], planted=planted,
         clean=[["销售出库明细", n] for n in (2, 3, 4)], codes=["source-cannot-check"],
         absent=["payment-chase"], exit_code=1)


WDT_WMS = ["货主", "收件人", "物流公司", "物流单号", "收件人地址", "实际重量", "发货时间", "原始单号", "店铺", "货品名称", "货品总数量",
           "货品数量", "物流编号", "省", "省市区"]


def wdt_wms() -> None:
    rows = [WDT_WMS]
    data = [("顺丰热敏(线下)", "SF1400000000001", "0.52"), ("韵达快递(拼多多)", "4312000000001", "0.31"),
            ("中通快递(菜鸟)", "7812000000001", "1.20"), ("顺丰热敏", "SF14000001", "0.40"),
            ("中通快递(菜鸟)", "7812000000001", "0.80"), ("百世快递(菜鸟)", "5512000000001", "0.00")]
    for i, (courier, waybill, kg) in enumerate(data, 1):
        rows.append(["小蛮腰", "张三", courier, waybill, "浙江省 杭州市 西湖区 文三路 100号", kg, "2026-10-09 15:00:00", f"39126500{i:05d}",
                     "小蛮腰淘宝店", "内衣", "1", "1", f"L{i}", "浙江省", "浙江省杭州市西湖区"])
    write_xlsx(OUT / "wdt" / "WMS销售出库单.xlsx", {"出库单": rows})
    planted = [["出库单", f"{col(WDT_WMS, '物流单号')}5", "waybill-pattern"],
               ["出库单", f"{col(WDT_WMS, '物流单号')}6", "duplicate-waybill"],
               ["出库单", f"{col(WDT_WMS, '实际重量')}7", "weight-implausible"]]
    case("wdt-wms", ["wdt/WMS销售出库单.xlsx"], ["wdt-wms-outbound"], planted=planted,
         clean=[["出库单", n] for n in (2, 3, 4)], exit_code=1)


# --- courier bills ------------------------------------------------------------------------
SF = ["运单号码", "寄件时间", "原寄地", "目的地", "产品类型", "计费重量", "实际重量", "运费", "增值费用", "折扣", "应付金额", "付款方式"]


def bill_sf() -> None:
    rows = [SF]

    def line(waybill, kg, service="", payable=None, list_price=None):
        payable = fee("顺丰", kg) if payable is None else payable
        rows.append([waybill, "2026-10-05 14:00:00", "浙江省", "浙江省", "顺丰标快", str(kg), str(kg),
                     f"{(list_price or payable / 0.8):.2f}", service, "0.8", f"{payable:.2f}", "月结"])
    ship("顺丰", "SF1400000000011", 0.5)
    line("SF1400000000011", 1.0)
    ship("顺丰", "SF1400000000012", 0.8)
    line("SF1400000000012", 1.0)
    line("SF1400000000012", 1.0, service="保价", payable=2.0)
    ship("顺丰", "SF1400000000013", 1.5)
    line("SF1400000000013", 2.0)
    line("SF1400000000013", 2.0)
    line("SF1400000000014", 1.0)
    ship("顺丰", "SF1400000000015", 0.9)
    line("SF1400000000015", 3.0)
    total = sum(float(r[10]) for r in rows[1:])
    rows.append(["合计", "", "", "", "", "", "", "", "", "", f"{total:.2f}", ""])
    folder = OUT / "bills"
    folder.mkdir(parents=True, exist_ok=True)
    write_xlsx(folder / "顺丰账单-202610.xlsx", {"Sheet0": rows})
    case("bill-sf", ["bills/顺丰账单-202610.xlsx"], ["bill-sf"], command="reconcile",
         categories={"SF1400000000011": "match", "SF1400000000012": "match", "SF1400000000013": ["match", "duplicate"],
                     "SF1400000000014": "not-shipped", "SF1400000000015": "overweight"},
         codes=["source-recognised", "bill-extra-services"], absent=["bill-total-mismatch"])


YTO13 = ["运单号码", "账单结算对象编码", "物料结算名称", "账单结算对象名称", "分表格", "计费重量（kg）", "体积参数", "计费省份",
         "计费目的地名称", "扫描时间", "新西费用", "3KG以上费用", "上海加收费用"]


def bill_yto_network() -> None:
    rows = [YTO13]
    for i, (kg, parts) in enumerate(((1.0, (4, 0, 0)), (2.4, (4, 4, 0)), (0.6, (3, 0, 2))), 1):
        waybill = f"YT80000000000{i}"
        if i < 3:
            ship("圆通", waybill, kg)
        rows.append([waybill, "C001", "电子面单", "义乌网点", "1", str(kg), "0", "浙江", "杭州", "2026-10-05 18:00:00",
                     *[f"{p:.2f}" for p in parts]])
    write_xlsx(OUT / "bills" / "圆通网点账单.xlsx", {"Sheet1": rows})
    case("bill-yto-network", ["bills/圆通网点账单.xlsx"], ["bill-yto-network"], command="reconcile",
         categories={"YT800000000001": "match", "YT800000000002": "match", "YT800000000003": "not-shipped"})


YTO = ["运单号", "扫描时间", "计费重量", "总金额", "预付", "应付", "计费省份", "目的地", "快递公司", "物料类型"]


def bill_yto() -> None:
    rows = [YTO]
    for i, (kg, total) in enumerate(((1.0, 4.0), (1.8, 6.0), (0.9, 9.0)), 1):
        waybill = f"YT81000000000{i}"
        ship("圆通", waybill, kg)
        rows.append([waybill, "2026-10-06 18:00:00", str(kg), f"{total:.2f}", "-0.50", f"{total - 0.5:.2f}", "浙江", "杭州",
                     "义乌网点", "电子面单"])
    write_xlsx(OUT / "bills" / "圆通月结账单.xlsx", {"账单": rows})
    case("bill-yto", ["bills/圆通月结账单.xlsx"], ["bill-yto"], command="reconcile",
         categories={"YT810000000001": "match", "YT810000000002": "match", "YT810000000003": "fee-mismatch"})


def bill_sto() -> None:
    rows = [["业务时间", "运单号", "订单目的省份", "订单目的城市", "结算重量", "费用"]]
    for i, (kg, known) in enumerate(((1.0, True), (1.2, True), (0.5, False)), 1):
        waybill = f"77300000000{i}"
        if known:
            ship("申通", waybill, kg)
        rows.append(["2026-10-07 10:00:00", waybill, "浙江省", "杭州市", str(kg), f"{fee('申通', kg):.2f}"])
    write_xlsx(OUT / "bills" / "申通账单.xlsx", {"Sheet1": rows})
    case("bill-sto", ["bills/申通账单.xlsx"], ["bill-sto"], command="reconcile",
         categories={"773000000001": "match", "773000000002": "match", "773000000003": "not-shipped"})


def bill_zto() -> None:
    rows = [["扫描时间", "运单号", "目的地", "目的地市", "结算重量", "费用"]]
    for i, (kg, shop) in enumerate(((1.0, 0.9), (1.5, 1.4), (3.0, 1.0)), 1):
        waybill = f"78300000000{i}"
        ship("中通", waybill, shop)
        rows.append(["2026-10-07 10:00:00", waybill, "浙江省", "杭州市", str(kg), f"{fee('中通', kg):.2f}"])
    total = sum(float(r[5]) for r in rows[1:])
    rows += [["件量", "3"], ["优惠", "-1.00"], ["剩余应收", f"{total - 1:.2f}"]]
    write_xlsx(OUT / "bills" / "中通账单.xlsx", {"Sheet1": rows})
    case("bill-zto", ["bills/中通账单.xlsx"], ["bill-zto"], command="reconcile",
         categories={"783000000001": "match", "783000000002": "match", "783000000003": "overweight"},
         codes=["bill-footer-rows"], absent=["bill-summary-mismatch", "bill-count-mismatch"])


def bill_zto_freight() -> None:
    rows = [["运单号", "结算重量", "应收", "上楼费"]]
    for i, (kg, upstairs) in enumerate(((1.0, "5.00"), (2.0, "")), 1):
        waybill = f"79300000000{i}"
        ship("中通", waybill, kg)
        rows.append([waybill, str(kg), f"{fee('中通', kg):.2f}", upstairs])
    write_xlsx(OUT / "bills" / "中通快运账单.xlsx", {"Sheet1": rows})
    case("bill-zto-freight", ["bills/中通快运账单.xlsx"], ["bill-zto-freight"], command="reconcile",
         categories={"793000000001": "match", "793000000002": "match"}, bill_total="15.00")


def bill_yunda() -> None:
    body = []
    for i, (kg, billed) in enumerate(((1.0, None), (2.0, None), (1.0, 9.0)), 1):
        waybill = f"43100000000{i:02d}"
        ship("韵达", waybill, kg)
        body.append([waybill, "2026-10-08 09:00:00", "浙江", str(kg), f"{billed or fee('韵达', kg):.2f}"])
    total = sum(float(r[4]) for r in body)
    rows = [[f"合计{total + 10:.2f}元"], ["单号", "揽收时间", "目的省份", "结算重量", "结算费用"], *body]
    write_xlsx(OUT / "bills" / "韵达账单-2026年10月.xlsx", {"Sheet1": rows})
    case("bill-yunda", ["bills/韵达账单-2026年10月.xlsx"], ["bill-yunda"], command="reconcile",
         categories={"4310000000001": "match", "4310000000002": "match", "4310000000003": "fee-mismatch"},
         codes=["bill-summary-mismatch"])


BEST = ["运单编号", "总部计费重量", "总部收中转费", "总部收有偿派费", "总部收计重费", "总部收扫描费", "总部收寄件派费"]


def bill_best() -> None:
    rows = [BEST]
    for i, (kg, parts) in enumerate(((1.0, (1.5, 1.0, 1.0, 0.3, 0.2)), (1.6, (2.0, 2.0, 1.5, 0.3, 0.2))), 1):
        waybill = f"55100000000{i:02d}"
        ship("百世", waybill, kg)
        rows.append([waybill, str(kg), *[f"{p:.2f}" for p in parts]])
    rows.append([f"5510000000099", "1.0", "1.50", "1.00", "1.00", "0.30", "0.20"])
    write_xlsx(OUT / "bills" / "百世账单.xlsx", {"Sheet": rows})
    case("bill-best", ["bills/百世账单.xlsx"], ["bill-best"], command="reconcile",
         categories={"5510000000001": "match", "5510000000002": "match", "5510000000099": "not-shipped"})


def bill_jt() -> None:
    rows = [["运单号", "寄件日期", "目的省份", "计费重量", "金额"]]
    for i, (kg, known) in enumerate(((1.0, True), (1.3, True), (0.8, False)), 1):
        waybill = f"JT00000000000{i}"
        if known:
            ship("极兔", waybill, kg)
        rows.append([waybill, "2026-10-08", "浙江", str(kg), f"{fee('极兔', kg):.2f}"])
    write_xlsx(OUT / "bills" / "极兔账单.xlsx", {"Sheet1": rows})
    case("bill-jt", ["bills/极兔账单.xlsx"], ["bill-jt"], command="reconcile",
         categories={"JT000000000001": "match", "JT000000000002": "match", "JT000000000003": "not-shipped"})


def bill_ems() -> None:
    rows = [["中国邮政 2026年10月 月结账单"], ["邮件号", "收寄日期", "目的省份", "计费重量(g)", "费用"]]
    for i, (grams, shop) in enumerate(((800, 0.8), (1500, 1.5), (3000, 1.0)), 1):
        waybill = f"11800000000{i:02d}"
        ship("邮政", waybill, shop)
        rows.append([waybill, f"10-0{i}", "浙江", str(grams), f"{fee('邮政', grams / 1000):.2f}"])
    write_xlsx(OUT / "bills" / "邮政EMS账单.xlsx", {"Sheet1": rows})
    case("bill-ems", ["bills/邮政EMS账单.xlsx"], ["bill-ems"], command="reconcile",
         categories={"1180000000001": "match", "1180000000002": "match", "1180000000003": "overweight"},
         codes=["bill-weight-grams", "bill-date-year-added"])


def bill_folder() -> None:
    """All the bills in one folder, plus a file that is no bill: it is named, never skipped silently."""
    write_xlsx(OUT / "bills" / "说明.xlsx", {"说明": [["项目", "内容"], ["对账周期", "2026-10"], ["联系人", "小王"]]})
    case("bill-folder", ["bills"], [], command="reconcile", codes=["bill-file-skipped"], exit_code=1)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    stock_book()
    rules_book()
    for make in (taobao, taobao_refunds, qianniu, tmall, jd, pdd, pdd2026, douyin, douyin_aftersale, kuaishou, jst, jst_cost,
                 jst_aftersale, wdt, wdt_wms, bill_sf, bill_yto_network, bill_yto, bill_sto, bill_zto, bill_zto_freight,
                 bill_yunda, bill_best, bill_jt, bill_ems, bill_folder):
        make()
    write_xlsx(OUT / "发货登记.xlsx", {"发货": REGISTER})
    manifest = {"as_of": AS_OF, "stock": "库存.xlsx", "register": "发货登记.xlsx", "rules": "规则.xlsx", "cases": CASES}
    (OUT / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(CASES)} cases to {OUT}")


if __name__ == "__main__":
    main()
