"""The fictional roster and accounts that ``manage.py load_demo`` creates.

Everything here is plain data; ``units.demo`` turns it into rows. All names are
invented (云山市 and its counties do not exist), but shaped like a real
municipal roster. Names repeat on purpose where the roster allows it: every
county has a 城关镇, and two townships of 青山县 each have a 新村.
"""

from dataclasses import dataclass

CITY_NAME = "云山市"
CITY_ORG_TYPE = "committee"

#: County organs (县直机关单位): (name suffix, org_type). The county's name is the
#: prefix, so "委办公室" gives 青山县委办公室 and 白石区委办公室.
COUNTY_ORGANS: list[tuple[str, str]] = [
    ("委办公室", "organ_branch"),
    ("纪委监委机关", "organ_committee"),
    ("委组织部", "organ_branch"),
    ("委宣传部", "organ_branch"),
    ("委统战部", "organ_branch"),
    ("委政法委员会", "organ_branch"),
    ("委老干部局", "organ_branch"),
    ("人大常委会机关", "leading_group"),
    ("政协机关", "leading_group"),
    ("人民政府办公室", "leading_group"),
    ("发展和改革局", "leading_group"),
    ("教育局", "leading_group"),
    ("公安局", "committee"),
    ("民政局", "leading_group"),
    ("司法局", "leading_group"),
    ("财政局", "leading_group"),
    ("人力资源和社会保障局", "leading_group"),
    ("自然资源局", "leading_group"),
    ("住房和城乡建设局", "leading_group"),
    ("交通运输局", "leading_group"),
    ("农业农村局", "leading_group"),
    ("水利局", "leading_group"),
    ("卫生健康委员会", "leading_group"),
    ("应急管理局", "leading_group"),
    ("审计局", "leading_group"),
    ("市场监督管理局", "leading_group"),
    ("退役军人事务局", "leading_group"),
]

#: County institutions (县直事业单位): (name suffix, org_type).
COUNTY_INSTITUTIONS: list[tuple[str, str]] = [
    ("融媒体中心", "branch"),
    ("疾病预防控制中心", "general_branch"),
    ("档案馆", "branch"),
    ("委党校", "branch"),
    ("供销合作社联合社", "general_branch"),
    ("农业技术推广中心", "branch"),
    ("图书馆", "branch"),
    ("不动产登记中心", "branch"),
    ("公共资源交易中心", "branch"),
    ("机关事务服务中心", "branch"),
]

#: Directly under every county: (name suffix, kind, org_type).
COUNTY_DIRECT_UNITS: list[tuple[str, str, str]] = [
    ("人民医院", "hospital", "committee"),
    ("第一中学", "school", "general_branch"),
]

#: Township stations (乡镇机关事业单位), suffixed to the township's name. A
#: township gets the first two or all three, alternately.
TOWNSHIP_STATIONS = ("农业综合服务中心", "财政所", "卫生院")
SUBDISTRICT_STATIONS = ("党群服务中心", "社区卫生服务中心", "综合行政执法队")


@dataclass(frozen=True)
class DemoCounty:
    name: str
    organ_skip: frozenset[str]  # suffixes of COUNTY_ORGANS this county leaves out
    institution_skip: frozenset[str]  # suffixes of COUNTY_INSTITUTIONS it leaves out
    townships: tuple[tuple[str, tuple[str, ...]], ...]  # (township, its villages and communities)


COUNTIES: tuple[DemoCounty, ...] = (
    DemoCounty(
        name="青山县",
        organ_skip=frozenset({"应急管理局", "审计局", "退役军人事务局", "司法局", "政协机关"}),
        institution_skip=frozenset({"不动产登记中心", "公共资源交易中心"}),
        townships=(
            ("城关镇", ("东门社区", "西门社区", "南街社区", "北关社区", "新村", "城郊村", "十里铺村")),
            ("河口镇", ("河口社区", "上河村", "下河村", "渡口村", "柳树湾村", "沙洲村")),
            (
                "石桥乡",
                ("石桥村", "新村", "田心村", "枫树村", "高坪村", "岭下村", "塘背村", "白沙村", "竹山村"),
            ),
            (
                "黄岭镇",
                ("黄岭社区", "黄岭村", "大垅村", "长冲村", "茶园村", "石门村", "金竹村", "坳上村", "松林村"),
            ),
            ("龙潭镇", ("龙潭社区", "龙潭村", "水口村", "观音桥村", "花园村", "樟树下村", "梅林村")),
            ("桃源乡", ("桃源村", "李家村", "杏花村", "洞口村", "上屋村", "中坪村")),
            ("杨家坪乡", ("杨家坪村", "万家村", "大湾村", "小湾村", "横路村")),
            (
                "马鞍山镇",
                (
                    "马鞍山社区",
                    "马鞍村",
                    "鹰嘴岩村",
                    "铁炉村",
                    "荷塘村",
                    "罗家山村",
                    "凤凰村",
                    "坪上村",
                    "新屋村",
                    "老屋村",
                    "东坑村",
                    "西坑村",
                ),
            ),
        ),
    ),
    DemoCounty(
        name="绿水县",
        organ_skip=frozenset(
            {"退役军人事务局", "委老干部局", "民政局", "应急管理局", "政协机关", "人大常委会机关"}
        ),
        institution_skip=frozenset({"图书馆", "机关事务服务中心", "档案馆", "不动产登记中心"}),
        townships=(
            (
                "城关镇",
                ("城东社区", "城西社区", "城南社区", "滨江社区", "和平村", "光明村", "五里亭村", "红旗村"),
            ),
            ("清溪镇", ("清溪社区", "清溪村", "溪口村", "竹林村", "沙坪村", "鸭塘村")),
            ("双河镇", ("双河社区", "双河村", "合水村", "河坝村", "栗木村", "樟木村", "泉水村", "石壁村")),
            (
                "莲塘乡",
                ("莲塘村", "荷叶村", "塘下村", "陈家村", "刘家村", "胡家村", "上莲村", "下莲村", "横塘村"),
            ),
            ("芦溪乡", ("芦溪村", "芦洲村", "江口村", "洲上村", "富田村")),
            ("鹤鸣镇", ("鹤鸣社区", "鹤鸣村", "仙山村", "白鹤村", "云峰村", "龙井村", "古樟村")),
            ("太平乡", ("太平村", "安乐村", "长寿村", "永兴村", "福田村", "丰收村")),
        ),
    ),
    DemoCounty(
        name="白石区",
        organ_skip=frozenset(
            {"审计局", "水利局", "人大常委会机关", "农业农村局", "委统战部", "民政局", "司法局"}
        ),
        institution_skip=frozenset({"供销合作社联合社", "农业技术推广中心", "图书馆"}),
        townships=(
            ("城关镇", ("老街社区", "新街社区", "城北村", "高桥村", "月塘村")),
            ("东风街道", ("东风社区", "红星社区", "建设路社区", "解放路社区", "工农社区", "幸福里社区")),
            (
                "人民路街道",
                (
                    "人民路社区",
                    "胜利社区",
                    "文化宫社区",
                    "火车站社区",
                    "育才社区",
                    "铁路新村社区",
                    "中山社区",
                ),
            ),
            ("白石街道", ("白石社区", "石塘社区", "石塘村", "白石村", "汪家村", "周家村")),
            (
                "湖滨街道",
                (
                    "湖滨社区",
                    "滨湖花园社区",
                    "渔业村",
                    "东湖村",
                    "西湖社区",
                    "湖心村",
                    "港口社区",
                    "柳堤社区",
                ),
            ),
            (
                "长岭镇",
                (
                    "长岭社区",
                    "长岭村",
                    "岭头村",
                    "岭背村",
                    "大塘村",
                    "小塘村",
                    "茅坪村",
                    "石坑村",
                    "坑口村",
                    "桥头村",
                    "车田村",
                ),
            ),
            ("沙河镇", ("沙河社区", "沙河村", "沙坝村", "大洲村", "小洲村", "河西村", "河东村")),
            ("牛头山乡", ("牛头山村", "牛角村", "山口村", "林场村", "茶亭村")),
        ),
    ),
)

#: Non-public enterprises and social organizations: (parent path below the
#: city, name, kind, org_type).
EXTRA_UNITS: list[tuple[tuple[str, ...], str, str, str]] = [
    (("青山县", "河口镇"), "青山县宏达建材有限公司", "enterprise", "branch"),
    (("绿水县",), "绿水县华宇纺织有限公司", "enterprise", "branch"),
    (("白石区", "湖滨街道"), "云山顺通物流有限公司", "enterprise", "branch"),
    (("白石区",), "白石区个体劳动者协会", "social_organization", "branch"),
]

#: Secretaries' names are drawn (with a seeded generator) from these.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_NAME_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌辉林海波宁鹏飞俊峰云春梅兵亮"
    "军荣新民德胜保东晓燕小龙凤永福长生金宝家正玲慧颖琴婷雪松涛浩宇晨光泽远学武立成"
)

#: Notes for the few units that carry one: villages and communities draw from
#: their own list, every other unit from the general one.
NOTES = (
    "党组织于2025年3月完成换届",
    "联系点：县委常委",
    "办公地点临时搬迁，电话可能变动",
)
VILLAGE_NOTES = (
    "2024年由两村合并组建",
    "软弱涣散党组织整顿对象（已销号）",
    "驻村第一书记由县直单位选派",
    "党组织于2025年3月完成换届",
)
VACANT_NOTE = "书记暂缺，由副书记主持工作"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    name: str
    home_unit: tuple[str, ...] | None  # path of unit names from the city down, or None
    is_superuser: bool = False


#: The accounts load_demo creates. Their passwords are published here on purpose:
#: this is why the command refuses to run when DEBUG is off.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "demo-admin-2026", "系统管理员", (CITY_NAME,), is_superuser=True),
    DemoAccount("reviewer", "demo-pass-2026", "赵雅琴", None),
    DemoAccount("leader", "demo-pass-2026", "钱立新", None),
    DemoAccount("member", "demo-pass-2026", "孙志强", (CITY_NAME, "青山县", "青山县财政局")),
    DemoAccount("member2", "demo-pass-2026", "李文涛", None),
    DemoAccount("leader2", "demo-pass-2026", "周建华", None),
    DemoAccount("leader3", "demo-pass-2026", "吴海峰", None),
    DemoAccount("member3", "demo-pass-2026", "郑晓燕", None),
    # 青山县委组织部: the county-level campaign's reviewer and inspectors.
    DemoAccount("qsreviewer", "demo-pass-2026", "何静", (CITY_NAME, "青山县", "青山县委组织部")),
    DemoAccount("qsleader", "demo-pass-2026", "冯国强", (CITY_NAME, "青山县", "青山县委组织部")),
    DemoAccount("qsleader2", "demo-pass-2026", "陈丽", (CITY_NAME, "青山县", "青山县委组织部")),
    # 青山县's liaison (被考核单位联络员) in the city's campaigns: its self-report, feedback, 整改.
    DemoAccount("qsliaison", "demo-pass-2026", "黄晓梅", (CITY_NAME, "青山县", "青山县委办公室")),
    DemoAccount("lsliaison", "demo-pass-2026", "罗永春", (CITY_NAME, "绿水县", "绿水县委办公室")),
)
