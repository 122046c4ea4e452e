"""The demo campaign: the four items of the seed report (000_44ba0aa45b7e73ee.txt)
with criteria of the kind organization departments write, and three groups."""

import datetime as dt

CAMPAIGN_TITLE = "2021年度党建工作年终考核"
CAMPAIGN_YEAR = 2021
PERIOD = ("2022-01-10", "2022-01-20")
SEED = 20220110
DRAW_TIME = dt.time(8, 30)  # each county's sample is drawn at 8:30 on its group's first day

# (title, full score, lead department, [(criterion, points, method), ...])
CHECKLIST = [
    (
        "落实全面从严治党主体责任",
        "40",
        "市委组织部、市纪委监委",
        [
            (
                "制定年度全面从严治党主体责任清单并结合本单位实际细化落实。未制定的扣3分，照搬照抄、未结合实际的扣1.5分。",
                "6",
                "查阅资料",
            ),
            (
                "党委（党组）专题研究全面从严治党工作不少于2次，听取下级党组织工作汇报。每少1次扣1分。",
                "6",
                "查阅会议记录",
            ),
            (
                "扎实开展党史学习教育和“我为群众办实事”实践活动，领办实事项目有台账、有成效。无台账的扣2分，成效不明显的扣1分。",
                "8",
                "查阅资料、个别走访",
            ),
            (
                "严格执行重大事项请示报告制度和民主集中制，“三重一大”事项集体决策。发现个人或少数人决定的每次扣2分。",
                "8",
                "查阅资料、个别谈话",
            ),
            ("深化政治巡察，发现问题整改到位。整改不到位的每个问题扣0.5分。", "6", "查阅资料"),
            ("村级集体经济发展有规划、有措施，薄弱村有帮扶计划。无帮扶计划的扣1分。", "6", "实地调研"),
        ],
    ),
    (
        "党的统一战线工作和民族宗教工作",
        "25",
        "市委统战部",
        [
            (
                "学习宣传贯彻《中国共产党统一战线工作条例》，各级党委（党组）履行统战主体责任。未纳入年度工作要点的扣2分。",
                "6",
                "查阅资料",
            ),
            (
                "党外代表人士队伍建设：按规定比例安排党外人士担任人大代表、政协委员。未达比例的扣2分。",
                "6",
                "查阅资料",
            ),
            ("建强行业商会等组织平台，引导民营企业参与乡村振兴。平台未实际运行的扣1分。", "6", "实地调研"),
            (
                "深入推进宗教中国化，宗教活动场所规范管理，无重大风险隐患。发现隐患未处置的每处扣2分。",
                "7",
                "实地查看、座谈了解",
            ),
        ],
    ),
    (
        "老干部工作",
        "15",
        "市委老干部局",
        [
            ("县委常委会专题研究老干部工作，纳入党建考核。未专题研究的扣2分。", "4", "查阅会议记录"),
            ("离退休干部党组织设置和活动覆盖全面，定期开展主题党日。未覆盖的扣1分。", "4", "查阅资料"),
            ("老干部政治待遇和生活待遇落实到位，信息库及时更新。信息未更新的扣1分。", "4", "个别走访"),
            ("开展“五老”宣讲等活动，发挥老干部作用。", "3", "查阅资料"),
        ],
    ),
    (
        "落实网络安全工作责任制",
        "20",
        "市委网信办",
        [
            ("制定网络安全工作责任制实施细则，纳入实绩考核。未制定的扣3分。", "5", "查阅资料"),
            (
                "开展关键信息基础设施网络安全风险排查，等级保护达标。未排查的扣2分，未达标的每个系统扣1分。",
                "6",
                "实地查看",
            ),
            ("属地网站分类管理，微信群、QQ群清理备案。未备案的扣1分。", "4", "查阅资料、抽查"),
            ("组织网络安全宣传周活动，开展专题学习。未开展的扣2分。", "5", "查阅资料"),
        ],
    ),
]

# (group name, county, leader username, member usernames, start, end)
GROUPS = [
    ("市委第五考核组", "青山县", "leader", ["member2"], "2022-01-10", "2022-01-14"),
    ("市委第六考核组", "绿水县", "leader2", ["member"], "2022-01-11", "2022-01-15"),
    ("市委第七考核组", "白石区", "leader3", ["member3"], "2022-01-12", "2022-01-16"),
]
METHODS = ["random_sampling", "document_check", "field_research", "individual_visit"]
REVIEWERS = ["reviewer"]


# The year before, closed and finalized: so the dashboard has something to compare with.
PREVIOUS_TITLE = "2020年度党建工作年终考核"
PREVIOUS_YEAR = 2020
PREVIOUS_PERIOD = ("2021-01-11", "2021-01-22")
# county → points deducted per item (in checklist order), and the group that went there
PREVIOUS_GROUPS = [
    ("市委第一考核组", "青山县", "leader", ["member2"], ("2", "0", "1", "1.5")),
    ("市委第二考核组", "绿水县", "leader2", ["member"], ("1", "0.5", "0", "0")),
    ("市委第三考核组", "白石区", "leader3", ["member3"], ("4", "2", "1", "2")),
]
PREVIOUS_LEAD = "该项工作总体落实较好，基础工作扎实。"
# Every deduction is a problem found: the problem entered beside it (its reason, as the group wrote it).
PREVIOUS_REASON = "相关工作台账不完整，部分制度执行不到位"
PREVIOUS_PROBLEM = "部分单位相关工作台账不完整，个别制度执行不到位。"
PREVIOUS_NARRATIVE = "{county}党建工作总体有序推进，各项考核项目基本落实，基层党组织建设持续加强。"
