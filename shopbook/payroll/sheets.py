"""The payroll workbook's sheets: 员工, 考勤, 绩效, 个税累计, 责任金台账 (their declared columns) and
the tables a payroll reads (PayrollTables)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shopbook.reading.schema import CHOICE, DATE, ID, INT, MONEY, NUMBER, TEXT, Column, SheetKind
from shopbook.reading.tables import Table
from shopbook.rules.pay import PIECE_ALIASES
from shopbook.sheets.rewards import STAFF_ID, STAFF_NAME

YES_NO = ("是", "否")
YES_NO_SYNONYMS = {"y": "是", "yes": "是", "√": "是", "✓": "是", "1": "是", "n": "否", "no": "否", "×": "否", "0": "否"}
SEPARATE, MERGED = "单独计税", "并入工资"
BONUS_METHODS = (SEPARATE, MERGED)
BONUS_METHOD_SYNONYMS = {"单独": SEPARATE, "单独计算": SEPARATE, "并入": MERGED, "合并": MERGED, "合并计税": MERGED,
                         "并入综合所得": MERGED}

# --- sheet kinds ------------------------------------------------------------------------
EMPLOYEES = SheetKind(
    name="员工",
    sheet_aliases=("员工表", "员工信息", "员工名单", "花名册", "人员", "employees"),
    columns=(
        STAFF_ID,
        Column("姓名", ("员工姓名", "名字"), TEXT, required=True),
        Column("岗位", ("职位", "岗位名称"), TEXT, required=True),
        Column("底薪", ("基本工资", "基础工资"), MONEY, minimum=0),
        Column("身份证号", ("身份证", "身份证号码", "证件号码"), ID, required=True),
        Column("银行账号", ("银行卡号", "卡号", "账号", "工资卡号", "收款账号"), ID),
        Column("户名", ("开户名", "账户名", "收款人"), TEXT),
        Column("开户行", ("开户银行", "银行"), TEXT),
        Column("社保基数", ("缴费基数", "社保缴费基数"), MONEY, minimum=0),
        Column("公积金比例", ("公积金缴存比例",), TEXT),
        Column("专项附加扣除", ("专项附加扣除额", "附加扣除"), MONEY, minimum=0),
        Column("入职日期", ("入职时间",), DATE),
        Column("离职日期", ("离职时间",), DATE),
        # the names the shop's records use for the person (客服 旺旺名, a packer's short name), 、-separated
        Column("花名", ("昵称", "旺旺名", "客服名", "别名"), TEXT),
        # optional, for the tax rules (docs/payroll.md): the 减除费用 elections, the 专项附加扣除 by
        # category (per month, as the 个税 app reports them), a base per scheme where they differ
        Column("本年首次取得工资", ("首次取得工资", "本年首次就业"), CHOICE, choices=YES_NO, synonyms=YES_NO_SYNONYMS),
        Column("上年工资不超过6万", ("上年收入不超过6万", "上年工资不超过6万元"), CHOICE, choices=YES_NO,
               synonyms=YES_NO_SYNONYMS),
        Column("子女教育", (), MONEY, minimum=0),
        Column("婴幼儿照护", ("3岁以下婴幼儿照护",), MONEY, minimum=0),
        Column("赡养老人", (), MONEY, minimum=0),
        Column("独生子女", ("是否独生子女",), CHOICE, choices=YES_NO, synonyms=YES_NO_SYNONYMS),
        Column("住房贷款利息", ("房贷利息",), MONEY, minimum=0),
        Column("住房租金", ("房租",), MONEY, minimum=0),
        Column("继续教育", (), MONEY, minimum=0),
        Column("大病医疗", (), MONEY, minimum=0),
        Column("养老基数", ("养老保险基数",), MONEY, minimum=0),
        Column("医疗基数", ("医疗保险基数",), MONEY, minimum=0),
        Column("失业基数", ("失业保险基数",), MONEY, minimum=0),
        Column("公积金基数", ("住房公积金基数",), MONEY, minimum=0),
    ),
)

ATTENDANCE = SheetKind(
    name="考勤",
    sheet_aliases=("考勤表", "出勤", "出勤表", "attendance"),
    columns=(
        STAFF_ID,
        STAFF_NAME,
        Column("应出勤天数", ("应出勤", "应到天数"), NUMBER, required=True, minimum=0),
        Column("实出勤天数", ("实出勤", "实到天数", "出勤天数"), NUMBER, required=True, minimum=0),
        Column("迟到早退次数", ("迟到早退", "迟到次数"), INT, minimum=0),
        Column("请假次数", ("请假", "事假次数", "批准请假次数"), INT, minimum=0),  # for the 奖罚评分表
    ),
)


PERFORMANCE = SheetKind(
    name="绩效",
    sheet_aliases=("绩效表", "业绩", "计件", "绩效考核", "performance"),
    columns=(
        STAFF_ID,
        STAFF_NAME,
        Column("拣货单数", PIECE_ALIASES["拣货单数"], INT, minimum=0),
        Column("发货单数", PIECE_ALIASES["发货单数"], INT, minimum=0),
        Column("投诉处理数", PIECE_ALIASES["投诉处理数"], INT, minimum=0),
        Column("差评改好数", PIECE_ALIASES["差评改好数"], INT, minimum=0),
        Column("催评数", PIECE_ALIASES["催评数"], INT, minimum=0),
        Column("差评数", ("差评",), INT, minimum=0),
        Column("个人销售额", ("销售额", "个人业绩"), MONEY),
        Column("个人销售目标", ("销售目标", "目标"), MONEY, minimum=0),
        Column("店铺营业额", ("营业额", "全店营业额"), MONEY),
        Column("效益奖金", (), MONEY, minimum=0),
        Column("罚款", ("扣款",), TEXT),
        Column("奖励", ("奖金奖励",), MONEY, minimum=0),
        Column("仓库事故", ("仓库事故数", "事故数"), INT, minimum=0),
        Column("年终奖", ("全年一次性奖金", "年终奖金"), MONEY, minimum=0),
        Column("年终奖计税方式", ("年终奖计税",), CHOICE, choices=BONUS_METHODS, synonyms=BONUS_METHOD_SYNONYMS),
    ),
)

STAMP_COLUMNS = (
    Column("年份", ("年度", "所属年度"), INT),
    Column("截至月份", ("月份", "截至月", "所属月份"), INT),
)

TAX_YTD = SheetKind(
    name="个税累计",
    sheet_aliases=("累计个税", "个税累计表", "个税", "累计预扣"),
    columns=(
        STAFF_ID,
        STAFF_NAME,
        Column("身份证号", ("身份证", "证件号码"), ID),
        Column("累计月数", ("任职月数", "累计任职月数"), INT, minimum=0),
        Column("累计收入", ("累计收入额", "累计应发"), MONEY, required=True),
        Column("累计专项扣除", ("累计社保公积金",), MONEY),
        Column("累计专项附加扣除", (), MONEY),
        Column("累计已预扣税额", ("累计已预缴税额", "累计已扣税额", "已预扣税额"), MONEY, required=True),
        Column("年终奖单独计税", ("年终奖计税",), TEXT),
        *STAMP_COLUMNS,
    ),
)

DUTY_LEDGER = SheetKind(
    name="责任金台账",
    sheet_aliases=("责任金", "责任金明细"),
    columns=(
        STAFF_ID,
        STAFF_NAME,
        Column("季度", (), TEXT),
        Column("本季已记月数", ("已记月数",), INT, minimum=0),
        Column("无事故月数", (), INT, minimum=0),
        Column("累计责任金", ("未发责任金", "责任金余额"), MONEY, required=True, minimum=0),
        *STAMP_COLUMNS,
        Column("说明", ("备注",), TEXT),
    ),
)

KINDS = (EMPLOYEES, ATTENDANCE, PERFORMANCE, TAX_YTD, DUTY_LEDGER)

# the optional tax-rule columns (docs/payroll.md): read when present, not in the template and demo
TAX_RULE_COLUMNS = ("本年首次取得工资", "上年工资不超过6万", "子女教育", "婴幼儿照护", "赡养老人", "独生子女", "住房贷款利息",
                    "住房租金", "继续教育", "大病医疗", "养老基数", "医疗基数", "失业基数", "公积金基数", "年终奖计税方式")


@dataclass
class PayrollTables:
    """The payroll workbook's sheets; all but 员工 may be absent."""

    employees: Table
    attendance: Table | None = None
    performance: Table | None = None
    tax_ytd: Table | None = None
    duty_ledger: Table | None = None
    # counts taken from the shop's registers (客服 登记 …), long form: 姓名, 项目 (a 绩效 column),
    # 数量, 来源 (which register, for the 说明); used where 绩效 leaves the figure blank
    counted: pd.DataFrame | None = None
    # 奖罚登记 and 仓库事故 (shopbook.sheets.rewards), from this workbook or a --registers one
    rewards: Table | None = None
    incidents: Table | None = None

    def present(self) -> list[Table]:
        return [t for t in (self.employees, self.attendance, self.performance, self.tax_ytd, self.duty_ledger,
                            self.rewards, self.incidents) if t is not None]
