"""The demo county's records, as the seed tells them and as a living current year needs:
units, people, programs, funds, the 2006–2011 rounds and this year's. Tables only; the
loader in `keguan.projects.demo` puts them through the services and workflows.
"""

from decimal import Decimal

from keguan.accounts.models import Bureau, Organization
from keguan.funds.models import Fund
from keguan.projects.models import Application, Project

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

# Summaries pair an approach with an outcome, the pairs taken in turn per unit: the duplicate
# check compares a unit's applications, and shared wording must not outweigh the titles.
APPROACHES = {
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

OUTCOMES = {
    "industry": [
        "完成中试并申请专利。",
        "提升产品技术水平。",
        "实现批量生产。",
        "降低能耗与成本。",
    ],
    "farming": ["带动农户增收。", "辐射周边乡镇。", "提升产品品质。", "培育科技示范户。"],
    "service": ["服务园区企业。", "促进成果转化。", "培养科技中介人才。"],
}

FOLLOW_UPS = {
    "visit": "深入企业走访,了解技术需求和项目准备情况。",
    "lecture": "举办科技项目申报讲座,讲解申报要求和评审要点。",
    "materials": "发放科技实务材料,提供上级计划申报指南。",
    "polishing": "帮助整理申报材料,推敲修改可行性报告。",
}
