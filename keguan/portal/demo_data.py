"""The demo county's public notices and petitions: tables only; the loader in
`keguan.portal.demo` puts them through the services and workflows.

The seed tells of the county's awards without naming its winners: the bureau drafted the
《县科技进步表彰奖励办法》 and holds a county S&T progress award every two years, and in
2009 杨玉梁 of the 四股桥特种水稻研究开发中心 received the city's special contribution award.
The achievements and units below are the seed's own (优质长石, 含维A紫宝香糯水稻, the GM-N
generator controller, the five demonstration bases, the productivity promotion centre);
which were commended in which round, with which grade and which team leader (from the
projects demo's teams), is the demo's choice. The seed gives no award amounts, so the
award notices list none.
"""

# Where objections go: an office, no personal phone number on a public page.
CONTACT = "余干县科学技术局计划管理科(县行政中心三楼)"

APPROVAL_BODY = (
    "经申报单位申报、形式审查、专家评审和局务会集体研究,{year}年度{program}拟立项项目"
    "如下,现予公示。公示期间,对公示项目有异议的,请以书面形式实名提出,单位提出异议的"
    "须加盖公章并由法定代表人签字。"
)

# Award notices: (year, first day of the period, title, body, items).
# An item: (achievement, unit, person, grade and note).
AWARDS = [
    (
        2008,
        (2008, 11, 3),
        "2008年度县科学技术进步奖拟奖项目公示",
        "根据《县科技进步表彰奖励办法》,经单位推荐、专家评审和县科技进步奖励委员会审定,"
        "2008年度县科学技术进步奖拟奖项目如下,现予公示。",
        [
            (
                "GM-N型发电机微电脑控制器研制",
                "县电器开关厂",
                "王建国",
                "一等奖:列入省重点新产品计划,技术达到国内先进水平,推广到9个省市",
            ),
            (
                "含维A紫宝香糯水稻选育与推广",
                "四股桥特种水稻研究开发中心",
                "杨玉梁",
                "一等奖:订单生产,亩纯收入为常规稻的3倍,面积发展到5000多亩",
            ),
            (
                "优质长石开发与应用",
                "县优质长石矿业有限公司",
                "赵石",
                "二等奖",
            ),
            (
                "双明冷水茭白示范基地建设",
                "双明冷水茭白专业合作社",
                "褚明亮",
                "三等奖:示范基地扩展到2800多亩",
            ),
        ],
    ),
    (
        2009,
        (2009, 4, 13),
        "关于推荐杨玉梁同志为市科学技术特殊贡献奖人选的公示",
        "经县科技局推荐,拟推荐四股桥特种水稻研究开发中心杨玉梁同志为市科学技术特殊"
        "贡献奖人选,现予公示。",
        [
            (
                "特种水稻研究开发与紫宝香糯产业化",
                "四股桥特种水稻研究开发中心",
                "杨玉梁",
                "市科学技术特殊贡献奖(推荐人选)",
            ),
        ],
    ),
    (
        2010,
        (2010, 11, 1),
        "2010年度县科学技术进步奖拟奖项目公示",
        "根据《县科技进步表彰奖励办法》,经单位推荐、专家评审和县科技进步奖励委员会审定,"
        "2010年度县科学技术进步奖拟奖项目如下,现予公示。",
        [
            (
                "岩瑞信木柚标准化栽培示范",
                "岩瑞信木柚专业合作社",
                "余德华",
                "一等奖",
            ),
            (
                "四股桥小西瓜无公害栽培示范",
                "四股桥小西瓜专业合作社",
                "邹小平",
                "二等奖",
            ),
            (
                "文成优质果菜示范基地建设",
                "文成优质果菜专业合作社",
                "程国平",
                "二等奖",
            ),
            (
                "园区企业科技服务体系建设",
                "县生产力促进中心",
                "钱进",
                "三等奖:建立园区企业科技台账和科技联络员制度",
            ),
        ],
    ),
]

RUNNING_TITLE = "{year}年度县科技计划拟立项项目公示"

# The objection to the running notice: a person, against the item of the unit named.
OBJECTION = {
    "unit": "县鄱湖水产科技有限公司",
    "objector": "person",
    "name": "胡志明",
    "contact": "15979300211",
    "text": (
        "该项目申报材料所列尾水处理示范塘面积为120亩,据本人了解,该公司实际养殖水面不足"
        "80亩,且部分塘口为租赁,租期不足项目实施期。请核实示范基地面积和租赁合同。"
    ),
}

# Petitions: (key, kind, anonymous, name, contact, subject, text, concerns name, end state,
# what the inspector does on the way: reply for a concluded one, reason for an extension).
PETITIONS = [
    (
        "suggestion",
        "suggestion",
        False,
        "叶春华",
        "15979300201",
        "建议在申报指南中公布专家评审细则",
        "本公司连续两年申报县科技计划项目,希望在申报指南中公布专家评审的评分细则和权重,"
        "便于企业有针对性地准备材料。",
        "",
        "received",
        "",
    ),
    (
        "payment",
        "complaint",
        False,
        "占国强",
        "15979300202",
        "反映项目首期经费拨付较慢",
        "本单位项目任务书签订已近两个月,首期经费尚未到账,影响了设备采购进度,请帮助了解原因。",
        "",
        "acknowledged",
        "",
    ),
    (
        "training",
        "complaint",
        False,
        "邹建平",
        "15979300203",
        "反映示范基地农户培训未按计划开展",
        "去年项目任务书写明每季度组织一次农户技术培训,本村农户反映全年只组织过一次。",
        "",
        "concluded",
        "经核实,项目承担单位全年组织农户培训两次,少于任务书约定的四次。已责成其在本年度"
        "补足培训并报送培训签到表和照片,结题验收时将作为考核内容。感谢您的监督。",
    ),
    (
        "acreage",
        "report",
        False,
        "程新民",
        "15979300204",
        "反映某合作社验收时虚报示范基地面积",
        "某合作社在项目验收材料中填报示范基地面积500亩,实际种植面积约300亩,请调查。",
        "",
        "extended",
        "需调取项目申报、中期检查和验收三个阶段的档案,并会同乡镇实地丈量示范基地面积,"
        "六十日内难以办结。",
    ),
    (
        "anonymous",
        "report",
        True,
        "",
        "",
        "反映项目资金被挪用于日常开支",
        "某企业将县科技计划项目经费用于支付职工工资和招待费用,未按预算用于设备采购。",
        "",
        "acknowledged",
        "",
    ),
    (
        "officer",
        "report",
        False,
        "方志强",
        "15979300206",
        "反映工作人员推荐指定中介代写申报材料",
        "我单位咨询项目申报时,局里工作人员党员小王建议我们找某咨询公司代写申报材料,"
        "并称这样更容易通过评审。请核查。",
        "党员小王",
        "received",
        "",
    ),
]
# The petition whose tracking code the demo command prints.
PRINTED_PETITION = "training"
