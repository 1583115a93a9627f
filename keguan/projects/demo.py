"""The demo county's projects: the seed's history of 2006–2011 and a living current year.

The seed (the bureau's own account) counts, from 2006 on: 7 national projects (2 of the
agricultural achievement transformation fund, 2 of the SME innovation fund, 1 innovation
service platform, 2 Spark), 61 provincial and municipal ones (one 富民强县), more than
5,000,000 yuan (“500多万元”) obtained from municipal level and above, and an S&T budget
that grew from 160,000 yuan in 2006 to 650,000 yuan in 2011. HISTORY and COUNTY_HISTORY
below are that record, project by project; their granted amounts add up to 5,270,000 yuan.

Everything goes through the services and workflows, as real work would, so the audit chain
is a real one. Past rounds are imports of paper records: keguan takes applications only
while a call is open, so each past call is created open now, every application goes in and
through the workflows as it went on paper, and then `backdate_call_for_import` gives the
call its historical window, with its own audit event; that service also moves the round's
submitted, decided and signed times into and after the window. Progress reports keep the
moment of the import; call years, project years, planned dates and payment dates are the
historical ones. The current year is live: its calls opened this
year, two are still open, the closed ones were closed with `update_call`.

Loading is idempotent: a round whose call exists is skipped whole, and each section runs in
one transaction, so a second run adds nothing. (Run again in a later year, it adds that
year's live round.)
"""

import datetime as dt
import zlib
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from keguan.accounts import services as accounts
from keguan.accounts.models import Bureau, Organization, User
from keguan.accounts.roles import Role
from keguan.accounts.workflow import ORGANIZATION_WORKFLOW
from keguan.audit.context import acting_as
from keguan.core.demo import COUNTY, DEMO_PASSWORD, DemoAccount, demo_uscc
from keguan.funds import services as funds
from keguan.funds.models import Fund
from keguan.notifications.models import Notification
from keguan.notifications.services import mark_read
from keguan.projects import services
from keguan.projects.models import Application, Call, Candidate, Maturity, Program, Project
from keguan.projects.workflow import (
    APPLICATION_WORKFLOW,
    CALL_WORKFLOW,
    CANDIDATE_WORKFLOW,
    PROJECT_WORKFLOW,
)

A, P, L, K = Application.State, Project.State, Bureau.Level, Organization.Kind
WAN = Decimal("10000")
FIRST_YEAR, LAST_YEAR = 2006, 2011

# Units the seed names or implies beyond keguan.core.demo's twelve: the demonstration bases
# (文成优质果菜, 岩瑞信木柚, 双明冷水茭白, 四股桥小西瓜), the extension centre, two firms.
# (key, name, kind, registration prefix, township, contact, phone)
NEW_ORGANIZATIONS = [
    ("wencheng", "文成优质果菜专业合作社", K.COOPERATIVE, "93", "文成镇", "程国平", "15979300101"),
    ("pomelo", "岩瑞信木柚专业合作社", K.COOPERATIVE, "93", "岩瑞镇", "余德华", "15979300102"),
    (
        "watermelon",
        "四股桥小西瓜专业合作社",
        K.COOPERATIVE,
        "93",
        "四股桥乡",
        "邹小平",
        "15979300103",
    ),
    ("agritech", "县农业技术推广中心", K.DEPARTMENT, "12", "玉亭镇", "张志勇", "15979300104"),
    ("fishery", "县鄱湖水产科技有限公司", K.ENTERPRISE, "91", "瑞洪镇", "占春生", "15979300105"),
    ("machinery", "县精工机械制造有限公司", K.ENTERPRISE, "91", "玉亭镇", "江卫东", "15979300106"),
    ("town", "双明镇人民政府", K.TOWNSHIP, "11", "双明镇", "黄志坚", "15979300107"),
]
TOWNSHIPS = {
    "switchgear": "玉亭镇",
    "rice": "四股桥乡",
    "sanqing": "玉亭镇",
    "feldspar": "黄金埠镇",
    "productivity": "玉亭镇",
    "sigugiao": "四股桥乡",
    "shuangming": "双明镇",
}
# Sector (what the task book promises), field, GB/T 13745 discipline code.
PROFILES = {
    "switchgear": ("industry", "电气自动化", "47040"),
    "rice": ("farming", "作物育种与栽培", "21040"),
    "sanqing": ("industry", "食品加工", "55020"),
    "feldspar": ("industry", "矿产资源综合利用", "44020"),
    "productivity": ("service", "科技服务", "63020"),
    "sigugiao": ("farming", "作物栽培", "21040"),
    "shuangming": ("farming", "蔬菜栽培", "21050"),
    "wencheng": ("farming", "蔬菜栽培", "21050"),
    "pomelo": ("farming", "果树栽培", "21050"),
    "watermelon": ("farming", "瓜类栽培", "21050"),
    "agritech": ("farming", "农业技术推广", "21010"),
    "fishery": ("farming", "水产养殖", "24020"),
    "machinery": ("industry", "机械制造", "46020"),
    "town": ("farming", "蔬菜栽培", "21050"),
}
# Project teams: name, sex, birth date, professional title; the first usually leads.
PEOPLE = {
    "switchgear": [
        ("王建国", "M", "19680312", "高级工程师"),
        ("刘志强", "M", "19750621", "工程师"),
        ("陈晓东", "M", "19820915", "助理工程师"),
    ],
    "rice": [
        ("杨玉梁", "M", "19580920", "高级农艺师"),
        ("吴秀兰", "F", "19700403", "农艺师"),
        ("周海军", "M", "19800118", "助理农艺师"),
    ],
    "sanqing": [("陈清", "M", "19690515", "工程师"), ("黄丽萍", "F", "19780826", "食品工程师")],
    "feldspar": [("赵石", "M", "19650708", "高级工程师"), ("孙立新", "M", "19760219", "工程师")],
    "productivity": [("钱进", "M", "19660301", "高级工程师"), ("徐敏", "F", "19790612", "经济师")],
    "sigugiao": [("冯建华", "M", "19710405", "农艺师"), ("李春梅", "F", "19830722", "助理农艺师")],
    "shuangming": [("褚明亮", "M", "19720810", "农艺师"), ("方小燕", "F", "19810203", "技术员")],
    "wencheng": [("程国平", "M", "19670925", "农艺师"), ("程丽", "F", "19850512", "技术员")],
    "pomelo": [("余德华", "M", "19630617", "高级农艺师"), ("余建军", "M", "19780304", "技术员")],
    "watermelon": [("邹小平", "M", "19740127", "农艺师"), ("邹红英", "F", "19800909", "技术员")],
    "agritech": [
        ("张志勇", "M", "19640822", "农业技术推广研究员"),
        ("胡晓玲", "F", "19770430", "高级农艺师"),
        ("叶小军", "M", "19860317", "农艺师"),
    ],
    "fishery": [
        ("占春生", "M", "19691103", "水产工程师"),
        ("占丽华", "F", "19820228", "助理工程师"),
    ],
    "machinery": [("江卫东", "M", "19710714", "工程师"), ("彭伟", "M", "19840506", "助理工程师")],
    "town": [("黄志坚", "M", "19690819", "农艺师"), ("吴芳", "F", "19870221", "技术员")],
}
# The universities and institutes the seed says the firms work with (产学研合作).
PARTNERS = {
    "switchgear": ("顾振华", "M", "19620311", "教授", "华东理工大学", "310104"),
    "rice": ("邓志刚", "M", "19600802", "教授", "南昌大学", "360102"),
    "sanqing": ("熊燕", "F", "19730918", "副教授", "南昌大学", "360102"),
    "feldspar": ("秦磊", "M", "19740523", "副研究员", "清华大学", "110108"),
    "pomelo": ("周林", "M", "19650105", "研究员", "中国林业科学研究院", "110108"),
}

# key: name, level, running body, still running today.
PROGRAMS = {
    "spark": ("星火计划", L.NATIONAL, "科学技术部", False),
    "agri": ("农业科技成果转化资金", L.NATIONAL, "科学技术部", False),
    "innofund": ("科技型中小企业技术创新基金", L.NATIONAL, "科学技术部", False),
    "platform": ("科技创新基金服务平台建设", L.NATIONAL, "科学技术部", False),
    "fmqx": ("科技富民强县专项行动计划", L.PROVINCIAL, "江西省科学技术厅、江西省财政厅", False),
    "jx_spark": ("江西省星火计划", L.PROVINCIAL, "江西省科学技术厅", False),
    "jx_support": ("江西省科技支撑计划", L.PROVINCIAL, "江西省科学技术厅", False),
    "jx_product": ("江西省重点新产品计划", L.PROVINCIAL, "江西省科学技术厅", False),
    "jx_ppc": ("江西省生产力促进中心建设专项", L.PROVINCIAL, "江西省科学技术厅", False),
    "jx_rd": ("江西省重点研发计划", L.PROVINCIAL, "江西省科学技术厅", True),
    "sr_plan": ("上饶市科技计划", L.MUNICIPAL, "上饶市科学技术局", True),
    "county_plan": ("余干县科技计划", L.COUNTY, "余干县科学技术局", True),
    "county_sme": ("余干县中小企业科技创新基金", L.COUNTY, "余干县科学技术局", True),
    "county_patent": ("余干县专利申请补偿基金", L.COUNTY, "余干县科学技术局", True),
}
CEILING = {L.NATIONAL: 1_000_000, L.PROVINCIAL: 600_000, L.MUNICIPAL: 200_000, L.COUNTY: 300_000}
# The fund each county program pays from.
FUND_OF = {
    "county_plan": Fund.Kind.SCIENCE_BUDGET,
    "county_sme": Fund.Kind.SME_INNOVATION,
    "county_patent": Fund.Kind.PATENT_COMPENSATION,
}
# Yearly funds in 万元: the S&T budget (科技三项费) from 16 (2006) to 65 (2011) as the seed
# says; the SME innovation fund and the patent compensation fund it says were set up.
FUNDS = {
    Fund.Kind.SCIENCE_BUDGET: {2006: 16, 2007: 20, 2008: 28, 2009: 35, 2010: 50, 2011: 65},
    Fund.Kind.SME_INNOVATION: {2008: 10, 2009: 15, 2010: 20, 2011: 30},
    Fund.Kind.PATENT_COMPENSATION: {2009: 3, 2010: 5, 2011: 5},
}
FUND_NAMES = {
    Fund.Kind.SCIENCE_BUDGET: "科技三项费",
    Fund.Kind.SME_INNOVATION: "中小企业科技创新基金",
    Fund.Kind.PATENT_COMPENSATION: "专利申请补偿基金",
}
# This year and the three before, by distance from the current year.
RECENT_FUNDS = {
    Fund.Kind.SCIENCE_BUDGET: {-3: 120, -2: 130, -1: 150, 0: 180},
    Fund.Kind.SME_INNOVATION: {-3: 50, -2: 50, -1: 50, 0: 60},
    Fund.Kind.PATENT_COMPENSATION: {-3: 15, -2: 15, -1: 20, 0: 20},
}

# Applications recommended upward, 2006–2011: year, program, unit, 万元 (granted, or asked
# for when the higher body said no), ok/no, title.
HISTORY = """
2006 spark      rice         15 ok 特种水稻优质高产栽培技术示范
2006 spark      feldspar     20 no 长石矿绿色开采技术示范
2006 jx_spark   sigugiao      5 ok 紫宝香糯标准化种植技术示范
2006 jx_support switchgear    8 ok 小型水电站微机励磁控制技术研究
2006 sr_plan    switchgear    3 ok 发电机组并网控制装置研制
2006 sr_plan    rice          3 ok 香糯稻种子提纯复壮技术研究
2006 sr_plan    sanqing       2 ok 绿色食品保鲜工艺改进
2006 sr_plan    feldspar      2 ok 长石粉体分级技术研究
2006 sr_plan    sigugiao      2 ok 水稻病虫害综合防治技术推广
2007 agri       rice         45 ok 含维A紫宝香糯水稻新品种中试与示范
2007 jx_spark   shuangming    5 ok 冷水茭白反季节栽培技术示范
2007 jx_product switchgear    6 ok GM-N型发电机微电脑控制器新产品开发
2007 jx_support rice          8 ok 特种水稻种质资源收集与评价
2007 jx_support sanqing      10 no 绿色食品加工废水处理技术研究
2007 sr_plan    productivity  2 ok 企业技术需求调查与信息服务
2007 sr_plan    shuangming    3 ok 茭白田套养泥鳅技术示范
2007 sr_plan    wencheng      3 ok 大棚蔬菜滴灌施肥技术示范
2007 sr_plan    sanqing       3 ok 米制休闲食品加工工艺研究
2007 sr_plan    feldspar      3 ok 陶瓷级长石原料标准化生产
2008 innofund   switchgear   60 ok GM-N型发电机微电脑控制器
2008 agri       sigugiao     40 no 紫宝香糯订单生产成果转化
2008 jx_spark   wencheng      5 ok 优质果菜无公害生产技术示范
2008 jx_support feldspar      6 ok 长石矿选矿工艺优化研究
2008 jx_ppc     productivity  5 ok 县生产力促进中心服务能力建设
2008 sr_plan    switchgear    3 ok 低压配电柜智能监控模块研制
2008 sr_plan    rice          3 ok 特种稻米深加工技术研究
2008 sr_plan    pomelo        2 ok 信木柚病虫害绿色防控技术
2008 sr_plan    watermelon    2 ok 小西瓜嫁接育苗技术推广
2008 sr_plan    fishery       3 ok 河蟹生态养殖技术示范
2008 sr_plan    machinery     3 ok 数控加工工艺改进
2008 sr_plan    agritech      2 ok 测土配方施肥技术推广
2009 platform   productivity 30 ok 县中小企业技术创新公共服务平台建设
2009 spark      sanqing      10 ok 无公害绿色食品精深加工技术示范
2009 innofund   machinery    60 no 小型水轮发电机组成套设备开发
2009 jx_spark   pomelo        5 ok 信木柚高接换种与提质增效技术示范
2009 jx_spark   watermelon    4 ok 小西瓜早熟栽培技术示范
2009 jx_product sanqing       4 ok 绿色富硒米粉新产品开发
2009 jx_support rice          8 ok 紫宝香糯分子标记辅助育种
2009 sr_plan    sigugiao      3 ok 紫宝香糯订单生产技术服务体系建设
2009 sr_plan    shuangming    3 ok 冷水茭白保鲜贮藏技术研究
2009 sr_plan    wencheng      3 ok 果菜产品质量安全追溯技术示范
2009 sr_plan    switchgear    4 ok 水电站远程监控系统研制
2009 sr_plan    feldspar      3 ok 长石尾矿综合利用技术研究
2009 sr_plan    sanqing       3 ok 有机大米生产技术规程制定与示范
2009 sr_plan    agritech      2 ok 双季稻高产栽培技术集成示范
2010 agri       shuangming   40 ok 冷水茭白高效栽培技术成果转化
2010 fmqx       agritech     50 ok 特种水稻与冷水茭白科技富民强县专项行动
2010 jx_spark   fishery       5 ok 鄱阳湖大水面生态养殖技术示范
2010 jx_support machinery     6 ok 水轮发电机组自动化装配生产线研制
2010 jx_product feldspar      8 no 高白度长石粉新产品开发
2010 jx_ppc     productivity  4 ok 科技中介服务体系建设
2010 sr_plan    rice          4 ok 耐高温香糯新品系选育
2010 sr_plan    pomelo        3 ok 信木柚贮藏保鲜技术研究
2010 sr_plan    watermelon    3 ok 小西瓜设施栽培技术集成
2010 sr_plan    fishery       4 ok 鳜鱼人工繁育技术研究
2010 sr_plan    machinery     3 ok 小型水轮机叶片加工新工艺
2010 sr_plan    productivity  2 ok 科技成果转化信息服务
2010 sr_plan    town          3 ok 茭白种植废弃物资源化利用
2010 sr_plan    switchgear    4 ok 发电机微机保护装置研制
2011 innofund   feldspar     50 ok 优质长石精细提纯与超细加工技术
2011 agri       rice         50 no 特种水稻新品种成果转化与示范
2011 jx_spark   town          5 ok 冷水茭白标准化基地建设示范
2011 jx_spark   agritech      4 ok 农作物新品种引进与示范推广
2011 jx_product switchgear    5 ok 智能型低压开关柜新产品开发
2011 jx_support rice          8 ok 含维A紫宝香糯高产高效栽培技术集成
2011 sr_plan    sanqing       4 ok 绿色食品生产基地物联网监测
2011 sr_plan    feldspar      4 ok 长石精粉除铁新工艺研究
2011 sr_plan    wencheng      3 ok 优质果菜品种筛选与示范
2011 sr_plan    pomelo        4 ok 信木柚果汁饮料加工技术
2011 sr_plan    fishery       3 ok 鄱阳湖银鱼增殖技术研究
2011 sr_plan    machinery     3 ok 农机具关键部件热处理工艺
2011 sr_plan    agritech      3 ok 稻田综合种养技术示范
2011 sr_plan    sigugiao      3 ok 特种水稻机械化插秧技术推广
2011 sr_plan    shuangming    3 ok 冷水茭白新品种引进筛选
"""

# The county's own rounds, paid from its funds: 万元 decided (ok) or asked for (no).
COUNTY_HISTORY = """
2006 county_plan   rice          3   ok 香糯稻田间管理技术培训与示范
2006 county_plan   shuangming    3   ok 冷水茭白种苗繁育技术研究
2006 county_plan   sigugiao      2   ok 稻鸭共育技术试验示范
2006 county_plan   sanqing       2   ok 糯米酒发酵工艺改进
2007 county_plan   feldspar      4   ok 长石原矿快速检测方法研究
2007 county_plan   switchgear    3   ok 开关柜防凝露装置研制
2007 county_plan   wencheng      3   ok 辣椒新品种引种试验
2007 county_plan   watermelon    2   ok 小西瓜品种比较试验
2008 county_plan   pomelo        5   ok 信木柚人工授粉技术研究
2008 county_plan   rice          4   ok 紫宝香糯提纯复壮技术
2008 county_plan   agritech      3   ok 水稻旱育抛秧技术推广
2008 county_plan   fishery       3   ok 池塘微孔增氧技术示范
2008 county_plan   sigugiao      2   ok 香糯稻秸秆还田技术示范
2008 county_sme    switchgear    5   ok GM-N型控制器批量生产工艺改进
2009 county_plan   machinery     6   ok 碾米机关键部件改进
2009 county_plan   shuangming    5   ok 茭白田间病害防治技术
2009 county_plan   wencheng      4   ok 蔬菜穴盘育苗技术示范
2009 county_plan   sanqing       3   ok 米粉生产线节能改造
2009 county_plan   productivity  3   ok 企业科技特派员服务
2009 county_plan   feldspar      5   no 长石矿山复垦技术研究
2009 county_sme    machinery     8   ok 小型水轮机铸件加工工艺改进
2009 county_patent switchgear    0.5 ok 发明专利申请补偿:发电机微电脑控制装置
2009 county_patent rice          0.3 ok 发明专利申请补偿:香糯稻种子处理方法
2010 county_plan   switchgear    8   ok 电气开关产品检测平台建设
2010 county_plan   rice          6   ok 香糯稻优质米加工工艺
2010 county_plan   watermelon    5   ok 小西瓜无公害栽培技术规程
2010 county_plan   fishery       5   ok 黄鳝网箱养殖技术示范
2010 county_plan   agritech      4   ok 病虫害专业化统防统治示范
2010 county_plan   town          3   ok 茭白产业技术培训
2010 county_sme    feldspar      8   ok 长石粉自动化分级生产线
2010 county_sme    sanqing       6   ok 绿色米粉生产线技术改造
2010 county_patent feldspar      0.3 ok 实用新型专利申请补偿:长石粉分级筛
2010 county_patent machinery     0.3 ok 实用新型专利申请补偿:碾米机出料装置
2010 county_patent switchgear    0.5 ok 发明专利申请补偿:低压开关柜智能除湿方法
2011 county_plan   feldspar     10   ok 长石精粉自动包装系统
2011 county_plan   sanqing       8   ok 绿色大米品牌质量标准研究
2011 county_plan   pomelo        6   ok 信木柚标准化果园建设示范
2011 county_plan   machinery     6   ok 机械零件表面处理工艺
2011 county_plan   wencheng      5   ok 果菜冷链保鲜技术示范
2011 county_plan   sigugiao      5   ok 特种水稻订单农业服务体系
2011 county_plan   productivity  4   no 技术交易市场建设
2011 county_sme    fishery      10   ok 水产品加工冷链技术改造
2011 county_sme    switchgear    8   ok 小型水电站远程监控终端产业化
2011 county_patent sanqing       0.3 ok 实用新型专利申请补偿:米粉烘干装置
2011 county_patent fishery       0.3 ok 实用新型专利申请补偿:网箱增氧装置
2011 county_patent switchgear    0.5 ok 发明专利申请补偿:发电机组并网控制方法
"""

# Projects still running when keguan came, imported from paper: years before this one,
# 万元, the stage each is at now, title.
RECENT = """
-3 county_plan switchgear  8 closed               开关柜智能除湿控制器研制
-3 county_plan machinery   6 failed               碾米机智能控制系统研制
-2 county_plan rice       10 under_way            紫宝香糯绿色高效栽培技术集成示范
-2 county_plan fishery     8 acceptance_requested 鄱阳湖大闸蟹生态养殖技术示范
-2 county_plan pomelo      6 postponed            信木柚提质增效关键技术示范
-2 county_plan wencheng    6 passed               设施果菜绿色防控技术集成
-1 jx_rd       agritech   20 under_way            再生稻高产高效栽培技术集成示范
"""

# This year's applications, one or more in every state: round, unit, 万元, state, title.
CURRENT = """
county_plan switchgear   20 approved    水电站智能监控终端研制
county_plan sanqing      12 reviewed    富硒大米加工关键技术研究
county_plan fishery      10 decided     鄱阳湖大闸蟹养殖尾水生态处理技术
county_plan rice         15 in_notice   紫宝香糯新品系区域试验与示范
county_plan watermelon    8 rejected    小西瓜品质提升关键技术研究
jx_rd       feldspar     30 approved    长石尾矿制备微晶玻璃关键技术
jx_rd       productivity 20 rejected    县域科技创新服务平台能力提升
jx_rd       pomelo       25 recommended 信木柚精深加工产品研发
county_sme  switchgear   15 draft       GM-N型控制器物联网远程运维平台开发
county_sme  feldspar     12 submitted   高纯长石粉体表面改性技术
county_sme  wencheng     10 returned    果菜净菜加工生产线技术改造
county_sme  sanqing      10 checked     米糠综合利用技术开发
county_sme  shuangming    8 withdrawn   冷水茭白精深加工产品开发
sr_plan     switchgear   10 recommended 小型水电站群集中控制系统研发
sr_plan     rice          8 checked     特种水稻耐热新品种选育
sr_plan     agritech      6 submitted   再生稻高产栽培技术示范
sr_plan     sigugiao      5 draft       紫宝香糯稻田综合种养模式示范
"""

# The reserve pool: unit, target level, 万元 expected, maturity, state, title.
CANDIDATES = """
switchgear county     15 mature     applied  GM-N型控制器物联网远程运维平台开发
feldspar   county     12 mature     applied  高纯长石粉体表面改性技术
rice       provincial 40 developing ready    耐高温紫宝香糯新品种选育
town       municipal  10 developing ready    冷水茭白全产业链数字化管理示范
fishery    county      8 developing watching 鄱阳湖特色水产品精深加工
watermelon county      5 idea       watching 小西瓜电商冷链配送技术
wencheng   county      6 idea       watching 设施蔬菜水肥一体化技术示范
productivity county    5 idea       dropped  科技成果转移转化服务站建设
"""

REJECTION_NOTES = {
    "higher": "未列入上级当年度立项计划。",
    "county": "经局务会集体研究,项目创新性和示范带动作用不足,本年度不予立项。",
}
APPROVAL_DOCUMENTS = {L.NATIONAL: "国科发计", L.PROVINCIAL: "赣科发计字", L.MUNICIPAL: "饶科字"}


def _rows(table: str) -> list[list[str]]:
    """The table's rows split on whitespace; the last column (a title) keeps its own."""
    rows = []
    for line in table.strip().splitlines():
        head, title = line.rsplit(None, 1)
        rows.append([*head.split(), title])
    return rows


def _wan(text: str) -> Decimal:
    return (Decimal(text) * WAN).quantize(Decimal("0.01"))


def _id_number(region: str, birth: str, index: int, sex: str) -> str:
    """A well-formed resident ID number; the sequence's last digit is odd for men."""
    body = f"{region}{birth}{100 + 2 * index + (sex == 'M'):03d}"
    return body + ric.calc_check_digit(body + "0")  # the function skips the last character


def _people() -> dict[str, dict]:
    """Every person of PEOPLE and PARTNERS with a stable ID number."""
    everyone, index = {}, 0
    for people in PEOPLE.values():
        for name, sex, birth, title in people:
            everyone[name] = {"title": title, "id_number": _id_number(COUNTY, birth, index, sex)}
            index += 1
    for name, sex, birth, title, unit, region in PARTNERS.values():
        everyone[name] = {
            "title": title,
            "unit": unit,
            "id_number": _id_number(region, birth, index, sex),
        }
        index += 1
    return everyone


def _stable(text: str, modulo: int) -> int:
    """A number from 0 to MODULO-1 that depends only on TEXT (scores, document numbers)."""
    return zlib.crc32(text.encode()) % modulo


def load(stdout=None) -> list[DemoAccount]:
    """Load what is missing of the demo county's projects; return the accounts of the units
    it adds to keguan.core.demo's (the same password)."""
    county = Bureau.objects.get(region_code=COUNTY)
    loader = _Loader(county)
    # The bureau's officer keys in the records; units' own steps name their accounts.
    with acting_as(loader.officer):
        return _load(loader)


def _load(loader) -> list[DemoAccount]:
    with transaction.atomic():
        new_accounts = loader.organizations()
        loader.programs()
        loader.funds()
    last_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    with transaction.atomic():
        loader.history()
        loader.recent()
        loader.retire_programs()
    # The imports told applicants of decisions years old; those notices are read already.
    stale = Notification.objects.filter(pk__gt=last_notification or 0, read_at__isnull=True)
    ids_by_user = defaultdict(list)
    for user_id, pk in stale.values_list("user_id", "pk"):
        ids_by_user[user_id].append(pk)
    for user in User.objects.filter(pk__in=ids_by_user):
        mark_read(user, ids_by_user[user.pk])
    with transaction.atomic():
        loader.current_year()
    return new_accounts


class _Loader:
    def __init__(self, county: Bureau):
        self.county = county
        self.officer = User.objects.get(username="officer")
        self.leader = User.objects.get(username="leader")
        self.people = _people()
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.year = self.today.year
        self.orgs = {}
        self.applicants = {}
        self.programs_by_key = {}
        self.funds_by_key = {}
        self.turns = defaultdict(int)

    # Units, accounts, programs and funds ---------------------------------------------------
    def organizations(self) -> list[DemoAccount]:
        from keguan.core.demo import ORGANIZATIONS

        extra = []
        for index, (key, _name, _kind, prefix, bureau, *_rest) in enumerate(ORGANIZATIONS, 1):
            if bureau == COUNTY:
                self.orgs[key] = Organization.objects.get(uscc=demo_uscc(prefix, bureau, index))
        for index, (key, name, kind, prefix, township, contact, phone) in enumerate(
            NEW_ORGANIZATIONS, 101
        ):
            code = demo_uscc(prefix, COUNTY, index)
            org = Organization.objects.filter(uscc=code).first()
            if org is None:
                org = accounts.create_organization(
                    self.officer,
                    self.county,
                    {
                        "name": name,
                        "kind": kind,
                        "uscc": code,
                        "address": f"余干县{township}",
                        "township": township,
                        "legal_representative": contact,
                        "contact_name": contact,
                        "contact_phone": phone,
                    },
                )
                ORGANIZATION_WORKFLOW.apply(self.officer, org, "verify", {"note": "演示数据"})
            self.orgs[key] = org
            extra.append(
                DemoAccount(f"applicant_{key}", contact, (Role.APPLICANT,), organization=key)
            )
        for key, township in TOWNSHIPS.items():
            accounts.update_organization(self.officer, self.orgs[key], {"township": township})
        for account in extra:
            if not User.objects.filter(username=account.username).exists():
                accounts.create_user(
                    None,
                    username=account.username,
                    password=DEMO_PASSWORD,
                    roles=list(account.roles),
                    bureau=self.county,
                    organization=self.orgs[account.organization],
                    full_name=account.full_name,
                    must_change_password=False,
                )
        for key in self.orgs:
            self.applicants[key] = User.objects.get(username=f"applicant_{key}")
        return extra

    def programs(self) -> None:
        existing = {p.name: p for p in Program.objects.filter(bureau=self.county)}
        for key, (name, level, body, _running) in PROGRAMS.items():
            program = existing.get(name)
            if program is None:
                program = services.create_program(
                    self.officer,
                    {
                        "name": name,
                        "level": level,
                        "body": body,
                        "description": f"{body}组织实施。",
                    },
                )
            self.programs_by_key[key] = program

    def retire_programs(self) -> None:
        """Programs that ended in the reforms of the 2010s stay on record, inactive."""
        for key, (_name, _level, _body, running) in PROGRAMS.items():
            program = self.programs_by_key[key]
            if program.active != running:
                services.update_program(self.officer, program, {"active": running})

    def funds(self) -> None:
        wanted = {
            (kind, year): amount for kind, years in FUNDS.items() for year, amount in years.items()
        }
        for kind, offsets in RECENT_FUNDS.items():
            wanted.update({(kind, self.year + off): amount for off, amount in offsets.items()})
        existing = {(f.kind, f.year): f for f in Fund.objects.filter(bureau=self.county)}
        for (kind, year), amount in wanted.items():
            fund = existing.get((kind, year))
            if fund is None:
                fund = funds.create_fund(
                    self.officer,
                    self.county,
                    kind,
                    year,
                    _wan(str(amount)),
                    note=f"县财政{year}年度预算安排的{FUND_NAMES[kind]}",
                )
            self.funds_by_key[kind, year] = fund

    # Calls ---------------------------------------------------------------------------------
    def _find_call(self, program: Program, year: int) -> Call | None:
        return Call.objects.filter(bureau=self.county, program=program, year=year).first()

    def _open_call(self, program: Program, year: int, opens_at, closes_at, **extra) -> Call:
        if program.level == L.COUNTY:
            title = f"{year}年度{program.name}项目申报指南"
        else:
            title = f"关于组织申报{year}年度{program.name}项目的通知"
        data = {
            "program": program,
            "year": year,
            "title": title,
            "guide": f"{program.body}{year}年度{program.name}项目申报工作,请各单位按要求申报。",
            "opens_at": opens_at,
            "closes_at": closes_at,
            "eligible_kinds": [],
            "max_per_organization": 2,
            "required_attachments": [],
            "budget_ceiling": Decimal(CEILING[program.level]),
            "rubric": "创新性30分、可行性30分、示范带动40分",
        }
        data.update(extra)
        call = services.create_call(self.officer, data)
        return CALL_WORKFLOW.apply(self.officer, call, "publish")

    def _import_round(
        self, program: Program, year: int, rows: list, opens_at, closes_at, stage=None
    ):
        """A past round from paper: open the call now, run every application through (and
        its approved projects to STAGE), then give the call its historical window (see the
        module docstring)."""
        call = self._open_call(program, year, opens_at, self.now + dt.timedelta(days=1))
        results = [self._application(call, *row) for row in rows]
        if stage is not None:
            for application in results:
                if application.state == A.APPROVED:
                    self._project(application, stage)
        services.backdate_call_for_import(self.officer, call, opens_at, closes_at)
        return results

    def _moment(self, year: int, month: int, day: int, hour: int = 9):
        return timezone.make_aware(dt.datetime(year, month, day, hour))

    def _days_from_today(self, days: int, hour: int):
        day = self.today + dt.timedelta(days=days)
        return self._moment(day.year, day.month, day.day, hour)

    # Applications --------------------------------------------------------------------------
    def _application(self, call: Call, org_key: str, wan: str, state: str, title: str, **kw):
        """Start, fill and drive one application of ORG_KEY's unit to STATE."""
        applicant, org = self.applicants[org_key], self.orgs[org_key]
        level = call.program.level
        amount = _wan(wan)
        factor = Decimal("1.5") if level == L.COUNTY else Decimal("1.2")
        requested = min((amount * factor / 1000).quantize(Decimal("1")) * 1000, CEILING[level])
        sector, field, code = PROFILES[org_key]
        patent = call.program == self.programs_by_key["county_patent"]
        start = kw.get("start_on") or dt.date(call.year, 7, 1)
        if kw.get("end_on"):
            end = kw["end_on"]
        elif patent:
            end = dt.date(start.year, 12, 31)
        else:
            end = dt.date(start.year + 2, start.month, 1) - dt.timedelta(days=1)
        data = {
            "title": title,
            "summary": f"{title}。{self._phrase(org_key)}",
            "discipline_code": code,
            "field": field,
            "start_on": start,
            "end_on": end,
            "expected_patents": 1 if sector == "industry" else 0,
            "expected_products": 1 if sector == "industry" else 0,
            "expected_revenue": requested * 10,
            "expected_jobs": 5 + _stable(title, 20),
        }
        with acting_as(applicant):  # the trail names the unit's account, not "system"
            application = services.start_application(
                applicant, call, candidate=kw.get("candidate"), data=data
            )
            services.replace_team(applicant, application, self._team(org_key, title))
            services.replace_budget(applicant, application, _budget(requested, org.kind, patent))
        application = Application.objects.get(pk=application.pk)
        return self._drive(application, applicant, state, amount)

    def _phrase(self, org_key: str) -> str:
        """The next approach-and-outcome pair for the unit (every pair before a repeat)."""
        sector = PROFILES[org_key][0]
        approaches, outcomes = _APPROACHES[sector], _OUTCOMES[sector]
        turn = self.turns[org_key]
        self.turns[org_key] += 1
        return (
            approaches[turn % len(approaches)]
            + outcomes[(turn + turn // len(approaches)) % len(outcomes)]
        )

    def _team(self, org_key: str, title: str) -> list[dict]:
        people = PEOPLE[org_key]
        lead = 1 if len(people) > 1 and _stable(title, 4) == 0 else 0
        order = [people[lead]] + [p for i, p in enumerate(people) if i != lead]
        team = [
            {
                "name": name,
                "unit": self.orgs[org_key].name,
                "role": "leader" if i == 0 else "member",
                "title": self.people[name]["title"],
                "id_number": self.people[name]["id_number"],
            }
            for i, (name, *_rest) in enumerate(order)
        ]
        if org_key in PARTNERS:
            name = PARTNERS[org_key][0]
            person = self.people[name]
            team.append(
                {
                    "name": name,
                    "unit": person["unit"],
                    "role": "member",
                    "title": person["title"],
                    "id_number": person["id_number"],
                }
            )
        return team

    def _drive(self, application: Application, applicant, state: str, amount) -> Application:
        """Take APPLICATION from draft to STATE by the workflows' own path."""
        call = application.call
        county = call.program.level == L.COUNTY

        def act(user, action, payload=None):
            nonlocal application
            application = APPLICATION_WORKFLOW.apply(user, application, action, payload)

        if state == A.DRAFT:
            return application
        application, _ = services.submit_application(applicant, application)
        if state == A.SUBMITTED:
            return application
        if state == A.WITHDRAWN:
            act(applicant, "withdraw", {"note": "合作单位调整,本批次不再申报。"})
            return application
        if state == A.RETURNED:
            act(
                self.officer,
                "return",
                {"note": "自筹资金证明材料不全,请补充银行资信证明后重新提交。"},
            )
            return application
        act(self.officer, "pass_check", {"note": "材料齐全,符合申报条件。"})
        if state == A.CHECKED:
            return application
        if county:
            score = Decimal(76 + _stable(application.title, 17)) + Decimal("0.5")
            act(
                self.officer,
                "record_review",
                {"score": str(score), "note": "专家组评审:技术路线可行,示范带动作用较明显。"},
            )
            if state == A.REVIEWED:
                return application
            if state == A.REJECTED:
                act(self.leader, "decide_reject", {"note": REJECTION_NOTES["county"]})
                return application
            fund = self.funds_by_key[FUND_OF[self._program_key(call.program)], call.year]
            act(
                self.leader,
                "decide_approve",
                {"amount": str(amount), "fund": fund.pk, "note": "经局务会集体研究,同意立项。"},
            )
            if state == A.DECIDED:
                return application
            act(self.officer, "publish_notice")
            if state == A.IN_NOTICE:
                return application
            act(self.officer, "confirm")
            return application
        letter = (
            f"经县科技局形式审查,{application.organization.name}申报的“{application.title}”"
            "材料齐全、符合申报条件,同意推荐。"
        )
        act(self.officer, "recommend", {"note": letter})
        if state == A.RECOMMENDED:
            return application
        if state == A.REJECTED:
            act(self.officer, "record_higher_rejection", {"note": REJECTION_NOTES["higher"]})
            return application
        document = (
            f"{APPROVAL_DOCUMENTS[call.program.level]}〔{call.year}〕"
            f"{10 + _stable(application.title, 180)}号"
        )
        act(self.officer, "record_higher_approval", {"amount": str(amount), "note": document})
        return application

    def _program_key(self, program: Program) -> str:
        return next(k for k, p in self.programs_by_key.items() if p.pk == program.pk)

    # Projects ------------------------------------------------------------------------------
    def _project(self, application: Application, stage: str, overdue: bool = False) -> Project:
        """Take the application's project through the task book to STAGE, paying tranches
        on the dates the paper says; progress reports for every report already due (all but
        the last when OVERDUE), the mid-term check when its date has passed."""
        project = application.project
        org_key = next(k for k, o in self.orgs.items() if o.pk == project.organization_id)
        applicant, sector = self.applicants[org_key], PROFILES[org_key][0]
        if application.call.program_id == self.programs_by_key["county_patent"].pk:
            sector = "patent"
        services.update_task_book(
            self.officer, project, {"targets": _targets(sector, project.approved_amount)}
        )
        if stage == P.CONTRACTING:
            return project

        def act(user, action, payload=None):
            nonlocal project
            project = PROJECT_WORKFLOW.apply(user, project, action, payload)

        act(self.officer, "sign_task_book")
        # County money is paid here in two tranches; higher grants of the live years pass
        # through the county too (转拨); those of 2006–2011 were paid by the higher bodies.
        recent = project.year >= self.year - 3
        paid_here = project.level == L.COUNTY or recent
        first = (project.approved_amount * Decimal("0.6")).quantize(Decimal("0.01"))
        if paid_here:
            self._pay(project, first, min(project.start_on + dt.timedelta(days=45), self.today), 1)
        if recent:
            due = [
                m
                for m in project.milestones.filter(kind="progress_report").order_by("due_on")
                if m.due_on <= self.today
            ]
            for milestone in due[:-1] if overdue else due:
                services.submit_progress_report(
                    applicant,
                    project,
                    {
                        "period": f"截至{milestone.due_on.isoformat()}",
                        "progress": "示范基地建设、技术培训按计划推进,阶段目标基本完成。",
                        "spent": (first * Decimal("0.5")).quantize(Decimal("0.01")),
                        "problems": "",
                    },
                )
            midterm = project.milestones.filter(kind="midterm").first()
            if midterm and midterm.due_on <= self.today:
                services.record_midterm_check(
                    self.officer,
                    project,
                    Project.MidtermResult.BEHIND if overdue else Project.MidtermResult.GOOD,
                    "进度报告未按期提交,督促整改。" if overdue else "按任务书推进,经费使用规范。",
                )
        if stage == P.UNDER_WAY:
            return project
        if stage == P.POSTPONED:
            act(
                self.officer,
                "postpone",
                {
                    "due_on": self.today + dt.timedelta(days=120),
                    "note": "受汛期影响,示范基地建设滞后,同意延期验收。",
                },
            )
            return project
        act(applicant, "request_acceptance")
        if stage == P.ACCEPTANCE_REQUESTED:
            return project
        if stage == P.FAILED:
            act(
                self.officer,
                "fail_acceptance",
                {"note": "主要技术指标未达到任务书要求,验收不通过。"},
            )
            return project
        act(self.officer, "pass_acceptance", {"note": "验收专家组一致同意通过验收。"})
        if paid_here:
            self._pay(project, project.approved_amount - first, min(project.end_on, self.today), 2)
        if stage == P.PASSED:
            return project
        act(self.officer, "close", {"note": "资料归档,项目结题。"})
        return project

    def _pay(self, project: Project, amount: Decimal, paid_on: dt.date, tranche: int) -> None:
        funds.record_disbursement(
            self.officer,
            project,
            {
                "amount": str(amount),
                "paid_on": paid_on,
                "voucher_number": f"余科拨〔{paid_on.year}〕{project.number[-3:]}-{tranche}",
                "note": "首期拨款" if tranche == 1 else "验收后拨付余款",
            },
        )

    # The rounds ----------------------------------------------------------------------------
    def history(self) -> None:
        """2006–2011 from the seed: higher rounds recommended upward, county rounds decided
        and paid here; every project since accepted and closed."""
        rounds = defaultdict(list)
        for year, key, org, wan, outcome, title in _rows(HISTORY) + _rows(COUNTY_HISTORY):
            state = A.APPROVED if outcome == "ok" else A.REJECTED
            rounds[int(year), key].append((org, wan, state, title))
        for index, ((year, key), rows) in enumerate(sorted(rounds.items())):
            program = self.programs_by_key[key]
            if self._find_call(program, year) is not None:
                continue
            month = 3 + index % 4
            opens_at = self._moment(year, month, 1)
            closes_at = self._moment(year, month + 1, 15, 17)
            self._import_round(program, year, rows, opens_at, closes_at, stage=P.CLOSED)

    def recent(self) -> None:
        """Projects of the last three years still on the books: every stage but contracting."""
        rounds = defaultdict(list)
        for offset, key, org, wan, stage, title in _rows(RECENT):
            rounds[self.year + int(offset), key].append((org, wan, stage, title))
        for (year, key), rows in sorted(rounds.items()):
            program = self.programs_by_key[key]
            if self._find_call(program, year) is not None:
                continue
            opens_at = self._moment(year, 3, 1)
            closes_at = self._moment(year, 4, 15, 17)
            call = self._open_call(program, year, opens_at, self.now + dt.timedelta(days=1))
            for org, wan, stage, title in rows:
                # One project runs three years from October, so reports fall due every half
                # year whatever today's date: the last one due is left overdue.
                start = dt.date(year, 10, 1) if stage == P.UNDER_WAY and key != "jx_rd" else None
                end = dt.date(year + 3, 9, 30) if start else None
                application = self._application(
                    call, org, wan, A.APPROVED, title, start_on=start, end_on=end
                )
                self._project(application, stage, overdue=start is not None)
            services.backdate_call_for_import(self.officer, call, opens_at, closes_at)

    def current_year(self) -> None:
        """This year, live: a closed county round and a closed provincial round decided
        or waiting, an open county SME round, an open municipal round, the reserve pool,
        projects in contracting, and one integrity penalty."""
        sentinel = self.programs_by_key["county_sme"]
        if self._find_call(sentinel, self.year) is not None:
            return
        candidates = self._reserve_pool()
        # Early in January the closed rounds opened in December, as calls often do.
        base = min(dt.date(self.year, 1, 1), self.today - dt.timedelta(days=30))

        def this_year(fraction: float, hour: int):
            """A time on the day FRACTION of the way from New Year to today."""
            day = base + (self.today - base) * fraction
            return self._moment(day.year, day.month, day.day, hour)

        windows = {
            "county_plan": (this_year(0.10, 9), this_year(0.30, 17)),
            "jx_rd": (this_year(0.05, 9), this_year(0.20, 17)),
            "county_sme": (self._days_from_today(-10, 9), self._days_from_today(21, 17)),
            "sr_plan": (self._days_from_today(-7, 9), self._days_from_today(30, 17)),
        }
        rows = defaultdict(list)
        for key, org, wan, state, title in _rows(CURRENT):
            rows[key].append((org, wan, state, title))
        start = (self.today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        for key, (opens_at, closes_at) in windows.items():
            program = self.programs_by_key[key]
            closed = closes_at < self.now
            extra = {"eligible_kinds": [K.ENTERPRISE, K.COOPERATIVE]} if key == "county_sme" else {}
            call = self._open_call(
                program,
                self.year,
                opens_at,
                self.now + dt.timedelta(days=1) if closed else closes_at,
                **extra,
            )
            for org, wan, state, title in rows[key]:
                application = self._application(
                    call,
                    org,
                    wan,
                    state,
                    title,
                    candidate=candidates.get(title),
                    start_on=start,
                    end_on=dt.date(start.year + 2, start.month, 1) - dt.timedelta(days=1),
                )
                if application.state == A.APPROVED:
                    stage = P.CONTRACTING if program.level == L.COUNTY else P.UNDER_WAY
                    self._project(application, stage)
            if closed:
                services.update_call(self.officer, call, {"closes_at": closes_at})
        self._integrity_penalty()

    def _reserve_pool(self) -> dict[str, Candidate]:
        """Eight candidates guided by the officer, with notes of the help given; those in
        state 'applied' become applied when their application starts."""
        by_title = {}
        kinds = ["visit", "lecture", "materials", "polishing"]
        for index, (org, level, wan, maturity, state, title) in enumerate(_rows(CANDIDATES)):
            candidate = services.create_candidate(
                self.officer,
                self.orgs[org],
                {
                    "title": title,
                    "field": PROFILES[org][1],
                    "summary": f"{title}。{self._phrase(org)}",
                    "maturity": Maturity(maturity),
                    "target_level": level,
                    "expected_funding": _wan(wan),
                    "guiding_officer": self.officer,
                },
            )
            for step in range(1 + index % 3):
                services.add_follow_up(
                    self.officer,
                    candidate,
                    {
                        "on": self.today - dt.timedelta(days=90 - 30 * step - index),
                        "kind": kinds[(index + step) % 4],
                        "text": _FOLLOW_UPS[kinds[(index + step) % 4]],
                    },
                )
            if state in ("ready", "applied"):
                candidate = CANDIDATE_WORKFLOW.apply(self.officer, candidate, "mark_ready")
            if state == "dropped":
                candidate = CANDIDATE_WORKFLOW.apply(
                    self.officer, candidate, "drop", {"note": "与县商务局项目重复,转由其申报。"}
                )
            if state == "applied":
                by_title[title] = candidate
        return by_title

    def _integrity_penalty(self) -> None:
        """The unit whose project failed acceptance kept the unspent money: it and its
        project leader may not apply for three years."""
        name = PEOPLE["machinery"][0][0]
        services.record_integrity_penalty(
            self.officer,
            {
                "organization": self.orgs["machinery"],
                "person_name": name,
                "id_number": self.people[name]["id_number"],
                "reason": f"{self.year - 3}年度县科技计划项目验收不通过,且未按要求退回结余经费",
                "starts_on": self.today - dt.timedelta(days=30),
                "ends_on": self.today + dt.timedelta(days=3 * 365 - 30),
            },
        )


# Summaries pair an approach with an outcome, the pairs taken in turn per unit: the duplicate
# check compares a unit's applications, and shared wording must not outweigh the titles.
_APPROACHES = {
    "industry": ["突破关键工艺,", "联合高校攻关,", "开发新产品,", "改进生产工艺,", "研制工程样机,"],
    "farming": [
        "建设示范基地,",
        "集成先进适用技术,",
        "引进新品种新技术,",
        "推行标准化生产,",
        "开展农民技术培训,",
    ],
    "service": ["完善科技服务体系,", "搭建信息服务平台,", "开展技术咨询对接,"],
}
_OUTCOMES = {
    "industry": [
        "完成中试并申请专利。",
        "提升产品技术水平。",
        "实现批量生产。",
        "降低能耗与成本。",
    ],
    "farming": ["带动农户增收。", "辐射周边乡镇。", "提升产品品质。", "培育科技示范户。"],
    "service": ["服务园区企业。", "促进成果转化。", "培养科技中介人才。"],
}


def _targets(sector: str, amount: Decimal) -> str:
    wan = int(amount / WAN) or 1
    if sector == "industry":
        return f"完成研制与试生产,申请专利1项以上,新增产值{wan * 20}万元,新增就业10人。"
    if sector == "patent":
        return "完成专利申请,取得国家知识产权局受理通知书。"
    if sector == "service":
        return f"建成服务平台1个,年服务企业{wan * 5}家次,组织技术对接活动4次。"
    return f"建立核心示范基地{wan * 50}亩,辐射带动{wan * 200}亩,培训农民{wan * 30}人次。"


def _budget(requested: Decimal, kind: str, patent: bool) -> list[dict]:
    """The budget lines for REQUESTED yuan; firms raise twice as much themselves."""
    if patent:
        return [{"category": "publication", "requested": requested, "self_raised": requested}]
    own = {K.ENTERPRISE: Decimal(2), K.COOPERATIVE: Decimal(1)}.get(kind, Decimal("0.5"))
    equipment = (requested * Decimal("0.5")).quantize(Decimal("1"))
    materials = (requested * Decimal("0.3")).quantize(Decimal("1"))
    shares = [
        ("equipment", equipment),
        ("materials", materials),
        ("other", requested - equipment - materials),
    ]
    return [
        {"category": c, "requested": v, "self_raised": (v * own).quantize(Decimal("1"))}
        for c, v in shares
    ]


_FOLLOW_UPS = {
    "visit": "深入企业走访,了解技术需求和项目准备情况。",
    "lecture": "举办科技项目申报讲座,讲解申报要求和评审要点。",
    "materials": "发放科技实务材料,提供上级计划申报指南。",
    "polishing": "帮助整理申报材料,推敲修改可行性报告。",
}
