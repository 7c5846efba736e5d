"""`shopbook month` — the manager's monthly workbook (月报, SPEC §Monthly workbook), and its demo step."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from shopbook.cli import _as_of, as_of_option, finish, json_option, rules_option, unusable_input_exits_2
from shopbook.cli.payroll import _month  # YYYY-MM, parsed as payroll parses it


def _cost(ctx, param, value):
    if value is None:
        return None
    from shopbook.reading.cells import decimal_to_fen
    fen = decimal_to_fen(value.replace(",", "").replace("¥", "").strip())
    if fen is None or fen < 0:
        raise click.BadParameter(f"无法识别的金额 {value!r},请写成 12000 或 12000.50")
    return fen


@click.command(name="month")
@click.option("--month", required=True, metavar="YYYY-MM", callback=_month,
              help="月份,如 2026-10:按付款时间(货到付款按下单时间)统计这个月的订单。")
@click.option("--in", "folder", required=True, type=click.Path(file_okay=False),
              help="本月各工作簿所在的文件夹(订单、发货、退换货、库存、快递账单、工资,有哪个用哪个)。")
@click.option("--previous", type=click.Path(file_okay=False),
              help="上月的文件夹,用于对比(默认: --in 文件夹里的「上月」子文件夹,若有)。")
@rules_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="月报工作簿(默认: 当前目录的 月报-YYYY-MM.xlsx)。")
@click.option("--promotion-cost", callback=_cost, metavar="元",
              help="本月推广费用(元),用于计算 ROI;不给则取规则工作簿的「推广费用」。")
@as_of_option
@json_option
@unusable_input_exits_2
def command(month, folder, previous, rules_path, output, promotion_cost, as_of, as_json):
    """生成运营经理的月报工作簿:概览、客服业绩、客服日报、退换货分析、库存预警、快递对账、工资汇总(含图表)。

    退出码: 0 已生成;1 已生成但有需要处理的问题(某个工作簿无法使用、订单缺金额、活动日没有排班);
    2 输入无法使用(文件夹不存在、没有订单表)。
    """
    from shopbook.monthly.run import run_month
    run = run_month(Path(folder), month, rules_path and Path(rules_path), _as_of(as_of) if as_of else None,
                    previous=previous and Path(previous), output=output and Path(output), cost=promotion_cost,
                    show_progress=not as_json)
    finish(run, as_json, report=run.text)


def demo_step(src: Path, out_dir: Path, rules: Path | None, as_of: dt.datetime, echo) -> None:
    """The month of the demo data (the month of as_of) with its 上月 folder -> 月报-YYYY-MM.xlsx."""
    from shopbook.monthly.job import PUBLIC
    from shopbook.monthly.run import job_label, run_month
    month = dt.date(as_of.year, as_of.month, 1)
    run = run_month(src, month, rules, as_of, output=out_dir / f"月报-{job_label(month)}.xlsx")
    f = run.report.figures
    errors = int((run.findings["severity"] == "error").sum()) if len(run.findings) else 0
    agents = [a for a in run.report.agents["客服"] if a != PUBLIC]
    reviews = run.report.reviews
    improved = "" if reviews is None else \
        f"好评改善 {len(reviews)} 人(差评 {int(reviews['差评数'].sum())},改好 {int(reviews['差评改好数'].sum())});"
    echo(f"月报 {job_label(month)}: {f['orders']} 单,销售额 {f['sales'] / 100:,.2f} 元,"
         f"{len(agents)} 位客服 + 公共订单;{improved}需处理 {errors} 项 -> {run.written}")
