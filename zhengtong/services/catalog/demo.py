"""Demo catalog for 示范市: ~50 published service items across the demo departments, life
events and the bundle 开办餐饮店. Deterministic; call ``load_catalog()`` after the demo city
(departments with the codes in ``zhengtong.demo.specs``) exists. Items already present are
left alone, so a second call adds nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from zhengtong.core.audit.log import record
from zhengtong.core.org.models import Department
from zhengtong.services.catalog import jsonform
from zhengtong.services.catalog.actions import CatalogError, clean_content, clean_materials
from zhengtong.services.catalog.models import (
    Bundle,
    ItemVersion,
    LifeEvent,
    Material,
    ServiceItem,
    VersionStatus,
)

BUNDLE_CODE = "open-restaurant"
BUNDLE_ITEMS = ("SCJG-001", "SCJG-002", "CGJ-001")

LIFE_EVENTS = (
    ("kbqy", "开办企业", "enterprise"), ("shengyu", "生育", "citizen"), ("jiuye", "就业创业", "citizen"),
    ("hunyin", "婚姻", "citizen"), ("huji", "户籍", "citizen"), ("jsgc", "建设工程", "enterprise"),
    ("shbz", "社会保障", "citizen"), ("jiaoyu", "教育", "both"), ("yiliao", "医疗卫生", "both"),
    ("jiaotong", "交通出行", "both"), ("huanbao", "生态环保", "enterprise"),
    ("yanglao", "养老", "citizen"),
)

# Reusable form fields (JSON Schema properties).
F: dict[str, dict] = {
    "applicant_name": {"type": "string", "title": "申请人姓名", "maxLength": 30},
    "id_number": {"type": "string", "title": "公民身份号码", "format": "id_number"},
    "mobile": {"type": "string", "title": "联系电话", "format": "mobile"},
    "address": {"type": "string", "title": "联系地址", "maxLength": 100},
    "company_name": {"type": "string", "title": "单位名称", "maxLength": 100},
    "uscc": {"type": "string", "title": "统一社会信用代码", "format": "uscc"},
    "legal_rep": {"type": "string", "title": "法定代表人", "maxLength": 30},
    "enterprise_type": {"type": "string", "title": "企业类型", "enum": ["llc", "sole", "partnership", "individual"],
                        "enumNames": ["有限责任公司", "个人独资企业", "合伙企业", "个体工商户"]},
    "registered_capital": {"type": "number", "title": "注册资本（万元）", "minimum": 0},
    "business_scope": {"type": "string", "title": "经营范围", "format": "textarea", "maxLength": 500},
    "premises": {"type": "string", "title": "经营场所", "maxLength": 100},
    "area": {"type": "number", "title": "经营面积（平方米）", "minimum": 1},
    "staff_count": {"type": "integer", "title": "从业人员数", "minimum": 1, "maximum": 10000},
    "food_category": {"type": "string", "title": "主体业态", "enum": ["restaurant", "canteen", "retail", "cafe"],
                      "enumNames": ["餐饮服务经营者", "单位食堂", "食品销售经营者", "饮品店"]},
    "sign_text": {"type": "string", "title": "招牌文字", "maxLength": 30},
    "sign_size": {"type": "string", "title": "招牌尺寸（长×高，米）", "pattern": "^[0-9.]+[x×*][0-9.]+$",
                  "errorMessage": "招牌尺寸应写作“长×高”，如 6×0.8"},
    "project_name": {"type": "string", "title": "项目名称", "maxLength": 100},
    "project_location": {"type": "string", "title": "建设地点", "maxLength": 100},
    "investment": {"type": "number", "title": "总投资（万元）", "minimum": 0},
    "building_area": {"type": "number", "title": "建筑面积（平方米）", "minimum": 0},
    "start_date": {"type": "string", "title": "计划开工日期", "format": "date"},
    "spouse_name": {"type": "string", "title": "对方姓名", "maxLength": 30},
    "spouse_id_number": {"type": "string", "title": "对方公民身份号码", "format": "id_number"},
    "marriage_date": {"type": "string", "title": "预约登记日期", "format": "date"},
    "child_name": {"type": "string", "title": "新生儿姓名", "maxLength": 30},
    "birth_date": {"type": "string", "title": "出生日期", "format": "date"},
    "from_address": {"type": "string", "title": "迁出地址", "maxLength": 100},
    "to_address": {"type": "string", "title": "迁入地址", "maxLength": 100},
    "reason": {"type": "string", "title": "申请事由", "format": "textarea", "maxLength": 500},
    "family_size": {"type": "integer", "title": "家庭人口数", "minimum": 1, "maximum": 20},
    "monthly_income": {"type": "number", "title": "家庭月收入（元）", "minimum": 0},
    "employer": {"type": "string", "title": "工作单位", "maxLength": 100},
    "school_name": {"type": "string", "title": "学校名称", "maxLength": 100},
    "vehicle_plate": {"type": "string", "title": "车辆号牌", "maxLength": 10},
    "vehicle_count": {"type": "integer", "title": "车辆数", "minimum": 1},
    "practice_org": {"type": "string", "title": "执业机构", "maxLength": 100},
    "practice_scope": {"type": "string", "title": "执业范围", "enum": ["internal", "surgery", "pediatrics", "other"],
                       "enumNames": ["内科专业", "外科专业", "儿科专业", "其他"]},
    "emission_type": {"type": "string", "title": "环评类别", "enum": ["report", "table"],
                      "enumNames": ["环境影响报告书", "环境影响报告表"]},
    "pledge": {"type": "boolean", "title": "本人承诺所填信息真实有效"},
}


def schema_for(fields: tuple[str, ...], required: tuple[str, ...]) -> dict:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
            "properties": {k: dict(F[k]) for k in fields}, "required": [k for k in required if k in fields]}


def M(name: str, form: str = "electronic", trust: str = "C", shared: str = "", required: bool = True,
      count: int = 1, note: str = "") -> dict:
    return {"name": name, "form": form, "count": count, "required": required, "trust_level": trust,
            "shared_source": shared, "note": note}


ID_CARD = M("居民身份证", "original", "B", "人口库:居民身份证", note="核验原件")
LICENCE = M("营业执照", "copy", "B", "法人库:营业执照")
HUKOU = M("居民户口簿", "original", "B", "人口库:居民户口簿")
APPLICATION = M("申请书", "electronic", "D", "本平台:网上申请表", note="在线填写后自动生成，无需另行上传")
PROMISE = M("告知承诺书", "electronic", "D", note="在线签署")

PERSON = ("applicant_name", "id_number", "mobile")
ORG = ("company_name", "uscc", "legal_rep", "mobile")

_PROCESS_TEXT = {
    "simple": "1. 申请：申请人在线或到窗口提交申请材料。\n2. 受理：窗口审核材料，当场作出受理或不予受理决定；材料不全的一次性告知。\n"
              "3. 审查：承办科室审查申请材料，必要时组织核查。\n4. 决定：作出准予或不予许可决定。\n5. 送达：电子证照即时生成，可下载、窗口领取或邮寄。",
    "countersign": "1. 申请与受理：综合窗口统一收件受理。\n2. 审查：承办科室提出初审意见。\n3. 会签：相关科室（部门）会签。\n"
                   "4. 决定：分管负责人审批决定。\n5. 送达：电子证照即时生成。",
    "parallel": "1. 申请与受理：综合窗口“一窗受理”。\n2. 并联审查：各相关部门同步审查，各自在限定时间内出具意见。\n"
                "3. 联合决定：汇总各部门意见后统一作出决定。\n4. 送达：电子证照即时生成，一次领取。",
}


@dataclass
class DemoItem:
    code: str
    dept: str
    name: str
    kind: str
    days: tuple[int, int]
    basis: str
    conditions: str
    materials: list[dict]
    fields: tuple[str, ...]
    required: tuple[str, ...]
    events: tuple[str, ...] = ()
    audience: str = "both"
    process: str = "simple"
    fees: list[dict] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    depth: int = 4
    visits: int = 0
    faq: list[dict] = field(default_factory=list)


def _fee(name: str, amount: str, basis: str) -> dict:
    return {"name": name, "amount": amount, "basis": basis}


def _step(name: str, days: int, basis: str = "") -> dict:
    return {"name": name, "max_days": days, "basis": basis}


I = DemoItem  # noqa: E741  (short alias for the table below)
E = "enterprise"
C = "citizen"

ITEMS: tuple[DemoItem, ...] = (
    # 市场监督管理局
    I("SCJG-001", "SF-SCJG", "企业设立登记", "licensing", (15, 1),
      "《中华人民共和国市场主体登记管理条例》第三条、第十九条",
      "1. 有符合规定的名称；2. 有住所或者经营场所；3. 有符合规定的出资；4. 有公司章程（有限责任公司）。",
      [APPLICATION, M("公司章程", trust="D"), ID_CARD, M("住所使用证明", "copy", "C"),
       M("股东会决议", required=False, trust="D")],
      (*ORG[:1], "enterprise_type", "legal_rep", "id_number", "registered_capital", "business_scope", "premises",
       "mobile"), ("company_name", "enterprise_type", "legal_rep", "id_number", "premises", "mobile"),
      ("kbqy", "jiuye"), E, faq=[{"q": "营业执照多久能拿到？", "a": "材料齐全的当日办结，电子营业执照即时生成。"}]),
    I("SCJG-002", "SF-SCJG", "食品经营许可", "licensing", (20, 5),
      "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
      "1. 具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所；\n2. 具有相应的设备设施；\n"
      "3. 有专职或兼职的食品安全管理人员和保证食品安全的规章制度；\n4. 具有合理的设备布局和工艺流程。",
      [APPLICATION, LICENCE, M("经营场所平面布局图", trust="D"), M("食品安全管理制度", trust="D"),
       M("食品安全管理人员健康证明", "copy", "C", "卫健库:健康证明")],
      ("company_name", "uscc", "legal_rep", "premises", "area", "food_category", "mobile", "pledge"),
      ("company_name", "uscc", "premises", "area", "food_category", "mobile"), ("kbqy",), E,
      steps=[_step("现场核查", 10, "《食品经营许可和备案管理办法》第二十二条")],
      faq=[{"q": "小餐饮需要现场核查吗？", "a": "仅从事预包装食品销售的可免于现场核查，其他情形一般需核查。"}]),
    I("SCJG-003", "SF-SCJG", "个体工商户登记", "licensing", (15, 1), "《促进个体工商户发展条例》；《市场主体登记管理条例》",
      "有经营能力的自然人，有固定经营场所。", [APPLICATION, ID_CARD, M("经营场所证明", "copy")],
      ("applicant_name", "id_number", "premises", "business_scope", "mobile"),
      ("applicant_name", "id_number", "premises", "mobile"), ("kbqy", "jiuye"), C),
    I("SCJG-004", "SF-SCJG", "企业变更登记", "licensing", (15, 3), "《中华人民共和国市场主体登记管理条例》第二十四条",
      "企业登记事项发生变更的，应当自作出变更决议之日起30日内申请变更登记。",
      [APPLICATION, LICENCE, M("变更决议或决定", trust="D"), M("章程修正案", required=False, trust="D")],
      (*ORG, "reason"), ORG, ("kbqy",), E),
    I("SCJG-005", "SF-SCJG", "企业注销登记", "licensing", (15, 5), "《中华人民共和国市场主体登记管理条例》第三十一条",
      "企业已清算完毕，无未结清债权债务。", [APPLICATION, LICENCE, M("清算报告", trust="D"), PROMISE],
      (*ORG, "reason"), ORG, ("kbqy",), E),
    I("SCJG-006", "SF-SCJG", "特种设备使用登记", "filing", (15, 10), "《中华人民共和国特种设备安全法》第三十三条",
      "特种设备投入使用前或者投入使用后三十日内。",
      [APPLICATION, LICENCE, M("特种设备产品合格证", "copy", "C"), M("监督检验证明", "copy", "C")],
      (*ORG, "address"), ORG, (), E, depth=3, visits=1),
    I("SCJG-007", "SF-SCJG", "药品零售企业经营许可", "licensing", (30, 15), "《中华人民共和国药品管理法》第五十二条",
      "有依法经过资格认定的药师或者其他药学技术人员；有相适应的营业场所、设备、仓储设施和卫生环境。",
      [APPLICATION, LICENCE, M("执业药师注册证", "copy", "B"), M("营业场所平面图", trust="D")],
      (*ORG, "premises", "area"), (*ORG, "premises"), ("kbqy", "yiliao"), E, process="countersign",
      steps=[_step("现场检查", 15, "《药品经营和使用质量监督管理办法》")], visits=1),
    # 行政审批局（综合审批）
    I("XZSP-001", "SF-XZSP", "公共场所卫生许可", "licensing", (20, 5), "《公共场所卫生管理条例》第八条",
      "具备与经营项目相适应的卫生设施和卫生管理制度。",
      [APPLICATION, LICENCE, M("卫生管理制度", trust="D"), M("从业人员健康证明", "copy", "C", "卫健库:健康证明")],
      (*ORG, "premises", "area", "staff_count"), (*ORG, "premises"), ("kbqy",), E, process="countersign",
      fees=[]),
    I("XZSP-002", "SF-XZSP", "娱乐场所经营许可", "licensing", (20, 10), "《娱乐场所管理条例》第九条",
      "有与经营活动相适应的设施、设备，符合消防安全要求。",
      [APPLICATION, LICENCE, ID_CARD, M("消防安全检查合格证明", "copy", "B")],
      (*ORG, "premises", "area"), (*ORG, "premises"), ("kbqy",), E, process="countersign",
      steps=[_step("实地检查", 10)], visits=1),
    # 城市管理局
    I("CGJ-001", "SF-CGJ", "户外招牌设置许可", "licensing", (20, 3), "《城市市容和环境卫生管理条例》第十一条；《示范市户外广告和招牌设置管理办法》",
      "招牌设置符合本市户外招牌设置规划和技术规范，一店一招。",
      [APPLICATION, LICENCE, M("招牌设计效果图", trust="D"), M("场所产权或租赁证明", "copy", "C")],
      ("company_name", "uscc", "premises", "sign_text", "sign_size", "mobile"),
      ("company_name", "premises", "sign_text", "sign_size", "mobile"), ("kbqy",), E),
    I("CGJ-002", "SF-CGJ", "城市道路临时占用许可", "licensing", (20, 5), "《城市道路管理条例》第三十一条",
      "因特殊情况需要临时占用城市道路的。", [APPLICATION, ID_CARD, M("占道平面示意图", trust="D")],
      (*PERSON, "address", "reason", "start_date"), (*PERSON, "address", "start_date"), ("jsgc",)),
    I("CGJ-003", "SF-CGJ", "城市建筑垃圾处置核准", "licensing", (20, 10), "《城市建筑垃圾管理规定》第七条",
      "有消纳场所、运输车辆及处置方案。", [APPLICATION, LICENCE, M("建筑垃圾处置方案", trust="D"),
                               M("运输合同", "copy", "C")],
      (*ORG, "project_name", "project_location"), (*ORG, "project_name"), ("jsgc",), E),
    # 公安局
    I("GAJ-001", "SF-GAJ", "户口迁移（市内迁移）", "confirmation", (15, 5), "《中华人民共和国户口登记条例》第十条",
      "在本市有合法稳定住所的，可申请将户口迁入住所地。",
      [ID_CARD, HUKOU, M("房屋所有权证明", "copy", "B", "不动产库:不动产权证书")],
      (*PERSON, "from_address", "to_address", "reason"), (*PERSON, "from_address", "to_address"), ("huji",), C,
      depth=3, visits=1),
    I("GAJ-002", "SF-GAJ", "居住证办理", "public_service", (15, 7), "《居住证暂行条例》第九条",
      "离开常住户口所在地，到本市居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一。",
      [ID_CARD, M("居住证明", "copy", "C"), M("近期免冠照片", "electronic", "D", note="白底证件照")],
      (*PERSON, "address", "employer"), (*PERSON, "address"), ("huji", "jiuye"), C),
    I("GAJ-003", "SF-GAJ", "出生登记", "confirmation", (5, 1), "《中华人民共和国户口登记条例》第七条",
      "婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报出生登记。",
      [M("出生医学证明", "original", "B", "卫健库:出生医学证明"), HUKOU, ID_CARD],
      (*PERSON, "child_name", "birth_date"), (*PERSON, "child_name", "birth_date"), ("shengyu", "huji"), C),
    I("GAJ-004", "SF-GAJ", "身份证换领", "public_service", (60, 20), "《中华人民共和国居民身份证法》",
      "居民身份证有效期满、证件损坏或登记项目变更的。", [HUKOU, M("原居民身份证", "original", "B")],
      PERSON, PERSON, ("huji",), C, fees=[_fee("居民身份证工本费", "20.00", "发改价格〔2003〕2322号")],
      depth=3, visits=1),
    I("GAJ-005", "SF-GAJ", "户籍证明开具", "public_service", (5, 1), "《中华人民共和国户口登记条例》",
      "本人或委托代理人申请。", [ID_CARD], (*PERSON, "reason"), PERSON, ("huji",), C),
    # 民政局
    I("MZJ-001", "SF-MZJ", "内地居民结婚登记", "confirmation", (1, 1), "《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》第四条",
      "男女双方完全自愿，达到法定婚龄，均无配偶，非直系血亲和三代以内旁系血亲。",
      [ID_CARD, HUKOU, M("本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明", trust="D"),
       M("近期半身免冠合影照片", "original", "D", count=3)],
      (*PERSON, "spouse_name", "spouse_id_number", "marriage_date"),
      (*PERSON, "spouse_name", "spouse_id_number", "marriage_date"), ("hunyin",), C, depth=2, visits=1,
      faq=[{"q": "可以网上办结吗？", "a": "可在线预约，双方须亲自到婚姻登记处办理。"}]),
    I("MZJ-002", "SF-MZJ", "内地居民离婚登记", "confirmation", (30, 30), "《中华人民共和国民法典》第一千零七十六条",
      "双方自愿离婚，对子女抚养、财产及债务处理等事项协商一致。",
      [ID_CARD, HUKOU, M("结婚证", "original", "A", "民政库:结婚登记"), M("离婚协议书", "original", "D", count=3)],
      (*PERSON, "spouse_name", "spouse_id_number"), (*PERSON, "spouse_name", "spouse_id_number"), ("hunyin",), C,
      steps=[_step("离婚冷静期", 30, "《民法典》第一千零七十七条")], depth=2, visits=2),
    I("MZJ-003", "SF-MZJ", "最低生活保障审核确认", "benefit", (30, 20), "《社会救助暂行办法》第九条；《江西省最低生活保障办法》",
      "共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合财产状况规定。",
      [ID_CARD, HUKOU, M("家庭经济状况核对授权书", trust="D"), M("收入证明", "copy", "C", required=False)],
      (*PERSON, "address", "family_size", "monthly_income", "reason"),
      (*PERSON, "address", "family_size", "monthly_income"), ("shbz",), C, process="countersign",
      steps=[_step("入户调查", 10), _step("公示", 7, "《社会救助暂行办法》第十一条")]),
    I("MZJ-004", "SF-MZJ", "高龄津贴申领", "benefit", (20, 10), "《示范市高龄津贴发放办法》",
      "具有本市户籍、年满80周岁的老年人。", [ID_CARD, HUKOU, M("银行账户信息", trust="D")],
      (*PERSON, "address"), PERSON, ("yanglao", "shbz"), C),
    I("MZJ-005", "SF-MZJ", "社会团体成立登记", "licensing", (60, 30), "《社会团体登记管理条例》第九条",
      "有50个以上的个人会员或者30个以上的单位会员；有规范的名称和相应的组织机构；有固定的住所。",
      [APPLICATION, M("章程草案", trust="D"), M("业务主管单位批准文件", "original", "B"),
       M("验资报告", "copy", "C")],
      ("company_name", "legal_rep", "id_number", "address", "registered_capital", "mobile"),
      ("company_name", "legal_rep", "id_number", "mobile"), (), E, process="countersign", depth=3, visits=1),
    I("MZJ-006", "SF-MZJ", "养老机构备案", "filing", (5, 3), "《中华人民共和国老年人权益保障法》第四十三条",
      "依法登记的养老机构在收住老年人后10个工作日内备案。",
      [APPLICATION, LICENCE, M("服务场所证明", "copy", "C"), PROMISE],
      (*ORG, "premises", "area"), ORG, ("yanglao",), E),
    # 人社局
    I("RSJ-001", "SF-RSJ", "失业登记", "public_service", (1, 1), "《就业服务与就业管理规定》第六十三条",
      "法定劳动年龄内、有劳动能力、有就业要求、处于无业状态的城乡劳动者。", [ID_CARD],
      (*PERSON, "address", "reason"), PERSON, ("jiuye", "shbz"), C),
    I("RSJ-002", "SF-RSJ", "失业保险金申领", "benefit", (20, 5), "《失业保险条例》第十四条；《社会保险法》第四十五条",
      "失业前用人单位和本人已缴纳失业保险费满一年；非因本人意愿中断就业；已办理失业登记并有求职要求。",
      [ID_CARD, M("解除或终止劳动合同证明", "copy", "C")],
      (*PERSON, "employer", "reason"), (*PERSON, "employer"), ("jiuye", "shbz"), C),
    I("RSJ-003", "SF-RSJ", "城乡居民基本养老保险参保登记", "public_service", (5, 1), "《国务院关于建立统一的城乡居民基本养老保险制度的意见》",
      "年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险覆盖范围的本市户籍居民。",
      [ID_CARD, HUKOU], (*PERSON, "address"), PERSON, ("shbz", "yanglao"), C),
    I("RSJ-004", "SF-RSJ", "社会保障卡申领", "public_service", (20, 10), "《社会保险法》第五十八条",
      "参加社会保险的人员。", [ID_CARD, M("近期免冠照片", trust="D")], (*PERSON, "address"), PERSON, ("shbz",), C),
    I("RSJ-005", "SF-RSJ", "创业担保贷款申请", "benefit", (20, 15), "《创业担保贷款实施办法》",
      "符合条件的城镇登记失业人员、高校毕业生、返乡创业农民工等在本市创业。",
      [ID_CARD, LICENCE, M("创业计划书", trust="D"), M("担保人材料", "copy", "C", required=False)],
      (*PERSON, "company_name", "uscc", "registered_capital", "reason"), (*PERSON, "company_name"),
      ("jiuye", "kbqy"), C, process="countersign"),
    I("RSJ-006", "SF-RSJ", "人力资源服务许可", "licensing", (20, 10), "《人力资源市场暂行条例》第十八条",
      "有与开展业务相适应的场所、设施和专业人员。", [APPLICATION, LICENCE, M("专职工作人员名单", trust="D")],
      (*ORG, "premises", "staff_count"), (*ORG, "premises"), ("jiuye",), E),
    # 住建局
    I("ZJJ-001", "SF-ZJJ", "建筑工程施工许可", "licensing", (15, 7), "《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》",
      "1. 已办理用地批准手续；2. 已取得建设工程规划许可证；3. 施工场地已具备施工条件；\n4. 已确定施工企业；5. 有满足施工需要的技术资料；6. 建设资金已落实。",
      [APPLICATION, LICENCE, M("建设工程规划许可证", "copy", "A"), M("施工合同", "copy", "C"),
       M("施工图设计文件审查合格书", "copy", "C"), M("质量安全监督手续", "copy", "A")],
      (*ORG, "project_name", "project_location", "investment", "building_area", "start_date"),
      (*ORG, "project_name", "project_location", "start_date"), ("jsgc",), E, process="parallel",
      steps=[_step("专家论证", 10, "危险性较大的分部分项工程")]),
    I("ZJJ-002", "SF-ZJJ", "商品房预售许可", "licensing", (20, 10), "《城市商品房预售管理办法》第六条",
      "已交付全部土地使用权出让金，取得土地使用权证书；持有建设工程规划许可证和施工许可证；投入开发建设资金达总投资25%以上。",
      [APPLICATION, LICENCE, M("土地使用权证书", "copy", "B", "不动产库:不动产权证书"), M("预售方案", trust="D")],
      (*ORG, "project_name", "project_location", "building_area"), (*ORG, "project_name"), ("jsgc",), E,
      process="countersign", steps=[_step("现场勘查", 5)]),
    I("ZJJ-003", "SF-ZJJ", "建筑业企业资质核准", "licensing", (20, 15), "《建筑业企业资质管理规定》",
      "企业净资产、技术负责人、技术工人和业绩符合资质标准。",
      [APPLICATION, LICENCE, M("技术负责人资格证书", "copy", "B"), M("企业净资产证明", "copy", "C")],
      (*ORG, "registered_capital", "staff_count"), ORG, ("jsgc", "kbqy"), E),
    I("ZJJ-004", "SF-ZJJ", "房屋建筑工程竣工验收备案", "filing", (15, 5), "《房屋建筑和市政基础设施工程竣工验收备案管理办法》第四条",
      "工程竣工验收合格之日起15日内。", [APPLICATION, M("工程竣工验收报告", "original", "C"),
                                     M("消防验收意见", "copy", "A")],
      (*ORG, "project_name", "project_location"), (*ORG, "project_name"), ("jsgc",), E, process="parallel"),
    I("ZJJ-005", "SF-ZJJ", "公共租赁住房资格申请", "benefit", (30, 20), "《公共租赁住房管理办法》第七条",
      "本市城镇中等偏下收入住房困难家庭、新就业无房职工和在本市稳定就业的外来务工人员。",
      [ID_CARD, HUKOU, M("收入证明", "copy", "C"), M("住房情况声明", trust="D")],
      (*PERSON, "family_size", "monthly_income", "employer"), (*PERSON, "family_size", "monthly_income"),
      ("shbz",), C, process="countersign", steps=[_step("公示", 7)]),
    # 自然资源和规划局
    I("ZRZY-001", "SF-ZRZY", "建设用地规划许可", "licensing", (20, 10), "《中华人民共和国城乡规划法》第三十七条、第三十八条",
      "建设项目已取得批准、核准或备案文件；在城市、镇规划区内。",
      [APPLICATION, LICENCE, M("建设项目批准、核准或备案文件", "copy", "B"), M("国有土地使用权出让合同", "copy", "B")],
      (*ORG, "project_name", "project_location", "building_area"), (*ORG, "project_name", "project_location"),
      ("jsgc",), E, process="countersign"),
    I("ZRZY-002", "SF-ZRZY", "建设工程规划许可", "licensing", (20, 10), "《中华人民共和国城乡规划法》第四十条",
      "已取得建设用地规划许可证和土地使用权证明，设计方案符合控制性详细规划。",
      [APPLICATION, LICENCE, M("建设用地规划许可证", "copy", "A"), M("建设工程设计方案", trust="C")],
      (*ORG, "project_name", "project_location", "building_area", "investment"), (*ORG, "project_name"),
      ("jsgc",), E, process="parallel", steps=[_step("规划方案批前公示", 10, "《城乡规划法》第二十六条")]),
    I("ZRZY-003", "SF-ZRZY", "不动产首次登记", "confirmation", (30, 5), "《不动产登记暂行条例》第十四条",
      "依法取得不动产权利的权利人。", [APPLICATION, ID_CARD, M("不动产权属来源证明", "original", "B")],
      (*PERSON, "address"), (*PERSON, "address"), ("jsgc",), C,
      fees=[_fee("不动产登记费（住宅）", "80.00", "财税〔2016〕79号"), _fee("证书工本费", "0.00", "首本免收")]),
    I("ZRZY-004", "SF-ZRZY", "乡村建设规划许可", "licensing", (20, 15), "《中华人民共和国城乡规划法》第四十一条",
      "在乡、村庄规划区内进行乡镇企业、乡村公共设施和公益事业建设的。",
      [APPLICATION, ID_CARD, M("村民委员会意见", "original", "C"), M("建设方案图", trust="D")],
      (*PERSON, "project_location", "building_area"), (*PERSON, "project_location"), ("jsgc",), C, depth=3,
      visits=1),
    # 卫健委
    I("WJW-001", "SF-WJW", "医师执业注册", "licensing", (20, 10), "《中华人民共和国医师法》第十三条；《医师执业注册管理办法》",
      "取得医师资格，经执业机构同意。",
      [APPLICATION, ID_CARD, M("医师资格证书", "original", "A"), M("健康体检证明", "original", "C"),
       M("拟执业机构聘用证明", "original", "C")],
      (*PERSON, "practice_org", "practice_scope"), (*PERSON, "practice_org", "practice_scope"), ("yiliao",), C),
    I("WJW-002", "SF-WJW", "医疗机构执业登记", "licensing", (45, 20), "《医疗机构管理条例》第十五条",
      "按照设置批准书的要求完成建设，有适合的名称、组织机构和场所，有相应的卫生技术人员。",
      [APPLICATION, LICENCE, M("设置医疗机构批准书", "original", "A"), M("卫生技术人员名录及执业证书", "copy", "A")],
      (*ORG, "premises", "area", "staff_count"), (*ORG, "premises"), ("yiliao",), E, process="countersign",
      steps=[_step("现场评审", 15)], visits=1),
    I("WJW-003", "SF-WJW", "出生医学证明首次签发", "public_service", (5, 1), "《中华人民共和国母婴保健法》第二十三条",
      "在本市医疗保健机构出生的新生儿。", [ID_CARD, M("分娩记录", "original", "A")],
      (*PERSON, "child_name", "birth_date"), (*PERSON, "child_name", "birth_date"), ("shengyu", "yiliao"), C),
    I("WJW-004", "SF-WJW", "生育登记", "public_service", (1, 1), "《江西省人口与计划生育条例》",
      "夫妻双方或一方户籍在本市，或在本市居住。", [ID_CARD, M("结婚证", "original", "A", "民政库:结婚登记")],
      (*PERSON, "spouse_name", "spouse_id_number"), PERSON, ("shengyu",), C),
    # 生态环境局
    I("STHJ-001", "SF-STHJ", "建设项目环境影响评价审批", "licensing", (60, 20), "《中华人民共和国环境影响评价法》第二十二条",
      "建设项目符合生态环境分区管控要求和相关规划，环境影响报告书（表）编制规范。",
      [APPLICATION, LICENCE, M("环境影响报告书（表）", "electronic", "C"), M("公众参与说明", trust="D", required=False)],
      (*ORG, "project_name", "project_location", "investment", "emission_type"),
      (*ORG, "project_name", "emission_type"), ("jsgc", "huanbao"), E, process="countersign",
      steps=[_step("技术评估", 30, "《环境影响评价法》"), _step("公示", 5)]),
    I("STHJ-002", "SF-STHJ", "排污许可证核发", "licensing", (20, 15), "《排污许可管理条例》第十一条",
      "依法取得建设项目环评批复，污染防治设施和措施符合要求。",
      [APPLICATION, LICENCE, M("排污许可证申请表", trust="D"), M("自行监测方案", trust="D")],
      (*ORG, "project_location"), ORG, ("huanbao",), E),
    I("STHJ-003", "SF-STHJ", "危险废物经营许可", "licensing", (20, 20), "《中华人民共和国固体废物污染环境防治法》第八十条",
      "有相应的专业技术人员、运输工具、贮存设施和处置设施。",
      [APPLICATION, LICENCE, M("技术人员资格证明", "copy", "B"), M("设施设备清单", trust="D")],
      (*ORG, "premises"), ORG, ("huanbao",), E, process="countersign", steps=[_step("专家评审", 20)], visits=1),
    # 交通运输局
    I("JTJ-001", "SF-JTJ", "道路货物运输经营许可", "licensing", (20, 10), "《中华人民共和国道路运输条例》第二十四条",
      "有与其经营业务相适应并经检测合格的车辆；有符合规定的驾驶人员；有健全的安全生产管理制度。",
      [APPLICATION, LICENCE, M("车辆行驶证", "copy", "B", "公安交管库:机动车行驶证"), M("驾驶员从业资格证", "copy", "A")],
      (*ORG, "vehicle_count"), (*ORG, "vehicle_count"), ("jiaotong", "kbqy"), E),
    I("JTJ-002", "SF-JTJ", "道路旅客运输经营许可", "licensing", (20, 15), "《中华人民共和国道路运输条例》第八条",
      "有与其经营业务相适应并经检测合格的客车，有符合条件的驾驶人员和安全管理制度。",
      [APPLICATION, LICENCE, M("客车技术等级评定证明", "copy", "C"), M("安全生产管理制度文本", trust="D")],
      (*ORG, "vehicle_count"), ORG, ("jiaotong",), E, process="countersign"),
    I("JTJ-003", "SF-JTJ", "出租汽车驾驶员从业资格证核发", "licensing", (20, 10), "《出租汽车驾驶员从业资格管理规定》",
      "取得相应准驾车型机动车驾驶证并具有3年以上驾驶经历，无交通肇事犯罪等记录，考试合格。",
      [ID_CARD, M("机动车驾驶证", "copy", "B", "公安交管库:机动车驾驶证"), M("无犯罪记录证明", "original", "B")],
      (*PERSON, "vehicle_plate"), PERSON, ("jiaotong", "jiuye"), C, fees=[], depth=3, visits=1),
    # 教育局
    I("JYJ-001", "SF-JYJ", "民办学校设立审批", "licensing", (90, 60), "《中华人民共和国民办教育促进法》第十二条",
      "有规范的名称、组织机构、教师和管理人员，有必备的办学条件和办学资金。",
      [APPLICATION, M("举办者资格证明", "copy", "B"), M("资产来源和验资证明", "copy", "C"), M("学校章程", trust="D")],
      ("school_name", "legal_rep", "id_number", "address", "registered_capital", "mobile"),
      ("school_name", "legal_rep", "id_number", "mobile"), ("jiaoyu",), E, process="countersign",
      steps=[_step("专家评议", 30)], visits=1, depth=3),
    I("JYJ-002", "SF-JYJ", "教师资格认定", "licensing", (60, 30), "《中华人民共和国教师法》第十三条；《教师资格条例》",
      "具备规定学历，普通话水平达标，体检合格，思想品德良好。",
      [ID_CARD, M("学历证书", "copy", "B", "学信库:学历证书"), M("普通话水平测试等级证书", "copy", "B"),
       M("体检合格证明", "original", "C")], (*PERSON, "school_name"), PERSON, ("jiaoyu", "jiuye"), C),
    I("JYJ-003", "SF-JYJ", "义务教育阶段转学", "public_service", (10, 5), "《中华人民共和国义务教育法》",
      "因户籍迁移或父母工作调动等原因需要转学的义务教育阶段学生。",
      [HUKOU, M("转入学校接收证明", "original", "C")], (*PERSON, "child_name", "school_name", "reason"),
      (*PERSON, "child_name", "school_name"), ("jiaoyu",), C),
    # 其他部门
    I("WGL-001", "SF-WGL", "营业性演出审批", "licensing", (3, 3), "《营业性演出管理条例》第十三条",
      "有与其业务相适应的专职演出经纪人员，演出内容符合规定。",
      [APPLICATION, LICENCE, M("演出节目内容材料", trust="D"), M("演出场所合格证明", "copy", "C")],
      (*ORG, "premises", "start_date"), (*ORG, "start_date"), (), E),
    I("YJJ-001", "SF-YJJ", "危险化学品经营许可", "licensing", (30, 15), "《危险化学品安全管理条例》第三十三条",
      "有符合国家标准的经营场所和储存设施，从业人员经专业技术培训合格。",
      [APPLICATION, LICENCE, M("安全管理制度", trust="D"), M("主要负责人安全培训合格证明", "copy", "A")],
      (*ORG, "premises", "area"), (*ORG, "premises"), ("kbqy",), E, process="countersign",
      steps=[_step("现场核查", 10)], visits=1),
    I("NYJ-001", "SF-NYJ", "农药经营许可", "licensing", (20, 10), "《农药管理条例》第二十四条",
      "有农学、植保等相关专业学历或培训合格的经营人员，有符合要求的营业场所和仓储场所。",
      [APPLICATION, LICENCE, M("营业场所和仓储场所证明", "copy", "C")], (*ORG, "premises"), ORG, (), E),
    I("SWJ-001", "SF-SWJ", "新办纳税人涉税事项套餐", "public_service", (1, 1), "《中华人民共和国税收征收管理法》",
      "已领取营业执照的新办纳税人。", [LICENCE, ID_CARD], ORG, ORG, ("kbqy",), E),
)


def _content(spec: DemoItem, dept: Department, order: int) -> dict:
    return {
        "name": spec.name, "kind": spec.kind, "audience": spec.audience, "legal_basis": spec.basis,
        "conditions": spec.conditions, "process_description": _PROCESS_TEXT[spec.process],
        "statutory_days": spec.days[0], "promised_days": spec.days[1], "acceptance_days": min(5, spec.days[0]),
        "special_steps": spec.steps, "fees": spec.fees,
        "place": f"示范市政务服务中心{(order % 3) + 1}楼 {dept.short_name or dept.name}窗口",
        "hours": "工作日 上午9:00-12:00 下午13:30-17:00（周六上午延时服务）",
        "online_depth": spec.depth, "visits_needed": spec.visits,
        "consultation": f"电话 0795-{7100000 + order * 37}；12345政务服务便民热线",
        "complaint": "示范市政务服务监察室 0795-7000000；12345政务服务便民热线",
        "faq": spec.faq or [{"q": f"办理“{spec.name}”需要到现场吗？",
                             "a": "全程网办，无需到现场。" if spec.visits == 0 else f"需到现场 {spec.visits} 次。"}],
        "form_schema": schema_for(spec.fields, spec.required), "process_key": spec.process,
    }


def _create(spec: DemoItem, dept: Department, order: int, events: dict[str, LifeEvent], now) -> ServiceItem:
    cleaned, errors = clean_content(_content(spec, dept, order))
    rows, material_errors = clean_materials(spec.materials)
    if errors or material_errors:
        raise CatalogError(f"{spec.code}: {errors or material_errors}")
    item = ServiceItem.objects.create(code=spec.code, department=dept, region=dept.region)
    version = ItemVersion.objects.create(item=item, version=1, status=VersionStatus.PUBLISHED, published_at=now,
                                         **cleaned)
    Material.objects.bulk_create([Material(version=version, **row) for row in rows])
    item.current = version
    item.save(update_fields=["current"])
    item.life_events.set([events[c] for c in spec.events])
    return item


@transaction.atomic
def load_catalog() -> dict[str, int]:
    """Create the demo life events, items and bundle (skipping what exists). Returns counts."""
    events = {}
    for order, (code, name, audience) in enumerate(LIFE_EVENTS, 1):
        events[code], _ = LifeEvent.objects.get_or_create(code=code, defaults={
            "name": name, "audience": audience, "sort_order": order * 10})
    depts = {d.code: d for d in Department.objects.filter(code__in={s.dept for s in ITEMS} | {"SF-ZWFW"})}
    existing = set(ServiceItem.objects.values_list("code", flat=True))
    now = timezone.now()
    created = [_create(spec, depts[spec.dept], order, events, now)
               for order, spec in enumerate(ITEMS, 1) if spec.code not in existing and spec.dept in depts]
    bundle = _bundle(depts.get("SF-ZWFW"), events["kbqy"])
    counts = {"items": len(created), "life_events": len(events), "bundles": int(bundle is not None)}
    if created:
        record("catalog.demo.load", role="demo", after=counts)
    return counts


def _bundle(lead: Department | None, event: LifeEvent) -> Bundle | None:
    items = list(ServiceItem.objects.filter(code__in=BUNDLE_ITEMS).select_related("current"))
    if lead is None or len(items) != len(BUNDLE_ITEMS) or Bundle.objects.filter(code=BUNDLE_CODE).exists():
        return None
    schema = jsonform.merge([i.current.form_schema for i in sorted(items, key=lambda i: i.code)],
                            title="开办餐饮店合并申请表")
    bundle = Bundle.objects.create(
        code=BUNDLE_CODE, name="开办餐饮店", life_event=event, lead_department=lead, form_schema=schema,
        promised_days=5, published=True,
        description="将企业设立登记、食品经营许可、户外招牌设置许可整合为“一件事”：一张表单、一套材料、一次提交，"
                    "市场监管、城管部门并联审批，办结后统一送达。")
    bundle.items.set(items)
    return bundle
