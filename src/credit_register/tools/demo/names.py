"""The word lists the demo draws names, places and people from, and valid Chinese company ids.

Regions (with their administrative division codes and phone area codes), trade names, industries,
surnames and given names, foreign countries (currency, rate, name stems, cities, people), our own
account managers, insurers and credit agencies. Drawn customers combine them, so a large register
reads like a real one; USCCs carry valid check characters, so validation accepts them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from credit_register.tools.demo.arrays import Array, concat

# city prefix, address prefix, administrative division code (USCC digits 3–8), phone area code
REGIONS: tuple[tuple[str, str, str, str], ...] = (
    ("上海", "上海市浦东新区", "310115", "021"),
    ("北京", "北京市朝阳区", "110105", "010"),
    ("深圳", "广东省深圳市南山区", "440305", "0755"),
    ("广州", "广东省广州市天河区", "440106", "020"),
    ("苏州", "江苏省苏州市虎丘区", "320505", "0512"),
    ("杭州", "浙江省杭州市西湖区", "330106", "0571"),
    ("宁波", "浙江省宁波市鄞州区", "330212", "0574"),
    ("南京", "江苏省南京市秦淮区", "320104", "025"),
    ("天津", "天津市滨海新区", "120116", "022"),
    ("青岛", "山东省青岛市崂山区", "370212", "0532"),
    ("武汉", "湖北省武汉市武昌区", "420106", "027"),
    ("成都", "四川省成都市武侯区", "510107", "028"),
    ("重庆", "重庆市渝北区", "500112", "023"),
    ("无锡", "江苏省无锡市新吴区", "320214", "0510"),
    ("佛山", "广东省佛山市禅城区", "440604", "0757"),
    ("厦门", "福建省厦门市湖里区", "350206", "0592"),
    ("合肥", "安徽省合肥市蜀山区", "340104", "0551"),
    ("西安", "陕西省西安市雁塔区", "610113", "029"),
    ("长沙", "湖南省长沙市岳麓区", "430104", "0731"),
    ("郑州", "河南省郑州市金水区", "410105", "0371"),
)
REGION = {r[0]: i for i, r in enumerate(REGIONS)}
ROADS = (
    "科技路",
    "工业大道",
    "人民路",
    "建设路",
    "创新大道",
    "长江路",
    "黄河路",
    "滨江大道",
    "高新路",
    "中山路",
    "解放路",
    "发展大道",
)

# trade name and its pinyin (for e-mail domains)
TRADE_NAMES: tuple[tuple[str, str], ...] = (
    ("华东", "huadong"),
    ("恒信", "hengxin"),
    ("鼎盛", "dingsheng"),
    ("金石", "jinshi"),
    ("宏达", "hongda"),
    ("远航", "yuanhang"),
    ("瑞丰", "ruifeng"),
    ("鹏远", "pengyuan"),
    ("新锐", "xinrui"),
    ("海润", "hairun"),
    ("天成", "tiancheng"),
    ("博远", "boyuan"),
    ("华信", "huaxin"),
    ("永盛", "yongsheng"),
    ("泰和", "taihe"),
    ("嘉禾", "jiahe"),
    ("汇通", "huitong"),
    ("盛世", "shengshi"),
    ("同创", "tongchuang"),
    ("德丰", "defeng"),
    ("润泽", "runze"),
    ("启航", "qihang"),
    ("昌盛", "changsheng"),
    ("鑫源", "xinyuan"),
    ("宝丰", "baofeng"),
    ("振兴", "zhenxing"),
    ("顺达", "shunda"),
    ("安泰", "antai"),
    ("通达", "tongda"),
    ("凯达", "kaida"),
    ("精诚", "jingcheng"),
    ("蓝海", "lanhai"),
    ("和信", "hexin"),
    ("广源", "guangyuan"),
    ("利华", "lihua"),
    ("金桥", "jinqiao"),
    ("东升", "dongsheng"),
    ("万通", "wantong"),
    ("众诚", "zhongcheng"),
    ("卓越", "zhuoyue"),
    ("华瑞", "huarui"),
    ("美嘉", "meijia"),
    ("天宇", "tianyu"),
    ("伟业", "weiye"),
    ("荣达", "rongda"),
    ("锦程", "jincheng"),
    ("鸿运", "hongyun"),
    ("中科", "zhongke"),
    ("粤海", "yuehai"),
    ("吴中", "wuzhong"),
    ("滨海", "binhai"),
    ("长江", "changjiang"),
    ("蜀都", "shudu"),
    ("恒通", "hengtong"),
    ("聚力", "juli"),
    ("宏图", "hongtu"),
    ("新华源", "xinhuayuan"),
    ("北辰", "beichen"),
    ("兴达", "xingda"),
    ("佳禾", "jiahe2"),
)
# industry, the word in a company name, e-mail domain suffix
INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    ("机械制造", "精密机械", "jx"),
    ("电子元器件", "电子科技", "dz"),
    ("化工", "化工", "hg"),
    ("新材料", "新材料科技", "xcl"),
    ("物流", "物流", "wl"),
    ("建材", "建材", "jc"),
    ("汽车零部件", "汽车零部件", "qp"),
    ("医疗器械", "医疗器械", "yl"),
    ("食品", "食品", "sp"),
    ("纺织", "纺织印染", "fz"),
    ("包装", "包装材料", "bz"),
    ("电气设备", "电气设备", "dq"),
    ("家用电器", "电器", "jd"),
    ("光伏", "光伏科技", "gf"),
    ("模具", "模具", "mj"),
)
INDUSTRY = {r[0]: i for i, r in enumerate(INDUSTRIES)}
SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司")
SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐")
GIVEN_NAMES = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "建华",
    "国强",
    "志明",
    "海燕",
    "晓东",
    "文",
    "斌",
    "鹏",
    "辉",
    "宇",
)
MAILBOXES = ("finance", "caiwu", "ar", "info", "purchase")

# country, currency, CNY per unit at the as-of date, name stems (display, ascii), business
# words, legal form, cities, street, phone prefix, mail domain suffix, people
FOREIGN: tuple[tuple[Any, ...], ...] = (
    (
        "DE",
        "EUR",
        8.2150,
        (
            ("Müller", "mueller"),
            ("Schneider", "schneider"),
            ("Becker", "becker"),
            ("Hoffmann", "hoffmann"),
            ("Wagner", "wagner"),
        ),
        ("Präzisionstechnik", "Maschinenbau", "Antriebstechnik", "Elektronik"),
        "GmbH",
        ("80802 München", "70173 Stuttgart", "20095 Hamburg"),
        "Industriestraße",
        "+49 89 ",
        "de",
        ("Hans Müller", "Petra Schneider", "Klaus Becker", "Andrea Wagner"),
    ),
    (
        "US",
        "USD",
        7.1285,
        (
            ("Great Lakes", "greatlakes"),
            ("Pacific Rim", "pacificrim"),
            ("Lone Star", "lonestar"),
            ("Summit", "summit"),
            ("Bay Area", "bayarea"),
        ),
        ("Industrial Supply", "Trading", "Components", "Manufacturing"),
        "Inc.",
        ("Chicago, IL 60601", "Houston, TX 77002", "San Jose, CA 95113"),
        "Commerce Drive",
        "+1 312 ",
        "com",
        ("John Carter", "Mary Johnson", "Robert Lee", "Linda Davis"),
    ),
    (
        "SG",
        "SGD",
        5.5120,
        (
            ("Lion City", "lioncity"),
            ("Marina", "marina"),
            ("Straits", "straits"),
            ("Orchid", "orchid"),
            ("Raffles", "raffles"),
        ),
        ("Components", "Electronics", "Logistics", "Trading"),
        "Pte. Ltd.",
        ("Singapore 609434", "Singapore 018989"),
        "Jurong Port Road",
        "+65 6",
        "com.sg",
        ("Tan Wei Ming", "Lim Mei Ling", "Ng Boon Keat"),
    ),
    (
        "JP",
        "JPY",
        0.0468,
        (
            ("Tanaka", "tanaka"),
            ("Suzuki", "suzuki"),
            ("Yamamoto", "yamamoto"),
            ("Sato", "sato"),
            ("Kobayashi", "kobayashi"),
        ),
        ("Seiki", "Denki", "Kogyo", "Shoji"),
        "Co., Ltd.",
        ("Osaka 530-0001", "Nagoya 450-0002", "Yokohama 220-0012"),
        "Chuo",
        "+81 6 ",
        "co.jp",
        ("Tanaka Hiroshi", "Suzuki Yuki", "Sato Kenji"),
    ),
)
COUNTRY = {r[0]: i for i, r in enumerate(FOREIGN)}

ACCOUNT_MANAGERS: tuple[tuple[str, str], ...] = (
    ("张伟", "zhang.wei"),
    ("李娜", "li.na"),
    ("王磊", "wang.lei"),
    ("刘洋", "liu.yang"),
    ("陈静", "chen.jing"),
    ("杨帆", "yang.fan"),
    ("赵敏", "zhao.min"),
    ("周杰", "zhou.jie"),
)
OUR_DOMAIN = "hengyuan-demo.cn"
INSURERS = (
    "中国出口信用保险公司",
    "中国人民财产保险股份有限公司",
    "中国平安财产保险股份有限公司",
    "中国太平洋财产保险股份有限公司",
)
# agency, score_max; the last one is for foreign customers
AGENCIES: tuple[tuple[str, float], ...] = (
    ("企查查", 100.0),
    ("天眼查", 100.0),
    ("启信宝", 100.0),
    ("中诚信", 1000.0),
    ("Dun & Bradstreet", 100.0),
)
AGENCY_GRADES = ("CCC", "B", "BB", "BBB", "A", "AA", "AAA")


# --------------------------------------------------------------------------- company ids


def _org_code_check(body: Array) -> Array:
    """GB 11714 check character of an 8-character organisation code body (digits here)."""
    weights = np.array([3, 7, 9, 10, 5, 8, 4, 2])
    remainder = 11 - (body * weights).sum(axis=1) % 11
    return np.where(remainder == 10, "X", np.where(remainder == 11, "0", remainder.astype(str)))


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])


def usccs(rng: np.random.Generator, region_codes: Array) -> Array:
    """Valid 18-character USCCs (GB 32100-2015): 9 (market regulator), 1 (enterprise), the
    region code, a GB 11714 organisation code with its own check, and the final check."""
    n = len(region_codes)
    body = rng.integers(0, 10, size=(n, 8))
    body[:, 0] = rng.integers(1, 10, size=n)  # organisation codes do not start with 0
    org_check = _org_code_check(body)
    first17 = concat("91", region_codes, *[body[:, i].astype(str) for i in range(8)], org_check)
    # the 17 characters as bytes, mapped to their values through a lookup table
    raw = np.frombuffer("".join(first17.tolist()).encode("ascii"), dtype=np.uint8)
    lookup = np.zeros(128, dtype=np.int64)
    lookup[np.frombuffer(_USCC_ALPHABET.encode("ascii"), dtype=np.uint8)] = np.arange(31)
    values = lookup[raw].reshape(n, 17)
    check = (31 - (values * _USCC_WEIGHTS).sum(axis=1) % 31) % 31
    return concat(first17, np.array(list(_USCC_ALPHABET), dtype=object)[check])
