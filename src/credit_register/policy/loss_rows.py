"""The rows that price the risk in the book (policy §6a): probability of default per grade, loss
given default, and the provision matrix's default loss rate per ageing bucket.

They are defaults to be replaced: ``calibrate`` can fit the PDs on the register's own defaults,
and the provision matrix uses the register's roll rates wherever a year of history measures them.
"""

from __future__ import annotations

from credit_register.core.schema import GRADES
from credit_register.policy.param import _Param

#: one-year PD (%) per grade AAA … C: trade-credit defaults for a Chinese enterprise scale,
#: between the long-run corporate default rates of the matching bond grades and the higher
#: failure rates of unrated small buyers
_PD = (0.1, 0.2, 0.5, 1.0, 3.0, 8.0, 25.0)
#: the ageing buckets of the Ageing sheet, for the provision matrix rows
PROVISION_BUCKETS: tuple[tuple[str, str, str], ...] = (
    ("not_due", "未到期", "not due"),
    ("d1_30", "逾期1-30天", "1-30 days overdue"),
    ("d31_60", "逾期31-60天", "31-60 days overdue"),
    ("d61_90", "逾期61-90天", "61-90 days overdue"),
    ("d91_180", "逾期91-180天", "91-180 days overdue"),
    ("d181_365", "逾期181-365天", "181-365 days overdue"),
    ("over_365", "逾期365天以上", "over 365 days overdue"),
)
_PROVISION = (0.5, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0)


def _loss_params() -> list[_Param]:
    rows = [
        _Param(
            f"loss.pd.{g}",
            ("loss", "pd", g),
            "pct",
            v,
            f"{g}级客户一年违约概率（预期损失=违约概率×违约损失率×敞口）",
            f"one-year probability of default, grade {g} (EL = PD × LGD × exposure)",
            maximum=100,
        )
        for g, v in zip(GRADES, _PD, strict=True)
    ]
    rows.append(
        _Param(
            "loss.lgd",
            ("loss", "lgd"),
            "pct",
            45,
            "无担保应收账款的违约损失率（巴塞尔初级内评法高级无担保债权45%），投保部分按赔付比例扣减",
            "loss given default of unsecured trade debt (Basel foundation IRB senior unsecured "
            "45 %), reduced by insurance cover",
            maximum=100,
        )
    )
    rows += [
        _Param(
            f"loss.provision.{key}",
            ("loss", "provision_rates", n),
            "pct",
            v,
            f"减值准备矩阵默认损失率：{zh}（无足够回款历史时使用）",
            f"provision matrix default loss rate: {en} (where history cannot measure it)",
            maximum=100,
        )
        for n, ((key, zh, en), v) in enumerate(zip(PROVISION_BUCKETS, _PROVISION, strict=True))
    ]
    rows.append(
        _Param(
            "loss.forward_adjustment",
            ("loss", "forward_adjustment"),
            "pct",
            0,
            "前瞻性调整：损失率整体上调比例（经济下行时填正数）",
            "forward-looking adjustment: loss rates raised by this share (positive in a downturn)",
            minimum=-100,
        )
    )
    return rows
