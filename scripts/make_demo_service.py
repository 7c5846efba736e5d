"""Write the demo month's 客服 registers: shopbook/data/demo/客服.xlsx (评价, 投诉, 交接班, 联系记录).

    python scripts/make_demo_service.py            # after scripts/make_demo.py
    python scripts/make_demo_service.py --out DIR  # somewhere else (reads DIR/台账.xlsx when there)

October 2026 of the demo shop, keyed to the real orders and parcels of the demo ledger 台账.xlsx:
the two 售后客服 of 工资.xlsx (吴思琪, 郑凯文) follow the 中差评 and the complaints, the 客服 on the
rota (排班 of 规则.xlsx) hand over between 早班 and 晚班, and the contact log holds the reviews
chased (催评) and the 货到付款 confirmations. Seen at the demo's "now" (2026-10-31 18:00) the
registers hold the lapses `PLANTED` lists — each with the finding code or the 今日待办 list it must
produce (tests/test_today_demo.py checks every one). One seeded random.Random: a rerun writes
the same cells and, with XlsxWriter's fixed zip times, the same bytes.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_workbooks as mw  # noqa: E402
from shopbook.demo import DEMO_AS_OF  # noqa: E402
from shopbook.reading.files import open_workbook  # noqa: E402
from shopbook.rules import DEFAULT_RULES  # noqa: E402
from shopbook.sheets.validate import load_sheets  # noqa: E402

DEMO = ROOT / "shopbook" / "data" / "demo"
SEED = 20261016
AS_OF = DEMO_AS_OF
AFTER_SALES = ("吴思琪", "郑凯文")  # the 售后客服 of the demo payroll (工资.xlsx)
D = dt.datetime


@dataclass
class Plant:
    sheet: str
    expect: str  # a finding code, or list:<今日待办 list>
    what: str


PLANTED: list[Plant] = []


def plant(sheet: str, expect: str, what: str) -> None:
    PLANTED.append(Plant(sheet, expect, what))


def ledger(folder: Path):
    """The demo ledger's orders (one row per order) and parcels."""
    book = open_workbook(folder / "台账.xlsx")
    s = load_sheets(book, DEFAULT_RULES, AS_OF)
    o = s.orders.data
    orders = o[o["订单号"].notna() & ~o["订单号"].duplicated()].set_index("订单号", drop=False)
    parcels = s.shipping.data
    return orders, parcels, s.returns.data


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def follow(*contacts) -> list:
    """跟进1..4 cells from (datetime, 方式, 结果) tuples."""
    cells = []
    for k in range(4):
        cells += list(contacts[k]) if k < len(contacts) else [None, None, None]
    return cells


def review_rows(r: random.Random, orders, signed: list[tuple[str, dt.date]]) -> list[list]:
    """中差评 of the month (and a 好评 or two recorded after a chase), with their follow-ups."""
    pool = iter(signed)

    def pick(after: dt.date | None = None, before: dt.date | None = None) -> tuple[str, dt.date]:
        for no, day in pool:
            if (after is None or day >= after) and (before is None or day <= before):
                return no, day
        raise LookupError("the demo ledger has too few signed parcels")

    rows = []

    def add(no, written, kind, content, cause, who, contacts=(), nxt=None, state=None, explained=None,
            turned=None):
        rows.append([no, orders.at[no, "买家"], written, kind, content, cause, who, *follow(*contacts), nxt, state,
                     explained, turned])

    a, b = AFTER_SALES
    # turned good early in the month: the 差评改好数 of October
    for cause, content, who in (("尺码", "偏小一码,穿着勒", a), ("快递", "快递太慢了,等了五天", b),
                                ("质量", "洗了一次就起球", a), ("服务", "客服回复太慢", b),
                                ("尺码", "杯型不合适", a)):
        no, signed_on = pick(before=dt.date(2026, 10, 20))
        written = at(signed_on + days(1), 20, 15)
        first = written + dt.timedelta(hours=16)
        add(no, written, r.choice(("差评", "中评", "差评")), content, cause, who,
            [(first, "电话", "道歉,答应换货/补偿,买家同意修改"), (first + days(1), "旺旺", "提醒修改评价")],
            None, "已改好", None, (first + days(2)).date())
    # the same review entered twice, credited to both 售后客服
    dup = list(rows[0])
    dup[6] = b
    rows.append(dup)
    plant("评价", "review-credited-two-people", "同一条改好的差评登记了两行,记给两个人")
    # explained in time: a competitor's review that cannot be changed
    no, signed_on = pick(before=dt.date(2026, 10, 12))
    written = at(signed_on + days(1), 9, 40)
    add(no, written, "差评", "假货,千万别买", "恶意", a,
        [(written + dt.timedelta(hours=3), "电话", "关机"), (written + days(2), "电话", "无人接听")],
        None, "已解释", (written + days(29)).date())
    # turned good, but 改好日期 left blank: not counted in any month
    no, signed_on = pick(before=dt.date(2026, 10, 25))
    written = at(signed_on + days(2), 13, 5)
    add(no, written, "中评", "颜色和图片有差别", "质量", b,
        [(written + dt.timedelta(hours=2), "电话", "解释色差,买家同意改")], None, "已改好")
    plant("评价", "review-date-missing", "已改好没有改好日期")
    # a September review still open: its window closed on 10-27 with no explanation
    no = pick(before=dt.date(2026, 10, 6))[0]
    written = D(2026, 9, 27, 21, 30)
    add(no, written, "差评", "不好穿", "尺码", a, [(written + days(1), "电话", "买家说考虑一下")],
        D(2026, 10, 20, 15), "跟进中")
    plant("评价", "review-window-missed", "9-27 的差评修改期已过,没改好也没解释")
    # 10-01: today is the last day; the buyer cannot be reached
    no = pick(before=dt.date(2026, 10, 8))[0]
    written = D(2026, 10, 1, 22, 10)
    add(no, written, "差评", "发错颜色了", "服务", b,
        [(written + dt.timedelta(hours=12), "电话", "未接"), (written + days(3), "电话", "停机")],
        None, "无法联系")
    plant("评价", "list:即将锁定", "10-01 的差评:今天是最后一天写解释")
    # 10-02: one day left, still being followed
    no = pick(before=dt.date(2026, 10, 10))[0]
    written = D(2026, 10, 2, 19, 0)
    add(no, written, "中评", "一般般", "质量", a,
        [(written + days(1), "电话", "买家说看看再说"), (D(2026, 10, 20, 14), "电话", "答应这周改")],
        D(2026, 11, 3, 14), "跟进中")
    plant("评价", "list:即将锁定", "10-02 的中评:还剩 1 天")
    # only 旺旺, never phoned: 生效 passed
    no, signed_on = pick(after=dt.date(2026, 10, 14))
    written = at(signed_on + days(2), 11, 20)
    add(no, written, "差评", "线头多", "质量", b,
        [(written + dt.timedelta(hours=5), "旺旺", "留言道歉,买家没回")], (written + days(9)).replace(hour=10),
        "跟进中")
    plant("评价", "review-not-phoned", "差评只旺旺留言,没有打电话")
    plant("评价", "list:待联系评价", "约好的下次联系时间已过")
    # contacted but no 原因类别
    no, signed_on = pick(after=dt.date(2026, 10, 16))
    written = at(signed_on + days(1), 16, 0)
    add(no, written, "中评", "还行吧", None, a,
        [(written + dt.timedelta(hours=20), "电话", "买家说尺码有点大")], D(2026, 11, 2, 10), "跟进中")
    plant("评价", "review-reason-missing", "联系过但没写原因类别")
    # 跟进中 with no 下次联系时间
    no, signed_on = pick(after=dt.date(2026, 10, 18))
    written = at(signed_on + days(1), 10, 30)
    add(no, written, "差评", "穿了一次就开线", "质量", b,
        [(written + dt.timedelta(hours=4), "电话", "同意补发一件")], None, "跟进中")
    plant("评价", "review-next-contact-missing", "跟进中没有约下次联系时间")
    # due follow-ups: this morning (due), tonight (not yet)
    no, signed_on = pick(after=dt.date(2026, 10, 20))
    written = at(signed_on + days(1), 21, 0)
    add(no, written, "差评", "尺码标错了", "尺码", a,
        [(written + dt.timedelta(hours=14), "电话", "买家在上班,约明天上午")], D(2026, 10, 31, 10, 0), "跟进中")
    plant("评价", "list:待联系评价", "约好今天上午再联系")
    no, signed_on = pick(after=dt.date(2026, 10, 20))
    written = at(signed_on + days(1), 12, 0)
    add(no, written, "中评", "包装破了", "快递", b,
        [(written + dt.timedelta(hours=3), "电话", "买家晚上有空")], D(2026, 10, 31, 19, 30), "跟进中")
    # new reviews: yesterday's (心情: call it today), today's 差评, today's 心情 中评 (call tomorrow)
    no = pick(after=dt.date(2026, 10, 26))[0]
    add(no, D(2026, 10, 30, 22, 40), "差评", "不喜欢", "心情", a)
    plant("评价", "list:待联系评价", "昨天的心情差评:今天联系")
    no = pick(after=dt.date(2026, 10, 26))[0]
    add(no, D(2026, 10, 31, 9, 15), "差评", "收到就是坏的", None, b, state="待联系")
    plant("评价", "list:待联系评价", "今天的新差评")
    no = pick(after=dt.date(2026, 10, 26))[0]
    add(no, D(2026, 10, 31, 14, 5), "中评", "心情不好,随便给的", "心情", a, state="待联系")
    # a 好评 after a chase (recorded so the order is not chased again)
    no = pick(after=dt.date(2026, 10, 14))[0]
    add(no, D(2026, 10, 27, 10, 0), "好评", "穿着很舒服", None, None)
    return rows


def complaint_rows(r: random.Random, orders, signed: list[tuple[str, dt.date]]) -> list[list]:
    rows = []
    a, b = AFTER_SALES

    def add(no, day, kind, content, blame, who, result, closed):
        rows.append([day, no, orders.at[no, "买家"] if no in orders.index else None, kind, content, blame, who,
                     result, closed])

    done = (("质量", "文胸钢圈变形", "仓库", "补发一件新的"), ("快递", "快递员态度差", "快递", "已向快递投诉并致歉"),
            ("服务", "客服回复慢", "客服", "道歉,送优惠券"), ("发错", "发错尺码", "仓库", "换货,店铺承担运费"),
            ("质量", "睡衣掉色", "仓库", "退货退款"), ("快递", "派送延误", "快递", "催快递,买家已签收"),
            ("服务", "催付太频繁", "客服", "道歉"), ("质量", "袜子破洞", "仓库", "补发"),
            ("快递", "外包装破损", "快递", "补偿 5 元"), ("发错", "少了赠品", "仓库", "补寄赠品"))
    chosen = r.sample(signed[:120], len(done))
    for (no, day), (kind, content, blame, result) in zip(chosen, done):
        opened = min(day + days(r.randint(0, 2)), dt.date(2026, 10, 27))
        rows.append([opened, no, orders.at[no, "买家"], kind, content, blame, r.choice((a, b)), result,
                     opened + days(r.randint(0, 2))])
    rows[3][6] = None
    plant("投诉", "complaint-part-missing", "已结案的投诉没有处理人")
    late = signed[130]
    add(late[0], dt.date(2026, 10, 24), "快递", "一直显示派送中", "快递", b, None, None)
    plant("投诉", "complaint-overdue", "10-24 的投诉至今未结案")
    short = signed[135]
    add(short[0], dt.date(2026, 10, 31), "少发", "三条装只收到两条", "仓库", a, None, None)
    plant("投诉", "list:少发补发", "今天登记的少发,还没补发")
    short = signed[140]
    add(short[0], dt.date(2026, 10, 30), "少发", "少了一双袜子", "仓库", b, None, None)
    plant("投诉", "list:少发补发", "昨天的少发没有当天补发")
    dispute = signed[145]
    add(dispute[0], dt.date(2026, 10, 29), "维权", "买家在淘宝申请维权:描述不符", "客服", a, None, None)
    plant("投诉", "list:退款维权", "维权中的投诉")
    return sorted(rows, key=lambda row: row[0])


def handover_rows(roster) -> list[list]:
    """Three days of handovers between 早班 and 晚班; the 早班 of today still waiting for the 晚班."""
    on = {}
    for day, agent, shift in roster:
        on.setdefault((day, shift), []).append(agent)
    rows = []

    def add(day, shift, item, order=None, taker=None, state=None, taken=None):
        giver = on.get((day, shift), ["小美"])[0]
        rows.append([day, shift, giver, taker, item, order, state, taken])

    for day in (dt.date(2026, 10, 28), dt.date(2026, 10, 29)):
        late = on.get((day, "晚班"), ["小丽"])[0]
        early = on.get((day + days(1), "早班"), ["小美"])[0]
        add(day, "早班", "两个买家催发货,已回复明天发", None, late, "已处理", at(day, 17, 40))
        add(day, "晚班", "一单地址待买家确认,确认后改订单", None, early, "已处理", at(day + days(1), 8, 45))
    return rows


def contact_rows(r: random.Random, orders, parcels, reviewed: set, cod_orders) -> list[list]:
    """催评 for most buyers 7 days after signing (some left for today's list), and the 货到付款 calls."""
    rows = []
    signed = parcels[parcels["签收日期"].notna() & (parcels["类型"] != "补发")]
    signed = signed[~signed["订单号"].duplicated(keep="last")].sort_values(["签收日期", "订单号"])
    today = AS_OF.date()
    for no, day in zip(signed["订单号"], signed["签收日期"].dt.date):
        if no in reviewed:
            continue
        chase_on = day + days(7)
        if chase_on > today:
            continue
        window = (today - day).days <= DEFAULT_RULES.review_period_days
        if window and r.random() < 0.2:
            continue  # not chased yet: on today's 催评 list
        when = at(min(chase_on + days(r.choice((0, 0, 1))), today), r.choice((10, 11, 15, 16)), r.randint(0, 59))
        if when > AS_OF:
            continue
        result = r.choice(("买家说这两天评", "已好评", "未回复", "已评价,反馈很满意", "体验调查:尺码偏小"))
        rows.append([when, no, "催评", AFTER_SALES[r.random() < 0.45], r.choice(("旺旺", "旺旺", "短信", "电话")), result])
    for no, placed in cod_orders:
        if placed.date() == today:
            continue  # today's COD order: nobody called yet
        minutes = 50 if no == cod_orders[2][0] else r.randint(5, 25)
        rows.append([placed + dt.timedelta(minutes=minutes), no, "货到付款", r.choice(("小美", "小丽", "阿芳")), "电话",
                     "买家同意到付,已安排发货"])
    return sorted(rows, key=lambda row: (row[0], row[1]))


def build(out: Path = DEMO) -> list[Path]:
    PLANTED.clear()
    source = out if (out / "台账.xlsx").exists() else DEMO
    orders, parcels, _ = ledger(source)
    r = random.Random(SEED)
    from shopbook.rules import load_rules
    rules = load_rules(source / "规则.xlsx")[0] if (source / "规则.xlsx").exists() else DEFAULT_RULES
    roster = [(d.date() if isinstance(d, dt.datetime) else d, c, s) for d, c, s in rules.tables.get("排班").itertuples(index=False)] \
        if "排班" in rules.tables else []
    ok = parcels[parcels["签收日期"].notna() & (parcels["状态"] == "正常") & (parcels["类型"] == "正常")
                 & parcels["订单号"].isin(orders.index)]
    ok = ok[~ok["订单号"].duplicated()].sort_values(["签收日期", "订单号"])
    signed = list(zip(ok["订单号"], ok["签收日期"].dt.date))
    shuffled = signed[:]
    r.shuffle(shuffled)
    reviews = review_rows(r, orders, sorted(shuffled[:80], key=lambda x: (x[1], x[0])))
    rest = [s for s in shuffled if s[0] not in {row[0] for row in reviews}]
    complaints = complaint_rows(r, orders, rest)
    handovers = handover_rows(roster)
    a, b = AFTER_SALES
    early = [x for x in roster if x[0] == AS_OF.date() and x[2] == "早班"]
    giver = early[0][1] if early else "小丽"
    yesterday_late = [x for x in roster if x[0] == AS_OF.date() - days(1) and x[2] == "晚班"]
    late_giver = yesterday_late[0][1] if yesterday_late else "阿芳"
    open_review = reviews[-3][0]  # today's new 差评
    handovers += [
        [dt.date(2026, 10, 30), "晚班", late_giver, None, "买家要开发票,明天上午回电话", reviews[-4][0], None, None],
        [AS_OF.date(), "早班", giver, None, "新差评,买家下班后再打电话", open_review, None, None],
        [AS_OF.date(), "早班", giver, None, "少发的三条装,确认后晚班补发", complaints[-1][1] if complaints else None, None, None],
        [AS_OF.date(), "早班", giver, a, "维权订单已提交凭证,等平台回复", None, "已处理", D(2026, 10, 31, 17, 35)],
        [AS_OF.date(), "中班", giver, None, "仓库说明早到货的订单要告诉买家", None, None, None],
    ]
    plant("交接班", "handover-not-taken", "昨天晚班交接的事项今天早班结束还没人接手")
    plant("交接班", "list:交接", "今天早班交接,晚班还没接手")
    plant("交接班", "handover-shift-unknown", "班次写成 中班")
    reviewed = {row[0] for row in reviews}
    cod = orders[orders["付款方式"] == "货到付款"].sort_values("下单时间")
    cod_orders = list(zip(cod["订单号"], cod["下单时间"]))
    contacts = contact_rows(r, orders, parcels, reviewed, cod_orders)
    plant("联系记录", "list:催评", "签收 7 天以上、没评价也没催评的买家")
    plant("联系记录", "list:货到付款待联系", "今天的货到付款订单没有联系")
    titles = {"评价": "2026年10月 中差评跟进登记", "投诉": "2026年10月 投诉登记", "交接班": "客服交接班记录",
              "联系记录": "客户联系记录(催评、货到付款确认)"}
    path = mw.write_service(out / "客服.xlsx", {"评价": reviews, "投诉": complaints, "交接班": handovers,
                                              "联系记录": contacts}, titles)
    return [path]


def main(argv=None) -> int:
    return mw.run_cli(build, DEMO, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
