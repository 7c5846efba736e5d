"""`shopbook picklist` — pick lists (汇总拣货单, 按单拣货单), the 缺货 list and the 拣货批次 record."""
from __future__ import annotations

from pathlib import Path

import click

from shopbook.cli.options import (as_of_option, finish, json_option, parse_as_of, rules_option,
                                  unusable_input_exits_2)

_file = click.Path(dir_okay=False)


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


@click.command(name="picklist")
@click.argument("workbook", metavar="[台账]", type=_file, required=False)
@click.option("--orders", "orders_path", type=_file, multiple=True,
              help="单独的订单工作簿(代替台账中的订单表);淘宝订单报表与宝贝报表可各给一次,按订单编号合并。")
@click.option("--stock", "stock_path", type=_file, help="单独的库存工作簿。")
@click.option("--shipping", "shipping_path", type=_file, help="单独的发货登记工作簿(已登记的订单不再拣货)。")
@click.option("--movements", "movements_path", type=_file, metavar="工作簿",
              help="仓库工作簿(入库、库存调整):可售按库存流水计算,而不是库存表填写的数量。")
@rules_option
@click.option("-o", "--output", type=_file,
              help="拣货单工作簿(默认: 订单工作簿旁的 拣货单.xlsx);已有的「拣货批次」会先读入。")
@json_option
@as_of_option
@click.option("--batch", "batch_id", metavar="批次号", help="按「拣货批次」记录原样重印这个批次。")
@click.option("--picker", metavar="姓名", help="拣货人:记入「拣货批次」的拣货人列(工资按它统计拣货单数)。")
@unusable_input_exits_2
def command(workbook, orders_path, stock_path, shipping_path, movements_path, rules_path, output, as_json, as_of,
            batch_id, picker):
    """生成拣货单: 已付款未发货的订单按付款先后整单配货,汇总拣货单按库位排序,缺货订单单独列出。

    台账含订单表和库存表(有发货表时一并读取);也可用 --orders/--stock/--shipping 分别指定。
    """
    from shopbook.picking.run import default_output, reprint_batch, run_picklist

    if batch_id:
        target = _path(output) or (default_output(_path(workbook), _path(orders_path[0] if orders_path else None))
                                  if workbook or orders_path else None)
        if target is None:
            raise click.UsageError("重印批次需要 -o 指向之前生成的拣货单工作簿(或给出订单工作簿以使用默认位置)。")
        run = reprint_batch(target, batch_id, show_progress=not as_json)
    else:
        if not workbook and not orders_path:
            raise click.UsageError("请给出台账工作簿,或用 --orders 和 --stock 指定文件。")
        orders = [Path(p) for p in orders_path]
        run = run_picklist(_path(workbook), orders=(orders if len(orders) > 1 else orders[0] if orders else None),
                           stock=_path(stock_path),
                           shipping=_path(shipping_path), rules_path=_path(rules_path), as_of=parse_as_of(as_of),
                           output=_path(output), show_progress=not as_json, movements=_path(movements_path),
                           picker=picker)
    finish(run, as_json)
