"""The demo branch's people: who they are, their posts, groups and seats (data only).

The seed: "局黨支部書記、局長" — the director is the secretary; "支部委員、計劃管理科科長劉先來"
— the planning section chief is a committee member. The other names are invented.
"""

import datetime as dt

BRANCH_NAME = "县科技局机关党支部"
BRANCH_FOUNDED = dt.date(1984, 7, 1)
GROUPS = ("第一党小组（业务股室）", "第二党小组（综合股室）")

# (name, gender, birth yyyymmdd, joined, post, group index, seat, duties, demo account)
# seat: "secretary" / "deputy" / "member" / "" ; account: a username of keguan.core.demo.
MEMBERS = [
    (
        "张国华",
        "male",
        "19660312",
        dt.date(1990, 6, 28),
        "局长",
        0,
        "secretary",
        "主持支部全面工作",
        "leader",
    ),
    (
        "周志红",
        "female",
        "19720518",
        dt.date(1995, 7, 1),
        "办公室主任",
        1,
        "deputy",
        "组织、宣传",
        "secretary",
    ),
    (
        "刘先来",
        "male",
        "19700905",
        dt.date(1993, 5, 4),
        "计划股股长",
        0,
        "member",
        "纪检、党风廉政建设",
        "officer",
    ),
    ("王晓明", "male", "19880214", dt.date(2012, 7, 1), "计划股科员", 0, "", "", "member"),
    (
        "李秀英",
        "female",
        "19750821",
        dt.date(1998, 6, 30),
        "副局长",
        0,
        "member",
        "青年、群团工作",
        "",
    ),
    ("陈建平", "male", "19681102", dt.date(1992, 10, 1), "副局长", 1, "", "", ""),
    ("杨丽华", "female", "19800430", dt.date(2004, 6, 25), "财务会计", 1, "", "", ""),
    ("赵永强", "male", "19770715", dt.date(2001, 7, 1), "成果股股长", 0, "", "", ""),
    ("黄春梅", "female", "19830309", dt.date(2008, 12, 26), "知识产权股科员", 0, "", "", ""),
    ("吴志刚", "male", "19650128", dt.date(1988, 11, 7), "主任科员", 1, "", "", ""),
    ("徐芳", "female", "19900606", dt.date(2015, 6, 18), "农村科技股科员", 0, "", "", ""),
    ("孙伟", "male", "19851017", dt.date(2010, 7, 1), "生产力促进中心主任", 0, "", "", ""),
    ("胡美玲", "female", "19780223", dt.date(2003, 3, 8), "档案管理员", 1, "", "", ""),
    ("朱立新", "male", "19621209", dt.date(1985, 5, 20), "调研员", 1, "", "", ""),
]
# A probationary member: joined ten months before the demo's day, full membership due in two.
PROBATIONARY = ("林晓燕", "female", "19960711", "农村科技股科员", 0)
# A member who became full through the branch's decision a year and a half ago.
ADMITTED = ("郭志远", "male", "19930325", "成果股科员", 0)
# A member transferred out last year.
TRANSFERRED = (
    "何建军",
    "male",
    "19740417",
    dt.date(1999, 7, 1),
    "原计划股科员",
    "上饶市科技局机关党支部",
)

# Monthly income (yuan) by post kind; the demo adds a little variation by month.
INCOME_BY_POST = {
    "局长": 7800,
    "副局长": 6900,
    "调研员": 6500,
    "主任科员": 5600,
    "办公室主任": 5200,
    "股长": 4900,
    "主任": 4800,
}
DEFAULT_INCOME = 3600
