"""The courier price rules (shopbook/rules/prices.py): the built-in table, the 快递价格 sheet and
the formula, each with a small inline table."""
import numpy as np
import pandas as pd

from shopbook.rules import DEFAULT_RULES
from shopbook.rules.prices import default_price_table, fee_for_weight, parse_price_table, volumetric_grams


def test_the_built_in_table_prices_every_courier_by_zone_and_sf_by_volume_too():
    table = default_price_table()
    assert set(table["快递公司"]) == {"中通", "圆通", "韵达", "申通", "极兔", "顺丰"}
    assert set(table.loc[table["快递公司"] == "顺丰", "抛比"]) == {6000}
    assert table.loc[table["快递公司"] == "中通", "抛比"].isna().all()


def test_the_formula_is_first_weight_then_whole_steps_in_grams_and_fen():
    # 首重 1 kg 12.00 元, 续重 1 kg 2.00 元 (顺丰 江浙沪): 1.00 kg is 首重, 1.01 kg one step
    fees = fee_for_weight(np.array([500, 1000, 1010, 2000, 2001]), 1000, 1200, 1000, 200)
    assert fees.tolist() == [1200, 1200, 1400, 1400, 1600]
    # 40 × 30 × 20 cm at 抛比 6000 = 4 kg of volume
    assert volumetric_grams(np.array([400 * 300 * 200]), np.array([6000])).tolist() == [4000]


def test_a_price_sheet_row_per_courier_and_province_and_a_bad_row_is_a_finding():
    sheet = pd.DataFrame({"快递公司": ["中通", "中通"], "省份": ["浙江、上海", "火星"], "首重": [1, 1],
                          "首重价格": [3, 3], "续重单位": [1, 1], "续重单价": [1, 1]}, index=[2, 3])
    rows, findings = parse_price_table(sheet, DEFAULT_RULES)
    assert sorted(rows["province"]) == ["上海市", "浙江省"] and set(rows["first_fen"]) == {300}
    assert findings["code"].tolist() == ["price-row-invalid"]
