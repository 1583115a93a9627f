"""The demo county's expert pool and review rounds: tables only; `keguan.review.demo` puts
them through the services and workflows.

The seed names the county's partners: 中国林科院, 华东理工大学, 南昌大学, 清华大学. Its
farming projects (特种水稻, 冷水茭白, 信木柚, 小西瓜, 鄱阳湖水产) also need agronomists, whom a
Jiangxi county draws from the province's agricultural university and academy and from the
city's institute; the county's own senior engineers and agronomists complete the pool.
"""

# key: unit name, region code of the ID numbers its people carry (GB/T 2260).
UNITS = {
    "ncu": ("南昌大学", "360102"),
    "ecust": ("华东理工大学", "310104"),
    "tsinghua": ("清华大学", "110108"),
    "caf": ("中国林业科学研究院", "110108"),
    "jxau": ("江西农业大学", "360111"),
    "jxaas": ("江西省农业科学院", "360121"),
    "srais": ("上饶市农业科学研究所", "361102"),
    "agritech": ("县农业技术推广中心", "361127"),
    "productivity": ("县生产力促进中心", "361127"),
    "agri_bureau": ("县农业农村局", "361127"),
    "industry_bureau": ("县工业和信息化局", "361127"),
    "market_bureau": ("县市场监督管理局", "361127"),
    "water_bureau": ("县水利局", "361127"),
    "forestry_bureau": ("县林业局", "361127"),
    "fishery_station": ("县水产技术推广站", "361127"),
    "switchgear": ("县电器开关厂", "361127"),
    "feldspar": ("县优质长石矿业有限公司", "361127"),
    "machinery": ("县精工机械制造有限公司", "361127"),
}

# Experts: name, sex, birth date, unit, professional title, fields as
# "GB/T 13745 code:keyword、keyword" (at most five keywords each), separated by spaces.
# The first five are the universities' people already in the teams of the projects demo
# (its PARTNERS): they keep the ID numbers those teams carry.
EXPERTS = """
邓志刚 M 19600802 ncu      教授         21040:水稻育种、特种稻、品质改良
熊燕   F 19730918 ncu      副教授       55020:稻米深加工、功能食品
顾振华 M 19620311 ecust    教授         47040:电气自动化、小水电控制、微机控制器
秦磊   M 19740523 tsinghua 副研究员     44020:矿物加工、尾矿利用、非金属矿
周林   M 19650105 caf      研究员       21050:果树栽培、柚类 220:经济林
涂宏建 M 19640310 ncu      教授         55020:农产品加工、食品安全、天然产物
万春燕 F 19710622 ncu      教授         610:鄱阳湖湿地、水环境治理、生态修复
罗剑峰 M 19681105 ncu      教授         47040:电力电子、智能控制、嵌入式系统
钟立新 M 19750419 ncu      副教授       24020:水产养殖、鱼类营养、池塘生态
胡晓晴 F 19800713 ncu      副教授       180:微生物发酵、生物技术
聂国华 M 19661208 ncu      教授         46020:机械设计、农业机械
徐丽娟 F 19780227 ncu      研究员       55020:食品检测、营养评价
沈国良 M 19650914 ecust    教授         530:化工过程、粉体工程、表面改性
陆文静 F 19720506 ecust    教授         430:无机非金属材料、微晶玻璃、矿物材料
钱志远 M 19700830 ecust    研究员       470:过程控制、工业物联网
朱慧敏 F 19810118 ecust    副教授       55020:食品生物技术、发酵工程
蔡永平 M 19671127 ecust    教授         610:工业废水处理、资源循环利用
唐启明 M 19630419 tsinghua 教授         480:水力发电、新能源并网
高峻   M 19760702 tsinghua 研究员       520:物联网、工业软件、远程运维
宋雅琴 F 19790315 tsinghua 副教授       630:技术经济、创新管理
邵宏伟 M 19690926 tsinghua 教授         460:精密制造、智能装备
林海燕 F 19700812 caf      研究员       220:林木育种、油茶
程卫东 M 19671020 caf      研究员       220:森林保护、病虫害防治
许晴   F 19820604 caf      副研究员     610:湿地生态、生态评价
孔祥云 M 19640228 caf      研究员       55020:林产品加工、天然产物
杨慧   F 19851012 jxau     副教授       21040:水稻栽培、再生稻
李国平 M 19630507 jxau     教授         21040:作物栽培、稻作制度、双季稻
曾德明 M 19660819 jxau     教授         21050:蔬菜栽培、茭白、设施蔬菜
谢春兰 F 19740301 jxau     教授         21050:瓜类育种、西瓜、品质改良
黄学文 M 19690625 jxau     教授         24020:水产养殖、河蟹、生态养殖
刘秋生 M 19721103 jxau     教授         210:植物保护、病虫害绿色防控
付彩霞 F 19770916 jxau     副教授       210:土壤肥料、富硒农业
饶建华 M 19680122 jxau     教授         46020:农业机械、稻米加工机械
王海英 F 19800508 jxau     副教授       630:农业经济、合作社经营
袁志明 M 19650730 jxau     教授         230:畜禽养殖、种养结合
陈金华 M 19620915 jxaas    研究员       21040:水稻育种、香稻、特种稻
肖丽芳 F 19730402 jxaas    研究员       21050:柑橘柚类、果树栽培
游建新 M 19671218 jxaas    研究员       210:土壤肥料、耕地质量
邹晓红 F 19790609 jxaas    副研究员     55020:农产品质量安全、检测
彭志坚 M 19640711 jxaas    研究员       24020:渔业资源、稻渔综合种养
吴国强 M 19700124 jxaas    研究员       21010:农业技术推广、农业信息化
甘秀芳 F 19811130 jxaas    副研究员     210:植物保护、生物防治
祝永平 M 19660314 srais    研究员       21040:水稻、油菜
郑小芬 F 19760820 srais    高级农艺师   21050:蔬菜、瓜果
叶长青 M 19690502 srais    高级农艺师   21010:农技推广、病虫测报
蒋建设 M 19630615 srais    研究员       21040:水稻栽培、种子检验
毛建军 M 19680917 agritech 农业技术推广研究员 21040:水稻栽培、测土配方施肥
舒红梅 F 19750304 agritech 高级农艺师   21050:蔬菜、茭白、瓜类
汪志华 M 19700606 productivity 高级工程师 63020:科技服务、技术转移 47040:电气设备
胡建平 M 19671210 agri_bureau 高级农艺师 21010:农业产业化、农技推广
何秋云 F 19720909 agri_bureau 高级农艺师 21050:果树、柚类栽培
熊卫国 M 19690318 industry_bureau 高级工程师 46020:机械制造、工业技改
杜文斌 M 19690712 industry_bureau 高级工程师 470:电气节能、工业自动化
余美华 F 19770725 market_bureau 高级工程师 55020:食品安全、质量检验
程建明 M 19650802 water_bureau 高级工程师 570:水利工程、小水电
方德胜 M 19680211 forestry_bureau 高级工程师 220:林业技术、经济林
詹国华 M 19710427 fishery_station 高级工程师 24020:水产养殖、病害防治
吕永康 M 19660906 switchgear 高级工程师 47040:高低压开关、电气设备
孙宏   M 19700114 feldspar 高级工程师   44020:采矿工程、矿山安全
姜立伟 M 19740830 machinery 高级工程师  46020:机械设计、数控加工
"""

# Relations the experts declared: expert, kind, name (a unit, or a relative's name), note.
# A relative named in PEOPLE of the projects demo carries that person's ID number.
RELATIONS = [
    ("杨慧", "relative", "杨玉梁", "父女"),
    ("汪志华", "former_employer", "县电器开关厂", "2005—2012年任该厂技术科科长"),
    ("付彩霞", "advised_unit", "三清绿色食品有限公司", "任该公司富硒大米技术顾问"),
    ("黄学文", "advised_unit", "县鄱湖水产科技有限公司", "该公司河蟹生态养殖技术顾问"),
]

# Industry–university–research agreements of county units (keys of the projects demo) with
# the universities and institutes: unit, partner, subject, signed (years ago, month, day),
# years it runs (0: open-ended).
COOPERATIONS = [
    ("fishery", "南昌大学", "鄱阳湖大闸蟹生态养殖与尾水处理技术合作", (1, 3, 15), 3),
    ("watermelon", "江西农业大学", "小西瓜优质栽培与品种改良合作", (2, 5, 20), 0),
    ("sanqing", "江西省农业科学院", "富硒大米加工与品质检测技术合作", (1, 9, 1), 2),
]

# The expert under an integrity penalty: name, reason, days since it began, years it runs.
PENALTY = (
    "蒋建设",
    "参加市级科技计划项目评审时向申报单位透露评审专家名单,经市科技局查实通报",
    200,
    3,
)

# Rubrics: criterion, guidance, weight, maximum score.
RUBRICS = {
    "county_plan": [
        ("创新性与技术先进性", "技术路线的新颖程度,与国内同类技术的比较", 30, 10),
        ("技术方案可行性", "研究内容、技术路线、进度安排是否合理可行", 25, 10),
        ("经济社会效益", "新增产值、带动农户、示范推广前景", 25, 10),
        ("实施基础与团队", "单位条件、团队结构、自筹资金落实情况", 20, 10),
    ],
    "county_sme": [
        ("技术创新性", "产品或工艺的创新点与知识产权", 30, 10),
        ("市场前景", "市场需求、竞争优势与销售渠道", 25, 10),
        ("企业研发能力", "研发投入、研发人员与产学研合作", 25, 10),
        ("经费预算合理性", "预算与任务匹配,自筹资金到位", 20, 10),
    ],
}
# Disciplines the SME fund's round draws from (engineering, food, management).
SME_DISCIPLINES = ["430", "440", "460", "470", "520", "530", "550", "630"]

COMMENTS = {
    "fund": [
        "技术路线清晰,前期基础扎实,示范带动作用明显,建议支持。",
        "项目针对县域主导产业关键问题,目标明确,经费预算合理,建议立项。",
        "团队结构合理,产学研合作紧密,预期效益可信,同意资助。",
    ],
    "fund_with_changes": [
        "总体可行,但考核指标偏笼统,建议细化示范面积和推广户数后立项。",
        "技术方案基本可行,设备购置费比例偏高,建议压缩后支持。",
        "创新点表述不够突出,建议补充与同类技术的对比分析。",
    ],
    "do_not_fund": [
        "与往年已立项项目内容重复较多,创新性不足,不建议资助。",
        "实施基础薄弱,自筹资金未落实,风险较大,建议暂缓。",
        "技术路线不够清晰,预期指标缺乏依据,不建议本年度立项。",
    ],
}
CONFLICT_NOTE = "本人曾为申报单位米糠油项目提供有偿技术咨询,申请回避。"
APPROACH_DETAIL = "申报单位一名工作人员来电打听评审专家名单,并请求评审时予以关照,本人已当即拒绝。"
