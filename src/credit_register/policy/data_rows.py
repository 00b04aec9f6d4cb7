"""The rows that bound what a cell may hold (``DataLimits``): a figure too large to be meant, an
ID too long to be one. They are the Policy's so that a team with unusual data can widen them.
"""

from __future__ import annotations

from credit_register.policy.param import _Param


def _data_params() -> list[_Param]:
    return [
        _Param(
            "data.max_amount",
            ("data", "max_amount"),
            "amount",
            1e15,
            "单元格金额/数值上限（绝对值），超出视为输入错误",
            "largest figure a cell may hold (absolute value); beyond it is taken for a typo",
            minimum=1,
        ),
        _Param(
            "data.max_id_length",
            ("data", "max_id_length"),
            "chars",
            64,
            "客户编号、发票号等编号的最大长度",
            "longest customer ID, invoice number or other ID",
            minimum=1,
            maximum=1000,
            integer=True,
        ),
    ]
