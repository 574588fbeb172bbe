"""The demo city 示范市 as plain data: departments, staff, well-known accounts, word lists.

Nothing here touches the database; ``loader`` turns it into rows and ``people`` into
identities. Change a list and every load changes with it — but always the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY = "361200"
DEMO_PASSWORD = "Shifan@2026"
SEED = 20260101
# Salt for deriving each staff member's TOTP key from the username, so the printed secret is stable.
TOTP_SALT = b"zhengtong-demo-totp-v1"
# Ages are counted from a fixed day, not from today, so a load next year yields the same people.
REFERENCE_YEAR = 2026
CITIZENS = 200
ENTERPRISES = 50


@dataclass(frozen=True)
class DeptSpec:
    key: str
    code: str
    name: str
    short_name: str
    doc_prefix: str
    region: str
    parent: str | None = None


def _city(key: str, code: str, name: str, short: str, prefix: str) -> DeptSpec:
    return DeptSpec(key, code, name, short, prefix, CITY)


def _unit(parent: str, key: str, code: str, name: str, short: str, region: str = CITY) -> DeptSpec:
    return DeptSpec(key, code, name, short, "", region, parent)


DEPARTMENTS: tuple[DeptSpec, ...] = (
    _city("bgs", "SF-BGS", "示范市人民政府办公室", "市政府办", "示政办"),
    _city("fgw", "SF-FGW", "示范市发展和改革委员会", "市发改委", "示发改"),
    _city("gaj", "SF-GAJ", "示范市公安局", "市公安局", "示公"),
    _city("mzj", "SF-MZJ", "示范市民政局", "市民政局", "示民"),
    _city("rsj", "SF-RSJ", "示范市人力资源和社会保障局", "市人社局", "示人社"),
    _city("zrj", "SF-ZRZY", "示范市自然资源和规划局", "市自然资源局", "示自然资"),
    _city("sthj", "SF-STHJ", "示范市生态环境局", "市生态环境局", "示环"),
    _city("zjj", "SF-ZJJ", "示范市住房和城乡建设局", "市住建局", "示建"),
    _city("scj", "SF-SCJG", "示范市市场监督管理局", "市市场监管局", "示市监"),
    _city("wjw", "SF-WJW", "示范市卫生健康委员会", "市卫健委", "示卫健"),
    _city("spj", "SF-XZSP", "示范市行政审批局", "市行政审批局", "示审批"),
    _city("zwfw", "SF-ZWFW", "示范市政务服务中心", "市政务服务中心", "示政服"),
    _city("dsj", "SF-DSJ", "示范市大数据中心", "市大数据中心", "示数据"),
    _city("czj", "SF-CZJ", "示范市财政局", "市财政局", "示财"),
    _city("jyj", "SF-JYJ", "示范市教育局", "市教育局", "示教"),
    _city("jtj", "SF-JTJ", "示范市交通运输局", "市交通运输局", "示交"),
    _city("nyj", "SF-NYJ", "示范市农业农村局", "市农业农村局", "示农"),
    _city("wgl", "SF-WGL", "示范市文化广电旅游局", "市文广旅局", "示文旅"),
    _city("yjj", "SF-YJJ", "示范市应急管理局", "市应急管理局", "示应急"),
    _city("swj", "SF-SWJ", "国家税务总局示范市税务局", "市税务局", "示税"),
    _city("cgj", "SF-CGJ", "示范市城市管理局", "市城管局", "示城管"),
    _city("xfj", "SF-XFJ", "示范市信访局", "市信访局", "示信"),
    _city("sfj", "SF-SFJ", "示范市司法局", "市司法局", "示司"),
    _city("jcs", "SF-JC", "示范市政务服务监察室", "市监察室", "示政监"),
    DeptSpec("sfq_bgs", "SFQ-BGS", "示范区人民政府办公室", "区政府办", "示区政办", "361202"),
    DeptSpec("sfq_spj", "SFQ-XZSP", "示范区行政审批局", "区行政审批局", "示区审批", "361202"),
    DeptSpec("dh_bgs", "DH-BGS", "东湖县人民政府办公室", "县政府办", "东政办", "361221"),
    DeptSpec("dh_spj", "DH-XZSP", "东湖县行政审批局", "县行政审批局", "东审批", "361221"),
    DeptSpec("xs_bgs", "XS-BGS", "西山市人民政府办公室", "西山市政府办", "西政办", "361281"),
    DeptSpec("xs_spj", "XS-XZSP", "西山市行政审批局", "西山市审批局", "西审批", "361281"),
    # 科室 (sub-units): two levels under the approval bureau, one under several others.
    _unit("spj", "spj_zh", "SF-XZSP-ZH", "示范市行政审批局综合科", "综合科"),
    _unit("spj", "spj_ssdj", "SF-XZSP-SSDJ", "示范市行政审批局商事登记科", "商事登记科"),
    _unit("spj_ssdj", "spj_qykb", "SF-XZSP-SSDJ-QYKB", "示范市行政审批局企业开办专区", "企业开办专区"),
    _unit("spj", "spj_tzjs", "SF-XZSP-TZJS", "示范市行政审批局投资建设审批科", "投资建设科"),
    _unit("spj", "spj_shsw", "SF-XZSP-SHSW", "示范市行政审批局社会事务审批科", "社会事务科"),
    _unit("zwfw", "zwfw_zhsl", "SF-ZWFW-ZHSL", "示范市政务服务中心综合受理科", "综合受理科"),
    _unit("zwfw", "zwfw_dc", "SF-ZWFW-DC", "示范市政务服务中心督查科", "督查科"),
    _unit("scj", "scj_djzc", "SF-SCJG-DJZC", "示范市市场监督管理局登记注册科", "登记注册科"),
    _unit("scj", "scj_spaq", "SF-SCJG-SPAQ", "示范市市场监督管理局食品安全监管科", "食品安全科"),
    _unit("dsj", "dsj_xxaq", "SF-DSJ-XXAQ", "示范市大数据中心信息安全科", "信息安全科"),
    _unit("gaj", "gaj_hz", "SF-GAJ-HZ", "示范市公安局户政管理科", "户政科"),
)


@dataclass(frozen=True)
class StaffSpec:
    username: str
    name: str  # "" = drawn from the name generator
    dept: str
    role: str
    scope: str = "department"
    title: str = ""


# The well-known accounts named in the README; one user per admin role (三员分立).
WELL_KNOWN_STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("sysadmin", "周文斌", "dsj", "sysadmin", "city", "系统管理员"),
    StaffSpec("secadmin", "吴静", "dsj_xxaq", "secadmin", "city", "安全保密管理员"),
    StaffSpec("auditadmin", "郑海燕", "dsj", "auditadmin", "city", "安全审计员"),
    # 一窗受理: the comprehensive window of the service centre accepts for every department.
    StaffSpec("clerk", "张敏", "zwfw_zhsl", "clerk", "city", "窗口受理员"),
    StaffSpec("approver", "李伟", "spj_ssdj", "approver", "subtree", "科长"),
    StaffSpec("head", "王芳", "spj", "dept_head", "subtree", "局长"),
    StaffSpec("supervisor", "陈刚", "jcs", "supervisor", "city", "监察员"),
    # the service centre keeps the city's catalog: life events, bundles (一件事) and items
    StaffSpec("catalog", "刘洋", "zwfw", "catalog_admin", "city", "事项目录管理员"),
)

# (department, role, scope, how many, title) for the generated staff; usernames are
# <prefix><nn> numbered per role after the well-known one (clerk02, clerk03, …).
STAFF_PLAN: tuple[tuple[str, str, str, int, str], ...] = (
    ("zwfw_zhsl", "clerk", "city", 3, "窗口受理员"),
    ("spj_qykb", "clerk", "department", 2, "窗口受理员"),
    ("spj_shsw", "clerk", "department", 1, "科员"),
    ("sfq_spj", "clerk", "department", 1, "窗口受理员"),
    ("dh_spj", "clerk", "department", 2, "窗口受理员"),
    ("xs_spj", "clerk", "department", 2, "窗口受理员"),
    ("spj_tzjs", "approver", "subtree", 1, "科长"),
    ("spj_shsw", "approver", "subtree", 1, "科长"),
    ("scj_djzc", "approver", "department", 1, "科长"),
    ("scj", "approver", "subtree", 1, "副局长"),
    ("zrj", "approver", "department", 1, "副局长"),
    ("zjj", "approver", "department", 1, "副局长"),
    ("wjw", "approver", "department", 1, "副主任"),
    ("rsj", "approver", "department", 1, "副局长"),
    ("mzj", "approver", "department", 1, "副局长"),
    ("dh_spj", "approver", "department", 1, "副局长"),
    ("xs_spj", "approver", "department", 1, "副局长"),
    ("spj", "approver", "department", 1, "副局长"),
    ("gaj", "approver", "subtree", 1, "副局长"),
    ("sthj", "approver", "department", 1, "副局长"),
    ("jyj", "approver", "department", 1, "副局长"),
    ("jtj", "approver", "department", 1, "副局长"),
    ("nyj", "approver", "department", 1, "副局长"),
    ("wgl", "approver", "department", 1, "副局长"),
    ("yjj", "approver", "department", 1, "副局长"),
    ("swj", "approver", "department", 1, "副局长"),
    ("cgj", "approver", "department", 1, "副局长"),
    ("sfj", "approver", "department", 1, "副局长"),
    ("zwfw", "dept_head", "subtree", 1, "主任"),
    ("scj", "dept_head", "subtree", 1, "局长"),
    ("gaj", "dept_head", "subtree", 1, "局长"),
    ("zjj", "dept_head", "subtree", 1, "局长"),
    ("bgs", "dept_head", "subtree", 1, "主任"),
    ("dh_spj", "dept_head", "region", 1, "局长"),
    ("xs_spj", "dept_head", "region", 1, "局长"),
    ("mzj", "dept_head", "subtree", 1, "局长"),
    ("rsj", "dept_head", "subtree", 1, "局长"),
    ("wjw", "dept_head", "subtree", 1, "主任"),
    ("zrj", "dept_head", "subtree", 1, "局长"),
    ("sthj", "dept_head", "subtree", 1, "局长"),
    ("jyj", "dept_head", "subtree", 1, "局长"),
    ("jtj", "dept_head", "subtree", 1, "局长"),
    ("cgj", "dept_head", "subtree", 1, "局长"),
    ("jcs", "supervisor", "city", 2, "监察员"),
    ("bgs", "staff", "department", 1, "科员"),
    ("fgw", "staff", "department", 1, "科员"),
    ("czj", "staff", "department", 1, "科员"),
    ("xfj", "staff", "department", 1, "科员"),
    ("dsj", "staff", "department", 2, "工程师"),
    ("zwfw_dc", "staff", "department", 1, "科员"),
    ("sfq_bgs", "staff", "department", 1, "科员"),
    ("dh_bgs", "staff", "department", 1, "科员"),
)

USERNAME_PREFIX = {"clerk": "clerk", "approver": "approver", "dept_head": "head",
                   "supervisor": "supervisor", "staff": "staff"}

# The citizen and the enterprise the docs use.
WELL_KNOWN_CITIZEN = {"name": "王小明", "id_body": "36010219900307123", "mobile": "13800138000"}
WELL_KNOWN_ENTERPRISE = {"name": "示范市味道餐饮有限公司", "head": "91361200", "org_body": "MA35WD00",
                         "address": "示范市示范区滨江街道滨江路 88 号"}

# Birth places must be real GB/T 2260 codes that existed across 1950–2006 (stdnum checks
# the code against the birth year); most people were born in Jiangxi.
BIRTH_PLACES: tuple[str, ...] = (
    "360102", "360102", "360103", "360104", "360111", "360124", "360403", "360424",
    "360502", "360502", "360681", "362201", "362201", "360322", "110105", "110108",
    "310104", "310115", "440106", "440304", "330106", "320102", "420106", "430102",
    "350203", "510104",
)

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严")
GIVEN_MALE = ("伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
              "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "洋", "阳", "峰", "建国",
              "志强", "文博", "海涛", "晓东", "国栋", "子轩", "浩然", "宇航", "俊杰", "建华", "永刚", "振宇")
GIVEN_FEMALE = ("芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀英", "玲", "桂英", "燕", "萍", "红", "玉兰",
                "琳", "雪", "慧", "婷", "倩", "颖", "洁", "佳", "丹", "欣怡", "梦琪", "璐", "晶", "悦", "雯",
                "蕾", "晓燕", "海燕", "丽华", "思琪", "雨涵", "诗涵", "佳怡", "淑芬", "春梅")

MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "139", "150", "151", "152", "155",
                   "156", "157", "158", "159", "177", "180", "181", "182", "183", "185", "186", "187",
                   "188", "189", "199")

TRADE_NAMES = ("恒通", "鑫源", "华美", "顺达", "隆昌", "嘉禾", "万和", "锦程", "瑞丰", "宏图", "天成", "金桥",
               "绿源", "康泰", "永盛", "博远", "盛世", "新湖", "长青", "安和", "联创", "东方", "富民", "兴旺",
               "青山", "湖畔", "赣鄱", "庐峰", "云帆", "德润", "佳和", "启航", "创新", "和谐", "明远", "汇丰")
INDUSTRIES = ("商贸", "餐饮", "建筑工程", "科技", "物流", "食品", "农业开发", "医药", "信息技术", "文化传媒",
              "装饰设计", "电子", "家政服务", "酒店管理", "汽车服务", "教育咨询", "环保科技", "物业管理")
FORMS = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")
# (division code of the registration authority, place name used in enterprise names and addresses)
ENTERPRISE_PLACES = (("361200", "示范市"), ("361202", "示范市"), ("361221", "东湖县"), ("361281", "西山市"))
ROADS = ("滨江路", "朝阳大道", "新城路", "湖滨东路", "人民路", "解放路", "青山路", "莲塘街", "城关路", "工业园大道")
