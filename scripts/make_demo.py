"""Write the demo month: shopbook/data/demo/台账.xlsx, 规则.xlsx, 仓库.xlsx and 上月/台账.xlsx.

    python scripts/make_demo.py            # into shopbook/data/demo/
    python scripts/make_demo.py --out DIR  # somewhere else (the tests use a tmp dir)

A small Taobao lingerie/clothing shop (丝施内衣, shipping from 义乌, 浙江) in October 2026:
~350 orders / ~500 order lines, 5 客服 on shifts (排班), promotion days 10-01..10-03 and
10-20, ~105 stock rows, couriers 中通/圆通/韵达/极兔/顺丰, a shipping register for the
shipped orders, ~30 returns. The demo "now" is 2026-10-31 18:00 (shopbook.demo.DEMO_AS_OF):
the afternoon's paid orders are not shipped yet, so the pick list has work, and a few of
them are short of stock.

About 3–5 % of the rows carry the mistakes a real team makes; `PLANTED` lists them with
the finding code each must produce (tests/test_demo_data.py checks every one is found).
上月/台账.xlsx is September 2026, lighter (~200 orders) and nearly clean, for the monthly
workbook's previous-month comparison.

Everything comes from one seeded random.Random, so a rerun writes the same cells (and,
with XlsxWriter's fixed zip times, the same bytes). The sheets are written with the
template writer of scripts/make_workbooks.py, so they carry the templates' formats.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_workbooks as mw  # noqa: E402
from shopbook.rules.prices import fee_for_weight, parse_price_table  # noqa: E402
from shopbook.demo import DEMO_AS_OF  # noqa: E402
from shopbook.core.places import canonical_province  # noqa: E402
from shopbook.rules import DEFAULT_RULES  # noqa: E402

DEMO = ROOT / "shopbook" / "data" / "demo"
SEED = 20261031
AS_OF = DEMO_AS_OF  # the demo's "now": 2026-10-31 18:00
AGENTS = ("小美", "小丽", "阿芳", "小雪", "小娟")
PACKERS = ("老周", "小刘", "阿强")
PROMOTION_DAYS = ((dt.date(2026, 10, 1), "国庆大促"), (dt.date(2026, 10, 2), "国庆大促"),
                  (dt.date(2026, 10, 3), "国庆大促"), (dt.date(2026, 10, 20), "双11预售首日"))

# (商品编码, 名称, 单价, 成本价, 类别, 颜色, 尺码, 重量 kg, 库区)
PRODUCTS = (
    ("WX1001", "无钢圈聚拢文胸", "89.00", "32.00", "文胸", ("肤色", "黑色", "酒红"), ("75B", "80B", "85B"), 0.15, "A"),
    ("WX1002", "蕾丝薄款文胸", "99.00", "36.00", "文胸", ("白色", "黑色"), ("70A", "75B", "80B", "85C"), 0.15, "A"),
    ("WX1003", "无痕运动文胸", "79.00", "28.00", "文胸", ("灰色", "黑色", "藕粉"), ("M", "L", "XL"), 0.18, "A"),
    ("NK2001", "纯棉中腰内裤3条装", "39.00", "12.00", "内裤", ("肤色", "混色"), ("M", "L", "XL", "XXL"), 0.12, "B"),
    ("NK2002", "冰丝无痕内裤", "29.00", "9.00", "内裤", ("黑色", "肤色", "粉色"), ("M", "L", "XL"), 0.08, "B"),
    ("WZ6001", "精梳棉袜5双装", "25.00", "8.00", "袜子", ("混色",), ("均码",), 0.2, "B"),
    ("SY3001", "纯棉长袖睡衣套装", "139.00", "52.00", "睡衣", ("粉格", "蓝格"), ("M", "L", "XL"), 0.5, "C"),
    ("SY3002", "真丝吊带睡裙", "169.00", "65.00", "睡衣", ("香槟", "黑色"), ("S", "M", "L"), 0.2, "C"),
    ("JJ8001", "珊瑚绒家居服", "119.00", "45.00", "家居服", ("灰色", "粉色"), ("M", "L", "XL"), 0.8, "C"),
    ("BN4001", "德绒保暖内衣套装", "129.00", "48.00", "保暖内衣", ("黑色", "肤色", "酒红"), ("M", "L", "XL", "XXL"), 0.6, "D"),
    ("BN4002", "男士加厚保暖套装", "149.00", "56.00", "保暖内衣", ("黑色", "藏青"), ("L", "XL", "XXL"), 0.75, "D"),
    ("DD5001", "莫代尔打底衫", "59.00", "20.00", "打底衫", ("白色", "黑色", "肤色"), ("S", "M", "L", "XL"), 0.25, "D"),
    ("SD5002", "吊带背心", "35.00", "11.00", "背心", ("白色", "黑色"), ("M", "L"), 0.1, "D"),
    ("SS7001", "高腰收腹塑身裤", "69.00", "24.00", "塑身衣", ("黑色", "肤色"), ("M", "L", "XL", "XXL"), 0.2, "D"),
    ("ZP9001", "收纳袋(赠品)", "0.00", "1.50", "赠品", (), (), 0.05, "E"),
)
GIFT = "ZP9001"

# (省, 市, 区…) weighted towards the shop's usual buyers
PLACES = (
    ("浙江省", "杭州市", ("西湖区", "余杭区", "萧山区")), ("浙江省", "宁波市", ("鄞州区", "海曙区")),
    ("浙江省", "金华市", ("义乌市", "婺城区")), ("江苏省", "苏州市", ("吴中区", "姑苏区", "昆山市")),
    ("江苏省", "南京市", ("江宁区", "鼓楼区")), ("上海市", "上海市", ("浦东新区", "闵行区", "徐汇区")),
    ("广东省", "广州市", ("天河区", "白云区", "番禺区")), ("广东省", "深圳市", ("南山区", "宝安区", "龙岗区")),
    ("广东省", "东莞市", ("南城街道",)), ("北京市", "北京市", ("朝阳区", "海淀区", "丰台区")),
    ("山东省", "青岛市", ("市南区", "黄岛区")), ("山东省", "济南市", ("历下区",)), ("福建省", "厦门市", ("思明区",)),
    ("安徽省", "合肥市", ("蜀山区", "包河区")), ("湖北省", "武汉市", ("洪山区", "江汉区")), ("湖南省", "长沙市", ("岳麓区",)),
    ("河南省", "郑州市", ("金水区", "二七区")), ("河北省", "石家庄市", ("长安区",)), ("江西省", "南昌市", ("红谷滩区",)),
    ("四川省", "成都市", ("武侯区", "锦江区", "双流区")), ("重庆市", "重庆市", ("渝北区", "江北区")),
    ("陕西省", "西安市", ("雁塔区", "未央区")), ("辽宁省", "沈阳市", ("和平区",)), ("黑龙江省", "哈尔滨市", ("南岗区",)),
    ("云南省", "昆明市", ("五华区",)), ("广西壮族自治区", "南宁市", ("青秀区",)), ("天津市", "天津市", ("南开区",)),
    ("贵州省", "贵阳市", ("观山湖区",)), ("甘肃省", "兰州市", ("城关区",)), ("内蒙古自治区", "呼和浩特市", ("赛罕区",)),
    ("新疆维吾尔自治区", "乌鲁木齐市", ("天山区",)), ("海南省", "海口市", ("龙华区",)),
)
PLACE_WEIGHTS = (8, 4, 4, 6, 3, 7, 6, 6, 2, 5, 3, 2, 2, 3, 3, 2, 3, 2, 2, 4, 2, 2, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1)
STREETS = ("人民路", "建设路", "解放路", "中山路", "文一西路", "学院路", "长江路", "新华街", "和平里", "滨江大道",
           "光明路", "东风路", "体育路", "幸福小区", "阳光花园", "翠苑", "丽景湾", "金色家园")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈任姚卢"
GIVEN = "静丽敏燕艳娟霞芳娜秀英华慧巧美婷雪琳晶颖玲洁莉萍红梅兰倩璐佳欣怡婉琪悦瑶涛伟强磊军洋勇杰浩"
NICK_A = ("爱吃", "晴天", "小小", "甜甜", "安静的", "快乐", "阳光", "喵喵", "月亮", "糖果", "夏天的", "淡定")
NICK_B = ("猫咪", "小猪", "鱼", "兔子", "豆豆", "果果", "星星", "贝贝", "小熊", "柠檬", "丸子", "布丁")
COURIERS = (("中通", 44), ("圆通", 20), ("韵达", 16), ("极兔", 12), ("顺丰", 8))
RED_REQUESTS = ("要黑色,尽快发", "送小样", "改尺码为L", "不要放发票", "周末送货", "加急,明天要", "备注颜色发肤色",
                "顾客要求发顺丰,已补运费", "同款两件分开包装", "老顾客,送袜子", "地址已核对", "要大一码")
QUALITY = ("质量问题", "发错货", "漏发", "破损")
NON_QUALITY = ("尺码不合适", "不喜欢", "七天无理由", "拍错", "颜色不符")

PRICES, _ = parse_price_table(None, DEFAULT_RULES)


def money(text) -> Decimal:
    return Decimal(str(text)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Line:
    sku: str
    name: str
    color: str | None
    size: str | None
    qty: object  # int, or a planted 1.5
    price: Decimal
    discount: Decimal = Decimal(0)
    paid: object = None  # 实付金额 (Decimal), None = computed

    @property
    def amount(self) -> Decimal:
        return self.paid if self.paid is not None else money(self.price * self.qty - self.discount)


@dataclass
class Order:
    no: str
    placed: dt.datetime
    paid_at: dt.datetime | None
    buyer: str
    name: str
    phone: str
    province: str
    city: str
    district: str
    address: str
    lines: list[Line]
    courier: str
    payment: str = "在线支付"
    flag: str | None = None
    remark: str | None = None
    owner: str | None = None  # 归属客服
    status: str = "已完成"
    ship_date: dt.date | None = None
    signed: dt.date | None = None
    frozen: bool = False  # planted state that settle() leaves alone: never shipped (refund, abnormal, waiting)
    cells: dict = field(default_factory=dict)  # planted raw cell values {column: value}
    extra_rows: list = field(default_factory=list)


class Month:
    """One month of the shop: orders, parcels, returns (and, for October, stock)."""

    def __init__(self, year: int, month: int, seed: int, orders_per_day: dict, open_last_day: bool):
        self.rng = random.Random(seed)
        self.year, self.month = year, month
        self.first = dt.date(year, month, 1)
        self.last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        self.open_last_day = open_last_day
        self.products = {p[0]: p for p in PRODUCTS}
        self.orders: list[Order] = []
        self.order_nos: set[str] = set()
        self.waybills: set[str] = set()
        for day in range(1, self.last.day + 1):
            date = dt.date(year, month, day)
            for _ in range(orders_per_day.get(date, orders_per_day["default"])):
                self.orders.append(self.new_order(date))
        self.orders.sort(key=lambda o: o.placed)

    # --- people and places ---------------------------------------------------------
    def person(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))

    def phone(self) -> str:
        r = self.rng
        number = "1" + r.choice("3578") + r.choice("0123456789") + "".join(r.choice("0123456789") for _ in range(8))
        return number + f"-{r.randint(1000, 9999)}" if r.random() < 0.12 else number

    def order_no(self) -> str:
        while True:
            no = str(self.rng.randint(3_700_000_000_000_000_000, 3_999_999_999_999_999_999))
            if no not in self.order_nos:
                self.order_nos.add(no)
                return no

    def waybill(self, courier: str) -> str:
        r = self.rng
        digits = lambda n: "".join(r.choice("0123456789") for _ in range(n))  # noqa: E731
        while True:
            no = {"中通": "78" + digits(12), "圆通": "YT" + digits(13), "韵达": "43" + digits(11),
                  "极兔": "JT" + digits(13), "顺丰": "SF" + digits(12)}[courier]
            if no not in self.waybills:
                self.waybills.add(no)
                return no

    # --- orders ------------------------------------------------------------------------
    def new_order(self, date: dt.date) -> Order:
        r = self.rng
        hour = r.choices(range(0, 24), weights=(2, 1, 1, 0, 0, 0, 0, 1, 2, 4, 5, 5, 5, 5, 5, 5, 5, 4, 4, 6, 8, 9, 8, 5))[0]
        if self.open_last_day and date == self.last:
            hour = r.choice((8, 9, 10, 11, 12, 13, 14, 15, 16, 17)) if r.random() < 0.85 else r.choice((0, 1, 7))
        placed = dt.datetime.combine(date, dt.time(hour, r.randint(0, 59), r.randint(0, 59)))
        if self.open_last_day and date == self.last and placed > AS_OF - dt.timedelta(minutes=10):
            placed = AS_OF - dt.timedelta(minutes=r.randint(15, 90))
        paid_at = placed + dt.timedelta(seconds=r.randint(20, 1500))
        province, city, districts = r.choices(PLACES, weights=PLACE_WEIGHTS)[0]
        promo = date in {d for d, _ in PROMOTION_DAYS}
        lines = []
        n_lines = r.choices((1, 2, 3), weights=(64, 27, 9))[0]
        skus = r.sample([p for p in PRODUCTS if p[0] != GIFT], n_lines)
        for p in skus:
            qty = 1 if r.random() < 0.85 else 2
            price = money(p[2])
            discount = money(price * qty * Decimal("0.1")) if promo else Decimal(0)
            lines.append(Line(p[0], p[1], r.choice(p[5]), r.choice(p[6]), qty, price, discount))
        if promo and r.random() < 0.3:
            lines.append(Line(GIFT, self.products[GIFT][1], None, None, 1, Decimal("0.00")))
        courier = r.choices([c for c, _ in COURIERS], weights=[w for _, w in COURIERS])[0]
        order = Order(self.order_no(), placed, paid_at,
                      r.choice(NICK_A) + r.choice(NICK_B) + (str(r.randint(1, 2025)) if r.random() < 0.6 else ""),
                      self.person(), self.phone(), province, city, r.choice(districts),
                      f"{r.choice(STREETS)}{r.randint(1, 399)}号" + (f"{r.randint(1, 30)}栋{r.randint(1, 28)}0{r.randint(1, 6)}室"
                                                                       if r.random() < 0.7 else ""),
                      lines, courier)
        # flags and seller notes (SPEC §Orders, the shop's remark convention)
        roll = r.random()
        agent = r.choice(AGENTS)
        if roll < 0.38:
            order.flag = "红"
            request = r.choice(RED_REQUESTS)
            if "顺丰" in request:
                order.courier = "顺丰"
            order.remark = f"{agent}:{request}"
            if r.random() < 0.3:
                order.remark += f"---{date.month}/{date.day} {agent}"
        elif roll < 0.50:
            order.flag = "黄"
            order.remark = r.choice((f"已催付 {agent}", f"{agent} 催单,买家说晚上付", "已催付", "催付两次"))
        if r.random() < 0.03:
            order.payment = "货到付款"
            order.paid_at = None
        return order

    # --- life of an order: shipped, signed ----------------------------------------------
    def ship_day(self, order: Order) -> dt.date | None:
        start = order.paid_at or (order.placed if order.payment == "货到付款" else None)
        if start is None:
            return None
        day = start.date() + dt.timedelta(days=1 if start.time() >= DEFAULT_RULES.shipping_cutoff else 0)
        if self.open_last_day:
            if day > self.last:
                return None
            if day == self.last and start >= dt.datetime.combine(self.last, dt.time(10, 0)):
                return None  # the afternoon's orders: on the pick list
        return min(day, self.last)

    def settle(self) -> None:
        """Ship, sign and set the status of every order that is not planted otherwise."""
        r = self.rng
        for o in self.orders:
            if o.frozen:
                continue
            o.ship_date = o.ship_date or self.ship_day(o)
            if o.ship_date is None:
                o.status = "待付款" if o.paid_at is None and o.payment != "货到付款" else "待发货"
                continue
            remote = o.province in ("新疆维吾尔自治区", "西藏自治区", "甘肃省", "内蒙古自治区", "海南省", "云南省", "黑龙江省")
            signed = o.ship_date + dt.timedelta(days=r.randint(2, 3) + (2 if remote else 0))
            o.signed = signed if not self.open_last_day or signed <= self.last else None
            o.status = "已完成" if o.signed and o.signed <= self.last - dt.timedelta(days=2) else "已发货"
        # unpaid orders: closed after 24 h, unless placed today
        for o in self.orders:
            if o.paid_at is None and o.payment != "货到付款" and o.ship_date is None and not o.frozen:
                o.status = "待付款" if o.placed.date() == self.last else "已关闭"


# --- rows for the sheets ---------------------------------------------------------------
ORDER_COLUMNS = mw.TEMPLATE_COLUMNS["订单"]
SHIP_COLUMNS = mw.TEMPLATE_COLUMNS["发货"]
RETURN_COLUMNS = mw.TEMPLATE_COLUMNS["退换货"]
STOCK_COLUMNS = mw.TEMPLATE_COLUMNS["库存"]


def order_rows(orders: list[Order]) -> list[list]:
    rows = []
    for o in orders:
        for i, line in enumerate(o.lines):
            values = {
                "订单号": o.no, "下单时间": o.placed, "付款时间": o.paid_at, "买家": o.buyer, "收件人": o.name,
                "手机": o.phone, "省": o.province, "市": o.city, "区": o.district, "详细地址": o.address,
                "商品编码": line.sku, "商品名称": line.name, "颜色": line.color, "尺码": line.size,
                "数量": line.qty, "单价": line.price, "优惠": line.discount or None, "实付金额": line.amount,
                "付款方式": o.payment, "快递公司": o.courier, "旗帜": o.flag, "备注": o.remark,
                "归属客服": o.owner, "状态": o.status}
            values.update(o.cells.get(i, {}))
            rows.append([values.get(c) for c in ORDER_COLUMNS])
        rows.extend(o.extra_rows)
    return rows


def weight_of(order: Order) -> float:
    items = sum(PRODUCTS_BY_SKU[l.sku][7] * (l.qty if isinstance(l.qty, int) else 1)
                for l in order.lines if l.sku in PRODUCTS_BY_SKU)
    return round(items + 0.08, 2)


PRODUCTS_BY_SKU = {p[0]: p for p in PRODUCTS}


def fee(courier: str, province: str, kg: float) -> Decimal:
    province = canonical_province(province) or "广东省"  # the planted 省 广州 ships to 广东
    rows = PRICES[(PRICES["courier"] == courier) & (PRICES["province"] == province)]
    row = rows.iloc[0]
    fen = fee_for_weight(int(round(kg * 1000)), row.first_g, row.first_fen, row.step_g, row.step_fen)
    return Decimal(int(fen)) / 100


def short_province(full: str) -> str:
    from shopbook.core.places import province_short
    return province_short(full)


def parcel_row(m: Month, o: Order, **over) -> dict:
    r = m.rng
    kg = weight_of(o)
    row = {"发货日期": o.ship_date, "订单号": o.no, "快递公司": o.courier, "快递单号": m.waybill(o.courier),
           "重量": kg, "件数": 1, "收件人": o.name, "省": short_province(o.province),
           "包装人": r.choice(PACKERS), "运费": fee(o.courier, o.province, kg), "保价金额": None, "类型": "正常",
           "状态": "正常", "原因": None, "签收日期": o.signed}
    total = sum(l.amount for l in o.lines)
    if total >= 250 and r.random() < 0.5:
        row["保价金额"] = money(total)
    row.update(over)
    return row


# --- returns ------------------------------------------------------------------------------
def return_row(m: Month, o: Order, kind: str, reason: str | None, line: int = 0, days_after: int | None = None,
               **over) -> dict:
    r = m.rng
    ln = o.lines[line]
    applied = o.signed + dt.timedelta(days=days_after if days_after is not None else r.randint(1, 6))
    registered = min(applied + dt.timedelta(days=r.randint(0, 3)), m.last)
    quality = reason in QUALITY
    status = r.choice(("已退款", "已退款", "已收货", "已寄回")) if kind == "退货" else \
        r.choice(("已换货", "已寄回")) if kind == "换货" else "已退款"
    if registered >= m.last - dt.timedelta(days=1):
        status = "待寄回" if kind != "仅退款" else "已退款"
    row = {"登记日期": registered, "订单号": o.no, "类型": kind, "原因": reason, "签收日期": o.signed,
           "申请日期": applied, "商品编码": ln.sku, "数量": ln.qty, "商品状态": "完好",
           "商品类别": PRODUCTS_BY_SKU[ln.sku][4], "是否特价": "否", "是否赠品": "否",
           "退回快递单号": None, "退回方式": "寄付" if kind != "仅退款" else None,
           "运费承担": "店铺" if quality else "买家",
           "退款金额": ln.amount if kind != "换货" else None, "附件齐全": "是", "状态": status,
           "处理人": r.choice(AGENTS)}
    if kind != "仅退款" and status != "待寄回":
        row["退回快递单号"] = m.waybill(r.choice(("中通", "圆通", "韵达")))
    if kind == "仅退款":  # nothing comes back: an item never sent, or a partial refund for damage
        row.update(商品状态=None, 运费承担=None)
        if reason == "破损":
            row["退款金额"] = money(ln.amount * Decimal("0.3"))
    row.update(over)
    if row["类型"] != "仅退款" and row["状态"] not in ("待寄回", "已寄回") and "收货日期" not in over:
        # the warehouse received the goods and put them back within a day (no random draw: the
        # rest of the month stays as it was before these two columns)
        received = min(registered + dt.timedelta(days=int(o.no) % 2), m.last)
        shelved = received + dt.timedelta(days=int(o.no[-2:]) % 3 // 2)
        row["收货日期"], row["归位日期"] = received, (shelved if shelved <= m.last else None)
    return row


RECEIVED = ("已收货", "已退款", "已换货")


def mark_return(o: Order, kind: str, row: dict, agent: str) -> None:
    """The order's flag and note once a return is registered (紫 = exchange, 蓝 = refund)."""
    d = row["申请日期"]
    if kind == "换货":
        ln = o.lines[0]
        o.flag = "紫"
        o.remark = f"{d.month}/{d.day} {ln.color or ''}{ln.size or ''}换{'L' if ln.size != 'L' else 'XL'} 差价0 运费{row['运费承担'] or '买家'} {agent}"
    else:
        o.flag = "蓝"
        o.remark = f"{d.month}/{d.day} {row['原因'] or '退款'} 运费{row['运费承担']} {agent}"


def make_returns(m: Month, count: int) -> list[dict]:
    r = m.rng
    pool = [o for o in m.orders if o.signed and o.signed <= m.last - dt.timedelta(days=2) and o.flag in (None, "红", "黄")
            and GIFT not in {l.sku for l in o.lines[:1]} and isinstance(o.lines[0].qty, int) and not o.cells]
    chosen = r.sample(pool, count)
    rows = []
    for o in chosen:
        kind = r.choices(("退货", "换货", "仅退款"), weights=(60, 25, 15))[0]
        reason = r.choice(QUALITY) if r.random() < 0.3 else r.choice(NON_QUALITY)
        if kind == "仅退款":
            reason = r.choice(("漏发", "破损", "少发"))
        if kind != "仅退款" and PRODUCTS_BY_SKU[o.lines[0].sku][4] == "内裤" and reason not in QUALITY:
            reason = "质量问题"
        row = return_row(m, o, kind, reason)
        mark_return(o, kind, row, row["处理人"])
        rows.append(row)
    return rows


# --- stock --------------------------------------------------------------------------------
def stock_rows(m: Month, demand: dict) -> list[dict]:
    """One row per 商品编码+颜色+尺码, sellable enough for the open orders unless planted short."""
    r = m.rng
    rows = []
    counted = dt.date(2026, 10, 26)
    for p_index, p in enumerate(PRODUCTS):
        sku, name, _, cost, _, colors, sizes, _, zone = p
        shelf = p_index % 5 + 1
        variants = [(c, s) for c in (colors or (None,)) for s in (sizes or (None,))]
        for layer, (color, size) in enumerate(variants, start=1):
            need = demand.get((sku, color, size), 0)
            book_qty = r.randint(6, 60) + need if sku != GIFT else 300 + need
            real = book_qty if r.random() > 0.08 else book_qty + r.choice((-2, -1, 1))
            rows.append({"商品编码": sku, "商品名称": name, "颜色": color, "尺码": size,
                         "库位": f"{zone}-{shelf:02d}-{layer:02d}", "账面数量": book_qty, "实盘数量": real,
                         "残次数量": 1 if r.random() < 0.06 else 0, "安全库存": 10 if sku != GIFT else 100,
                         "成本价": money(cost), "盘点日期": counted, "盘点人": "老周" if zone in "AB" else "阿强"})
    return rows


# --- the October ledger ---------------------------------------------------------------------
@dataclass
class Plant:
    sheet: str
    code: str
    what: str


PLANTED: list[Plant] = []


def plant(sheet: str, code: str, what: str) -> None:
    PLANTED.append(Plant(sheet, code, what))


def october() -> tuple[Month, list[dict], list[dict], list[dict]]:
    PLANTED.clear()
    per_day = {"default": 8, dt.date(2026, 10, 1): 22, dt.date(2026, 10, 2): 20, dt.date(2026, 10, 3): 16,
               dt.date(2026, 10, 20): 26, dt.date(2026, 10, 31): 34}
    m = Month(2026, 10, SEED, per_day, open_last_day=True)
    r = m.rng
    orders = m.orders
    last_day = [o for o in orders if o.placed.date() == m.last]
    # unpaid orders: a few each day were never paid (closed), a few today await payment
    for o in r.sample([o for o in orders if o.placed.date() < m.last and o.payment == "在线支付"], 12):
        o.paid_at = None
    mid = [o for o in orders if dt.date(2026, 10, 4) <= o.placed.date() <= dt.date(2026, 10, 25)
           and o.placed.date() != dt.date(2026, 10, 20) and o.payment == "在线支付" and o.flag is None
           and o.paid_at is not None]
    picks = iter(r.sample(mid, 40))
    morning = [o for o in last_day if o.placed.hour < 15 and o.payment == "在线支付"]
    for o in morning[:3]:
        o.paid_at = None
        o.flag, o.remark = "黄", f"已催付 {r.choice(AGENTS)}"

    # the pick list's special cases (last day, paid, not shipped)
    afternoon = [o for o in last_day if o.paid_at and o.paid_at.hour >= 10 and o.payment == "在线支付"]
    green, refunding, unknown_sku, merge_a, merge_b = afternoon[1:6]
    green.flag, green.remark = "绿", f"10/31 买家要改地址,等回复 {r.choice(AGENTS)}"
    refunding.status, refunding.frozen = "退款中", True
    refunding.flag, refunding.remark = "蓝", f"10/31 拍错了申请退款 运费无 {r.choice(AGENTS)}"
    unknown_sku.lines[0].sku = "BN4009"
    plant("订单", "unknown-sku", "商品编码 BN4009 (库存表中没有;拣货单暂缓)")
    gifted = afternoon[0]  # a 赠品 on the pick list (no random draw: the rest of the month stays as it was)
    gifted.lines.append(Line(GIFT, m.products[GIFT][1], None, None, 1, Decimal("0.00")))
    gifted.flag, gifted.remark = "红", f"{AGENTS[0]}:老顾客,送收纳袋"
    merge_b.name, merge_b.phone = merge_a.name, merge_a.phone
    merge_b.province, merge_b.city, merge_b.district, merge_b.address = (merge_a.province, merge_a.city,
                                                                         merge_a.district, merge_a.address)
    plant("订单", "can-merge-shipment", "同一买家当天两单")
    # an order paid on 10-28 still waiting: its item is out of stock
    waiting = next(o for o in orders if o.placed.date() == dt.date(2026, 10, 28) and o.paid_at
                   and o.paid_at.time() < dt.time(15) and o.flag is None and o.payment == "在线支付")
    waiting.frozen = True
    waiting.status = "待发货"
    plant("订单", "ship-overdue", "10-28 付款至今未发货(缺货)")

    # planted mistakes in 订单 (one each, on ordinary shipped orders)
    o = next(picks)
    o.phone = o.phone.split("-")[0] + "7"
    plant("订单", "phone-invalid", "手机多一位")
    o = next(picks)
    o.phone = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in o.phone.split("-")[0])
    plant("订单", "normalised", "全角数字的手机号")
    o = next(o for o in orders if o.paid_at is None and o.placed.date() < m.last and len(o.lines) == 1
             and o.payment == "在线支付")
    o.cells[0] = {"订单号": float(o.no)}
    plant("订单", "id-digits-lost", f"订单号被 Excel 变成 {float(o.no):.6G}")
    for fmt in ("%Y/%m/%d %H:%M", "%Y年%m月%d日 %H:%M", "%Y%m%d %H%M", "%Y.%m.%d %H:%M:%S"):
        o = next(picks)
        o.cells[0] = {"下单时间": o.placed.strftime(fmt)}  # text dates in several forms: all readable
    o = next(picks)
    o.cells[0] = {"下单时间": f"{o.placed.month}-{o.placed.day} {o.placed:%H:%M}"}
    plant("订单", "date-ambiguous", "下单时间没有年份")
    o = next(picks)
    o.cells[0] = {"下单时间": f"2026-{o.placed.month:02d}-32 {o.placed:%H:%M}"}
    plant("订单", "date-invalid", "下单时间 32 日")
    o = next(o for o in last_day if o in afternoon[6:])
    o.address = None
    plant("订单", "required-missing", "缺详细地址")
    o = next(o for o in picks if len(o.lines) == 1)
    o.cells[0] = {"省": "广州"}  # the parcel still went to 广东
    plant("订单", "province-invalid", "省份写成城市")
    o = next(picks)
    o.address = f"{o.province}{o.city}{o.district}"
    plant("订单", "address-incomplete", "地址只有省市")
    o = next(o for o in picks if len(o.lines) == 1)
    o.extra_rows.append(None)  # filled below, once the row exists
    plant("订单", "duplicate-order-line", "同一订单行粘贴了两次")
    dup = o
    o = next(picks)
    o.lines[0].qty = 1.5
    o.lines[0].paid = o.lines[0].price * 2
    plant("订单", "not-whole-number", "数量 1.5")
    o = next(picks)
    o.lines[0].paid = o.lines[0].amount - Decimal("10.00")
    plant("订单", "amount-mismatch", "实付少了 10 元,没有填优惠")
    o = next(picks)
    o.flag, o.remark = "红", "要黑色,尽快发"
    plant("订单", "flag-remark-missing", "红旗备注没有客服名字")
    o = next(picks)
    o.flag, o.remark = "绿", f"{o.placed.month}/{o.placed.day} 快递截单"
    o.frozen = True
    o.status = "已关闭"
    plant("订单", "flag-remark-missing", "绿旗备注没有名字")
    o = next(o for o in picks if len(o.lines) == 1)
    o.flag = "橙"
    o.remark = f"{r.choice(AGENTS)}:送小样"
    plant("订单", "value-not-allowed", "旗帜 橙")
    blue_shipped = next(picks)  # refund flagged before the parcel left: the warehouse shipped it anyway
    d = blue_shipped.paid_at.date()
    blue_shipped.flag, blue_shipped.remark = "蓝", f"{d.month}/{d.day} 不想要了退款 运费无 {r.choice(AGENTS)}"
    blue_shipped.status = "退款中"
    plant("发货", "ship-blocked-order", "蓝旗(退款)订单仍然发货")
    # 归属客服: the manager settled a few disputed orders after reading the chats
    for o in r.sample([o for o in orders if o.flag in ("红", "黄", None) and not o.cells], 6):
        o.owner = r.choice(AGENTS)

    m.settle()
    blue_shipped.status = "退款中"
    # shipping register
    parcels = []
    for o in sorted((o for o in orders if o.ship_date), key=lambda o: (o.ship_date, o.paid_at or o.placed)):
        parcels.append(parcel_row(m, o))
    by_order = {p["订单号"]: p for p in parcels}
    # statuses and claims
    normal = [p for p in parcels if p["签收日期"] and p["发货日期"] < dt.date(2026, 10, 24)]
    r.shuffle(normal)
    lost, broken, undeliverable, refused, refused_bad = normal[:5]
    lost.update(状态="丢件", 原因="中转站丢失,快递已确认", 签收日期=None, 保价金额=lost["保价金额"])
    resend = dict(lost, 快递单号=m.waybill(lost["快递公司"]), 类型="补发", 状态="正常", 原因="丢件补发",
                  发货日期=lost["发货日期"] + dt.timedelta(days=3), 签收日期=lost["发货日期"] + dt.timedelta(days=6))
    resend["运费"] = fee(resend["快递公司"], canonical_province(resend["省"]), resend["重量"])
    parcels.insert(parcels.index(lost) + 1, resend)
    broken.update(状态="破损", 原因="外包装破损,睡衣被污染,买家拍照", 签收日期=broken["签收日期"])
    undeliverable.update(状态="无法送达", 原因="地址不详,收件人电话停机", 签收日期=None)
    refused.update(状态="拒收", 原因="买家称未下单", 签收日期=None)
    refused_bad.update(状态="拒收", 原因=None, 签收日期=None)
    plant("发货", "reason-missing", "拒收没有写原因")
    for p in (lost, undeliverable, refused, refused_bad):
        order = next(o for o in orders if o.no == p["订单号"])
        order.status = "已发货"  # the parcel is on its way back; the refund follows when it arrives
        order.signed = None
    # planted mistakes in 发货
    shipped = [p for p in parcels if p["状态"] == "正常" and p["类型"] == "正常"
               and p["发货日期"] < dt.date(2026, 10, 29)]
    r.shuffle(shipped)
    pick = iter(p for p in shipped if p["订单号"] not in {blue_shipped.no})
    a, b = next(pick), next(pick)
    b["快递单号"], b["快递公司"] = a["快递单号"], a["快递公司"]
    plant("发货", "duplicate-waybill", "两个订单用了同一个快递单号")
    next(pick)["重量"] = 0
    plant("发货", "weight-implausible", "重量 0")
    p = next(pick)
    p["重量"] = f"约{p['重量']}"
    plant("发货", "not-a-number", "重量写成 约0.5")
    for _ in range(3):  # weights and fees typed as text with a unit: read fine
        p = next(pick)
        p["重量"], p["运费"] = f"{p['重量']}kg", f"¥{p['运费']:.2f}"
    next(pick)["包装人"] = None
    plant("发货", "packer-missing", "没有包装人签名")
    p = next(p for p in pick if p["快递公司"] == "圆通")
    p["快递单号"] = p["快递单号"][2:]
    plant("发货", "waybill-pattern", "圆通单号少了 YT")
    for _ in range(2):
        p = next(p for p in pick if p["快递公司"] == "中通")
        p["快递单号"] = int(p["快递单号"])
    plant("发货", "id-stored-as-number", "中通单号以数字保存")
    p = next(p for p in pick if p["订单号"][-1] != p["订单号"][-2])
    p["订单号"] = p["订单号"][:-2] + p["订单号"][-1] + p["订单号"][-2]
    plant("发货", "order-not-found", "订单号两位数字颠倒")
    # an order whose 付款时间 went missing (cleared by a bad paste) but which shipped
    unpaid = next(o for o in orders if o.status == "已关闭" and o.ship_date is None and not o.cells and o.flag is None
                  and o.placed.date() < dt.date(2026, 10, 25))
    unpaid.ship_date = unpaid.placed.date() + dt.timedelta(days=1)
    unpaid.signed = unpaid.ship_date + dt.timedelta(days=3)
    unpaid.status = "已完成"
    parcels.append(parcel_row(m, unpaid))
    plant("发货", "ship-unpaid", "没有付款时间的订单已发货")
    p = next(p for p in pick if p["签收日期"])
    p["收件人"] = p["收件人"][0] + "女士"
    plant("发货", "ship-differs-from-order", "收件人与订单不同")
    p = next(p for p in pick if p["签收日期"] and dt.date(2026, 10, 16) <= p["发货日期"] <= dt.date(2026, 10, 24))
    p["签收日期"] = None
    plant("发货", "unsigned-parcel", "发出十天仍未签收")
    p = shipped[-1]  # the last of the shuffled parcels: the planting above never reaches it
    assert isinstance(p["重量"], float) and p["签收日期"], "the blank-weight parcel was planted otherwise"
    p["重量"] = None
    plant("发货", "weight-missing", "重量没有填写(快递交接和月结对账都无法核对)")
    for p in (pp for pp in parcels[10:200:45]):
        if isinstance(p["发货日期"], dt.date):
            p["发货日期"] = p["发货日期"].strftime("%Y.%m.%d")  # text dates that read fine
    parcels.sort(key=lambda p: (str(p["发货日期"]).replace(".", "-"),))

    # returns (realistic), then the planted ones
    returns = make_returns(m, 22)
    returned = {row["订单号"] for row in returns}
    candidates = [o for o in orders if o.signed and o.signed <= dt.date(2026, 10, 20) and o.flag in (None, "红")
                  and not o.cells and isinstance(o.lines[0].qty, int) and o.lines[0].sku != GIFT
                  and o.no in by_order and by_order[o.no]["状态"] == "正常" and o is not dup and o.no not in returned]
    r.shuffle(candidates)
    underwear = next(o for o in candidates if any(PRODUCTS_BY_SKU[l.sku][4] == "内裤" for l in o.lines))
    cand = iter(o for o in candidates if o is not underwear
                and not any(PRODUCTS_BY_SKU[l.sku][4] == "内裤" for l in o.lines))

    def planted_return(kind, reason, code, what, days_after=None, mark=True, **over):
        # an exchange left unmarked: on a 红旗 order (a blank 旗帜 is not compared)
        o = next(cand) if mark else next(o for o in cand if o.flag == "红")
        row = return_row(m, o, kind, reason, days_after=days_after, **over)
        if mark:
            mark_return(o, kind, row, row["处理人"])
        returns.append(row)
        plant("退换货", code, what)
        return row

    planted_return("退货", "不喜欢", "return-window-exceeded", "签收后第 10 天申请无理由退货", days_after=10)
    o = underwear
    i = next(i for i, l in enumerate(o.lines) if PRODUCTS_BY_SKU[l.sku][4] == "内裤")
    row = return_row(m, o, "退货", "尺码不合适", line=i)
    mark_return(o, "退货", row, row["处理人"])
    returns.append(row)
    plant("退换货", "return-excluded-goods", "内裤非质量问题退货")
    planted_return("退货", "尺码不合适", "return-freight-collect", "买家用到付寄回", 退回方式="到付")
    planted_return("退货", "质量问题", "freight-payer-wrong", "质量问题却让买家出运费", 运费承担="买家")
    planted_return("换货", None, "reason-required", "没写原因", 运费承担=None)
    row = planted_return("退货", "发错货", "refund-exceeds-paid", "退款多退了 20 元")
    row["退款金额"] = row["退款金额"] + Decimal("20.00")
    planted_return("退货", "不喜欢", "refund-attachments-missing", "吊牌没寄回也退了款", 状态="已退款", 附件齐全="否")
    planted_return("退货", "尺码不合适", "return-waybill-missing", "已寄回但没填单号", 状态="已寄回", 退回快递单号=None)
    planted_return("换货", "尺码不合适", "return-flag-mismatch", "换货订单没改紫旗", mark=False)
    planted_return("退货", "不喜欢", "return-excluded-goods", "已穿着", 商品状态="已穿着")
    row = planted_return("退货", "七天无理由", "date-ambiguous", "登记日期写成 10/12")
    returns.sort(key=lambda x: x["登记日期"])
    row["登记日期"] = f"{row['登记日期'].month}/{row['登记日期'].day}"

    # dates out of order (typing slips; no random draw, so the rest of the month stays as it was)
    order_of = {o.no: o for o in orders}
    o = next(o for o in picks if len(o.lines) == 1)
    o.cells[0] = {"付款时间": o.paid_at - dt.timedelta(days=1)}
    plant("订单", "paid-before-placed", "付款时间的日子打错,早于下单一天")
    o = next(o for o in picks if len(o.lines) == 1)
    o.cells[0] = {"下单时间": o.paid_at + dt.timedelta(minutes=3)}
    plant("订单", "time-order-slip", "手工补录的下单时间比付款晚 3 分钟")
    p = next(p for p in pick if isinstance(p["发货日期"], dt.date) and order_of[p["订单号"]].paid_at
             and order_of[p["订单号"]].paid_at.day <= 9 and len(order_of[p["订单号"]].lines) == 1
             and not order_of[p["订单号"]].cells)
    o = order_of[p["订单号"]]
    o.cells[0] = {"付款时间": o.paid_at + dt.timedelta(days=10)}  # 10-06 typed as 10-16
    plant("发货", "shipped-before-paid", "付款时间的日期多打了 10 天,晚于发货")
    p = next(p for p in pick if isinstance(p["发货日期"], dt.date) and p["签收日期"])
    p["签收日期"] = p["发货日期"] - dt.timedelta(days=1)
    plant("发货", "signed-before-shipped", "签收日期写成发货前一天")
    p = next(p for p in pick if p["签收日期"] and p["签收日期"].day <= 28)
    p["签收日期"] = p["签收日期"].replace(month=11)
    plant("发货", "date-in-future", "签收日期的月份打成 11 月")
    row = next(x for x in returns if x.get("收货日期") and x["类型"] == "退货" and order_of[x["订单号"]].ship_date)
    row["收货日期"] = order_of[row["订单号"]].ship_date - dt.timedelta(days=1)
    row["归位日期"] = row["收货日期"] + dt.timedelta(days=1)  # one slip only: put back in time
    plant("退换货", "return-received-too-early", "收货日期早于发货")

    # the duplicate order line: a copy of the order's first line right below it
    dup.extra_rows[:] = order_rows([Order(**{**dup.__dict__, "extra_rows": []})])[:1]

    # stock: enough for the open orders, except a few planted shortages
    open_orders = [o for o in orders if o.ship_date is None and o.status in ("待发货", "待付款")
                   and o.flag not in ("绿", "蓝")]
    demand: dict = {}
    for o in open_orders:
        for line in o.lines:
            key = (line.sku, line.color, line.size)
            demand[key] = demand.get(key, 0) + (line.qty if isinstance(line.qty, int) else 2)
    stock = stock_rows(m, demand)
    key_of = {(s["商品编码"], s["颜色"], s["尺码"]): s for s in stock}
    short_orders = [waiting] + [o for o in afternoon[7::3] if o.address and o.paid_at and o.status == "待发货"][:3]
    short_keys = [(l.sku, l.color, l.size) for l in waiting.lines if (l.sku, l.color, l.size) in key_of]
    short_keys += [next((l.sku, l.color, l.size) for l in o.lines if (l.sku, l.color, l.size) in key_of)
                   for o in short_orders[1:]]
    for key in short_keys:
        s = key_of[key]
        s["实盘数量"] = max(demand.get(key, 1) - 1, 0)
        s["账面数量"] = s["实盘数量"]
        s["残次数量"] = 0
    plant("订单", "out-of-stock", "当天订单缺货")
    plant("库存", "reorder-alert", "缺货的商品低于安全库存")
    # stock mistakes
    rest = [s for s in stock if (s["商品编码"], s["颜色"], s["尺码"]) not in demand and s["商品编码"] != GIFT]
    r.shuffle(rest)
    it = iter(rest)
    s = next(it)
    s["账面数量"], s["实盘数量"] = -2, 0
    plant("库存", "negative-value", "账面数量 -2")
    for s in [s for s in stock if s["库位"].startswith("D-05")][-4:]:
        s["盘点日期"] = dt.date(2026, 10, 12)
    plant("库存", "stocktake-stale", "D-05 货架上次盘点 10-12")
    s = next(it)
    s["库位"] = s["库位"].replace("-", "")
    plant("库存", "location-pattern", "库位写成 A0103")
    s = next(it)
    s["库位"] = None
    plant("库存", "location-missing", "新品没有库位")
    s = next(it)
    s["实盘数量"] = "待盘"
    plant("库存", "not-a-number", "实盘数量写成 待盘")
    s = next(it)
    stock.insert(stock.index(s) + 1, dict(s, 账面数量=3, 实盘数量=3))
    plant("库存", "duplicate-sku", "同一颜色尺码建了两行")
    plant("库存", "stock-variance", "盘盈/盘亏")
    return m, parcels, returns, stock


# --- the warehouse workbook (仓库.xlsx: 入库, 采购清单, 库存调整) ----------------------------------
SUPPLIERS = {"文胸": "汕头市佳丽内衣厂", "内裤": "义乌市棉语针织", "袜子": "义乌市棉语针织", "睡衣": "湖州织里梦舒服饰",
             "家居服": "湖州织里梦舒服饰", "保暖内衣": "诸暨市暖阳针织", "打底衫": "诸暨市暖阳针织", "背心": "诸暨市暖阳针织",
             "塑身衣": "汕头市佳丽内衣厂", "赠品": "义乌市优品包装"}
# deliveries, each ordered to cover what the days up to the next one will move out (a forecast the
# generator can make exactly): 10-01 covers 10-01..10-05, 10-05 covers 10-06..10-12, and so on
RECEIPT_DAYS = (dt.date(2026, 10, 1), dt.date(2026, 10, 5), dt.date(2026, 10, 12), dt.date(2026, 10, 19))
WINDOW_END = {dt.date(2026, 10, 1): dt.date(2026, 10, 5), dt.date(2026, 10, 5): dt.date(2026, 10, 12),
              dt.date(2026, 10, 12): dt.date(2026, 10, 19), dt.date(2026, 10, 19): dt.date(2026, 10, 26)}
COUNT_DAY = dt.date(2026, 10, 26)  # the weekly stocktake of the 库存 sheet (after that day's receipt)
INSPECTOR, CLERK, APPROVER = "阿强", "老周", "王经理"
STOCK_PLANTED: list[Plant] = []


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.datetime.strptime(value, "%Y.%m.%d").date()


def stock_events(m: Month, parcels: list[dict], returns: list[dict]) -> list[tuple]:
    """(day, rank, key, Δ账面) of what the shipping register and the returns register move, read the
    way the stock ledger reads them: the first 正常 parcel of an order takes its lines (whole numbers
    only), a 补发 parcel the whole order again, a 退货/换货 return comes back on its 归位日期."""
    by_no = {o.no: o for o in m.orders}
    events, carried = [], set()
    for p in parcels:
        o = by_no.get(p["订单号"])
        if o is None or (p["类型"] == "正常" and o.no in carried):
            continue
        carried.add(o.no)
        for line in o.lines:
            if isinstance(line.qty, int):
                events.append((_day(p["发货日期"]), 5, (line.sku, line.color, line.size), -line.qty))
    for r in returns:
        if r["类型"] in ("退货", "换货") and r.get("归位日期"):
            line = next(l for l in by_no[r["订单号"]].lines if l.sku == r["商品编码"])
            events.append((r["归位日期"], 2, (line.sku, line.color, line.size), r["数量"]))
    return events


def warehouse(m: Month, parcels: list[dict], returns: list[dict], stock: list[dict]):
    """仓库.xlsx for October: weekly deliveries that restock what went out (so the book at the
    10-26 stocktake is the 库存 sheet's 账面, and its 实盘 differences are the month's variances),
    the 双11 stock-up after the count, the month's adjustments, and the planted mistakes."""
    STOCK_PLANTED.clear()
    r = random.Random(SEED + 15)
    info = {(s["商品编码"], s["颜色"], s["尺码"]): s for s in stock}
    opening: dict = {}
    for s in stock:
        key = (s["商品编码"], s["颜色"], s["尺码"])
        opening[key] = opening.get(key, 0) + (s["账面数量"] if isinstance(s["账面数量"], int) else 0)
    # the returns register: one return received on 10-27 is still waiting to be put back
    waiting = max((x for x in returns if x.get("收货日期") and x["商品状态"] == "完好" and x["原因"] in NON_QUALITY),
                  key=lambda x: (x["收货日期"], x["订单号"]))
    waiting["收货日期"], waiting["归位日期"] = max(waiting["收货日期"], dt.date(2026, 10, 27)), None
    STOCK_PLANTED.append(Plant("退换货", "return-not-shelved", "10-27 收到的退货至今未归位"))

    adjustments = []

    def adjust(day, key, qty, reason, note, approver=APPROVER, handler=CLERK):
        adjustments.append({"日期": day, "调整单号": f"TZ{day:%Y%m%d}-{sum(a['日期'] == day for a in adjustments) + 1:02d}",
                            "商品编码": key[0], "商品名称": info[key]["商品名称"], "颜色": key[1], "尺码": key[2],
                            "数量": qty, "原因": reason, "经办人": handler, "批准人": approver, "备注": note})
    keys = [k for k in info if k[0] != GIFT and info[k]["实盘数量"] == info[k]["账面数量"] and opening[k] >= 8]
    sample, lent, damaged, stained = r.sample(keys, 4)
    adjust(dt.date(2026, 10, 8), sample, -1, "样品", "新品拍摄留样")
    adjust(dt.date(2026, 10, 10), lent, -2, "借出", "借给摄影工作室拍详情页")
    adjust(dt.date(2026, 10, 15), damaged, -1, "报损", "包装破损、吊牌脱落,无法销售")
    adjust(dt.date(2026, 10, 17), lent, 2, "归还", "摄影工作室归还")
    adjust(dt.date(2026, 10, 21), stained, 1, "转残次", "上架前发现污渍")
    old_defect = next(k for k in info if info[k]["残次数量"] and k != stained)
    adjust(dt.date(2026, 10, 24), old_defect, -1, "残次报损", "残次品报废处理")

    # deliveries: each restocks what its window moves out, net of returns and adjustments, so the
    # book never dips and stands at the 库存 sheet's 账面 at the 10-26 count
    events = stock_events(m, parcels, returns)
    events += [(a["日期"], 6 if a["数量"] < 0 else 3, (a["商品编码"], a["颜色"], a["尺码"]),
                0 if a["原因"] == "转残次" else a["数量"]) for a in adjustments]
    # per item: T = what the month moves out up to the count (net of returns and adjustments), and
    # the most it has moved out by the end of each window; deliveries follow that running maximum,
    # capped at T, so the book never dips and stands at the 库存 sheet's 账面 at the count
    moved: dict = {}
    for day, rank, key, qty in sorted(events, key=lambda e: (e[0], e[1])):
        if day <= COUNT_DAY:
            moved.setdefault(key, []).append((day, -qty))
    plan: dict = {}
    for key, steps in moved.items():
        deficit = max(0, -opening.get(key, 0))  # a book typed below zero is made good first
        total, peak, cum, done, i = sum(q for _, q in steps), 0, 0, 0, 0
        for window in RECEIPT_DAYS:
            while i < len(steps) and steps[i][0] <= WINDOW_END[window]:
                cum += steps[i][1]
                peak = max(peak, cum)
                i += 1
            target = min(total, peak) + deficit
            if target > done:
                plan[key, window] = target - done
                done = target
    inbound, orders = [], []

    def receive(day, key, qty, po, no, *, due=None, arrived=None, good=None, bad=None, disposal=None,
                inspector=INSPECTOR):
        category = PRODUCTS_BY_SKU[key[0]][4]
        inbound.append({"日期": day, "入库单号": no, "采购单号": po, "供应商": SUPPLIERS[category], "商品编码": key[0],
                        "商品名称": info[key]["商品名称"] if key in info else PRODUCTS_BY_SKU[key[0]][1],
                        "颜色": key[1], "尺码": key[2], "应到数量": due if due is not None else qty,
                        "实到数量": arrived if arrived is not None else qty, "合格数量": good if good is not None else qty,
                        "不合格数量": bad, "不合格处理": disposal,
                        "库位": info[key]["库位"] if key in info else None, "检验人": inspector, "登记人": CLERK})

    def order(po, day, key, qty):
        category = PRODUCTS_BY_SKU[key[0]][4]
        orders.append({"采购单号": po, "下单日期": day, "供应商": SUPPLIERS[category], "商品编码": key[0],
                       "商品名称": PRODUCTS_BY_SKU[key[0]][1], "颜色": key[1], "尺码": key[2], "数量": qty,
                       "单价": money(PRODUCTS_BY_SKU[key[0]][3])})

    def deliver(day, due: dict, ordered: dt.date, natural: bool = True):
        lines = sorted((k for k, n in due.items() if n > 0), key=lambda k: (PRODUCTS_BY_SKU[k[0]][4], k))
        suppliers = list(dict.fromkeys(SUPPLIERS[PRODUCTS_BY_SKU[k[0]][4]] for k in lines))
        for n_sup, supplier in enumerate(suppliers, start=1):
            po, no = f"CG{ordered:%Y%m%d}-{n_sup:02d}", f"RK{day:%Y%m%d}-{n_sup:02d}"
            for key in (k for k in lines if SUPPLIERS[PRODUCTS_BY_SKU[k[0]][4]] == supplier):
                qty = due[key]
                roll = r.random() if natural else 1.0
                if roll < 0.05:  # one piece failed inspection: back to the supplier
                    order(po, ordered, key, qty + 1)
                    receive(day, key, qty, po, no, due=qty + 1, arrived=qty + 1, good=qty, bad=1,
                            disposal="退回供应商")
                elif roll < 0.08 and qty >= 2:  # a flawed piece kept in the 残次库
                    order(po, ordered, key, qty)
                    receive(day, key, qty, po, no, good=qty - 1, bad=1, disposal="残次")
                else:
                    order(po, ordered, key, qty)
                    receive(day, key, qty, po, no)

    for window in RECEIPT_DAYS:
        deliver(window, {k: n for (k, w), n in plan.items() if w == window}, window - dt.timedelta(days=4))

    # after the count: the 双11 stock-up (ordered 10-26, delivered 10-29 and 10-30) with the mistakes
    popular = sorted(info, key=lambda k: (-sum(-q for d, _, kk, q in events if kk == k and q < 0), k))
    popular = [k for k in popular if k[0] != GIFT][:8]
    po = "CG20261026-01"
    quantities = [30, 20, 24, 10, 12, 18, 16, 20]
    for key, qty in zip(popular, quantities):
        order(po, COUNT_DAY, key, qty)
    day1, day2 = dt.date(2026, 10, 29), dt.date(2026, 10, 30)
    a, b, c, d, e, *rest = popular
    receive(day1, a, 27, po, "RK20261029-01", due=30, arrived=27, good=27)
    STOCK_PLANTED.append(Plant("入库", "inbound-arrival-differs", "应到 30 实到 27"))
    receive(day1, b, 20, po, "RK20261029-01", arrived=20, good=20, bad=2, disposal="退回供应商")
    STOCK_PLANTED.append(Plant("入库", "inbound-inspection-mismatch", "合格 20 + 不合格 2 ≠ 实到 20"))
    for key, qty in zip(rest, quantities[5:]):
        receive(day1, key, qty, po, "RK20261029-01")
    stranger = next(k for k in info if k[0] == "SY3002" and k not in popular)
    receive(day1, stranger, 6, po, "RK20261029-01")
    STOCK_PLANTED.append(Plant("入库", "inbound-not-on-po", f"采购单上没有 {' '.join(stranger)}"))
    receive(day2, c, 24, po, "RK20261030-01", arrived=24, good=22, bad=2, disposal=None)
    STOCK_PLANTED.append(Plant("入库", "inbound-defect-sellable", "不合格 2 件没有处理方式"))
    receive(day2, d, 12, po, "RK20261030-01", due=12, arrived=12, good=12)
    STOCK_PLANTED.append(Plant("入库", "inbound-over-po", "采购 10 件,到货 12 件"))
    receive(day2, e, 12, po, "RK20261030-01")
    adjust(dt.date(2026, 10, 28), next(k for k in keys if k not in (sample, lent, damaged, stained)), -1, "报损",
           "顾客退回的包装袋破损", approver=None)
    STOCK_PLANTED.append(Plant("库存调整", "adjustment-approver-missing", "报损没有批准人"))
    # a live-stream loan that takes more than is on the book: the book goes below zero
    low = min((k for k in keys if k not in popular and k != stained), key=lambda k: (opening[k], k))
    adjust(dt.date(2026, 10, 30), low, -(opening[low] + 3), "借出", "直播间借出,数量写成了整箱")
    STOCK_PLANTED.append(Plant("库存调整", "stock-negative", "借出数量超过账面"))
    events += [(a["日期"], 6, (a["商品编码"], a["颜色"], a["尺码"]), a["数量"]) for a in adjustments[-2:]]
    # a delivery on 10-27 for the items the last days would take below zero (the loan above aside)
    book = {k: max(opening[k], 0) for k in opening}  # the book at the count
    after = sorted((e for e in events if e[0] > COUNT_DAY), key=lambda e: (e[0], e[1]))
    after += [(x["日期"], 1, (x["商品编码"], x["颜色"], x["尺码"]), x["合格数量"] + (x["不合格数量"] or 0)
               if x["不合格处理"] in (None, "残次") else x["合格数量"]) for x in inbound if x["日期"] > COUNT_DAY]
    lowest: dict = {}
    for day, _, key, qty in sorted(after, key=lambda e: (e[0], e[1])):
        book[key] = book.get(key, 0) + qty
        lowest[key] = min(lowest.get(key, 0), book[key])
    deliver(dt.date(2026, 10, 27), {k: -v for k, v in lowest.items() if v < 0 and k != low}, COUNT_DAY,
            natural=False)
    inbound.sort(key=lambda x: (x["日期"], x["入库单号"]))
    adjustments.sort(key=lambda x: (x["日期"], x["调整单号"]))
    return inbound, orders, adjustments


def write_warehouse(path: Path, inbound, orders, adjustments) -> Path:
    book = mw.Book(path)
    mw.write_table(book, "入库", mw.kind_columns("入库"), _table(inbound, mw.TEMPLATE_COLUMNS["入库"]),
                   title="2026年10月 入库登记(先检验后入库,不合格品不上架)")
    mw.write_table(book, "采购清单", mw.kind_columns("采购清单"), _table(orders, mw.TEMPLATE_COLUMNS["采购清单"]),
                   title="2026年10月 采购清单")
    mw.write_table(book, "库存调整", mw.kind_columns("库存调整"), _table(adjustments, mw.TEMPLATE_COLUMNS["库存调整"]),
                   title="2026年10月 库存调整(每笔须经批准)")
    book.close()
    return path


def september() -> tuple[Month, list[dict], list[dict]]:
    per_day = {"default": 6, dt.date(2026, 9, 9): 14, dt.date(2026, 9, 30): 9}
    m = Month(2026, 9, SEED - 1, per_day, open_last_day=False)
    r = m.rng
    for o in r.sample([o for o in m.orders if o.payment == "在线支付"], 6):
        o.paid_at = None
    m.settle()
    # a September month: everything paid has shipped by the end of the month
    for o in m.orders:
        if o.ship_date and o.ship_date > m.last:
            o.ship_date = m.last
    parcels = [parcel_row(m, o) for o in sorted((o for o in m.orders if o.ship_date), key=lambda o: o.ship_date)]
    parcels[37]["包装人"] = None
    line = next(o for o in m.orders[100:] if o.ship_date and o.flag is None).lines[0]
    line.paid = line.amount - Decimal("5.00")
    returns = make_returns(m, 16)
    return m, parcels, returns


# --- writing ------------------------------------------------------------------------------
def _table(rows: list[dict], columns: list[str]) -> list[list]:
    return [[row.get(c) for c in columns] for row in rows]


def _excel_sum(values) -> Decimal:
    """What Excel's SUM shows: numbers added, text (¥4.00 typed as text) skipped."""
    return sum((Decimal(str(v)) for v in values if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)),
               Decimal(0))


def write_ledger(path: Path, m: Month, parcels, returns, stock=None, *, title: str) -> Path:
    book = mw.Book(path)
    orows = order_rows(m.orders)
    qty = _excel_sum(v[ORDER_COLUMNS.index("数量")] for v in orows)
    paid = _excel_sum(v[ORDER_COLUMNS.index("实付金额")] for v in orows)
    mw.write_table(book, "订单", mw.kind_columns("订单"), orows, title=f"{title} 订单明细(共 {len(m.orders)} 单)",
                   total={"数量": qty, "实付金额": paid})
    fee_total = _excel_sum(p["运费"] for p in parcels)
    mw.write_table(book, "发货", mw.kind_columns("发货"), _table(parcels, SHIP_COLUMNS),
                   total={"运费": fee_total, "件数": sum(p["件数"] for p in parcels)})
    mw.write_table(book, "退换货", mw.kind_columns("退换货"), _table(returns, RETURN_COLUMNS),
                   title=f"{title} 退换货登记")
    if stock is not None:
        mw.write_table(book, "库存", mw.kind_columns("库存"), _table(stock, STOCK_COLUMNS),
                       title="库存盘点表(每周一盘点,盘点日 2026-10-26)")
    book.close()
    return path


def roster() -> list[tuple]:
    """排班: two on the early and two on the late shift each day, everyone on promotion days."""
    rows = []
    promo = {d for d, _ in PROMOTION_DAYS}
    day = dt.date(2026, 10, 1)
    while day.month == 10:
        if day in promo:
            rows += [(day, a, "全天") for a in AGENTS]
        else:
            off = AGENTS[day.toordinal() % 5]
            on = [a for a in AGENTS if a != off]
            k = day.toordinal() % 4
            on = on[k:] + on[:k]
            rows += [(day, a, "早班") for a in on[:2]] + [(day, a, "晚班") for a in on[2:]]
        day += dt.timedelta(days=1)
    return rows


# 直通车/引力魔方 spend per month (元), for the monthly workbook's ROI
PROMOTION_COSTS = (("2026-09", 2800), ("2026-10", 5200))


def build(out: Path = DEMO) -> list[Path]:
    m, parcels, returns, stock = october()
    inbound, orders, adjustments = warehouse(m, parcels, returns, stock)
    categories = [(p[0], p[4]) for p in PRODUCTS]
    paths = [write_ledger(out / "台账.xlsx", m, parcels, returns, stock, title="2026年10月"),
             mw.write_rules(out / "规则.xlsx", promotion_days=PROMOTION_DAYS, roster=roster(),
                            promotion_costs=PROMOTION_COSTS, categories=categories),
             write_warehouse(out / "仓库.xlsx", inbound, orders, adjustments)]
    sm, sparcels, sreturns = september()
    paths.append(write_ledger(out / "上月" / "台账.xlsx", sm, sparcels, sreturns, title="2026年9月"))
    return paths


def main(argv=None) -> int:
    return mw.run_cli(build, DEMO, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
