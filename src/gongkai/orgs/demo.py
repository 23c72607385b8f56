"""A realistic, fictional district for demonstrations and browser tests: 临江区 of 江州市.

The division code 339905 belongs to no real district, so nothing here impersonates a real
government; the credit codes are well-formed (GB 32100 / GB 11714) but fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from gongkai.core.ids import make_credit_code
from gongkai.orgs import services
from gongkai.orgs.constants import AdminRole, OrgType, Role
from gongkai.orgs.models import Organization

DIVISION = "339905"
DISTRICT = "江州市临江区人民政府"
ADDRESS = "江州市临江区人民路100号"

DEPARTMENTS = [
    ("区政府办公室", "zfb"),
    ("区发展和改革委员会", "fgw"),
    ("区教育局", "jyj"),
    ("区科学技术局", "kjj"),
    ("区工业和信息化局", "gxj"),
    ("区民族宗教事务局", "mzj"),
    ("区民政局", "mzhj"),
    ("区司法局", "sfj"),
    ("区财政局", "czj"),
    ("区人力资源和社会保障局", "rsj"),
    ("区规划和自然资源局", "ghj"),
    ("区生态环境局", "sthjj"),
    ("区住房和城乡建设局", "zjj"),
    ("区交通运输局", "jtj"),
    ("区水务局", "swj"),
    ("区农业农村局", "nyj"),
    ("区商务局", "swuj"),
    ("区文化和旅游局", "wlj"),
    ("区卫生健康委员会", "wjw"),
    ("区退役军人事务局", "tyjrj"),
    ("区应急管理局", "yjj"),
    ("区审计局", "sjj"),
    ("区市场监督管理局", "scjgj"),
    ("区统计局", "tjj"),
    ("区医疗保障局", "ybj"),
    ("区城市管理局", "cgj"),
    ("区体育局", "tyj"),
    ("区信访局", "xfj"),
    ("区数据资源管理局", "sjzyj"),
    ("区国有资产监督管理委员会", "gzw"),
]
STREETS = [
    ("临江街道办事处", "ljjd", OrgType.STREET),
    ("江滨街道办事处", "jbjd", OrgType.STREET),
    ("望湖街道办事处", "whjd", OrgType.STREET),
    ("东城街道办事处", "dcjd", OrgType.STREET),
    ("西园街道办事处", "xyjd", OrgType.STREET),
    ("北山街道办事处", "bsjd", OrgType.STREET),
    ("南湖街道办事处", "nhjd", OrgType.STREET),
    ("新桥镇人民政府", "xqz", OrgType.TOWN),
    ("白沙镇人民政府", "bsz", OrgType.TOWN),
    ("青石镇人民政府", "qsz", OrgType.TOWN),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = [
    "建国",
    "丽华",
    "志强",
    "秀英",
    "海涛",
    "晓燕",
    "文杰",
    "静",
    "伟",
    "敏",
    "磊",
    "娜",
    "洋",
    "婷",
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    password: str
    description: str


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]


def _org_fields(name: str, seq: int, org_type: str, short: str) -> dict[str, object]:
    return {
        "name": name,
        "short_name": short,
        "org_type": org_type,
        "credit_code": make_credit_code(DIVISION, f"MB{seq:06d}"),
        "address": f"{ADDRESS}（{short}）" if seq else ADDRESS,
        "postcode": "339905"[:6],
        "office_hours": "工作日 上午9:00–12:00，下午13:30–17:30",
        "phone": f"0571-8{seq:03d}1234"[:13],
        "email": f"gk{seq:03d}@linjiang.example",
        "disclosure_office": f"{name}政府信息公开工作办公室" if seq == 0 else "办公室",
    }


@transaction.atomic
def build_demo_district() -> list[DemoAccount]:
    """Create the district, its departments and streets, and staff for every role."""
    accounts: list[DemoAccount] = []
    counter = iter(range(10_000))

    def person(username: str, description: str, admin_role: str = "") -> object:
        full_name = _name(next(counter))
        user, password = services.user_create(
            actor=None, username=username, full_name=full_name, admin_role=admin_role
        )
        user.must_change_password = False  # demo accounts are used as they are
        user.save(update_fields=["must_change_password"])
        accounts.append(DemoAccount(username, full_name, password, description))
        return user

    gov_fields = _org_fields(DISTRICT, 0, OrgType.GOVERNMENT, "临江区政府")
    gov_fields["division_code"] = DIVISION
    gov = services.organization_create(actor=None, parent=None, **gov_fields)
    children: list[tuple[Organization, str]] = []
    for seq, (name, code) in enumerate(DEPARTMENTS, start=1):
        org_type = OrgType.GOVERNMENT_OFFICE if code == "zfb" else OrgType.DEPARTMENT
        org = services.organization_create(
            actor=None, parent=gov, **_org_fields(f"临江{name}", seq, org_type, name[1:])
        )
        children.append((org, code))
    for seq, (name, code, org_type) in enumerate(STREETS, start=100):
        org = services.organization_create(
            actor=None, parent=gov, **_org_fields(f"临江区{name}", seq, org_type, name[:2])
        )
        children.append((org, code))

    def grant(user: object, org: Organization, role: str) -> None:
        services.membership_grant(actor=None, user=user, organization=org, role=role)  # type: ignore[arg-type]

    # The supervising office (政务公开办) sits in the district government and sees its subtree.
    grant(person("gov.supervisor", "区政务公开办 监督员（可查看全区）"), gov, Role.SUPERVISOR)
    grant(person("gov.admin", "区政府 单位管理员"), gov, Role.ORG_ADMIN)
    grant(person("gov.officer", "区政府 信息员"), gov, Role.OFFICER)
    grant(person("gov.reviewer", "区政府 审核员"), gov, Role.REVIEWER)
    grant(person("gov.legal", "区政府 法制审核员（区司法局派驻）"), gov, Role.LEGAL_REVIEWER)
    full_staffed = {"jyj", "ljjd"}
    for org, code in children:
        grant(person(f"{code}.officer", f"{org.name} 信息员"), org, Role.OFFICER)
        if code in full_staffed:
            grant(person(f"{code}.reviewer", f"{org.name} 审核员"), org, Role.REVIEWER)
            grant(person(f"{code}.legal", f"{org.name} 法制审核员"), org, Role.LEGAL_REVIEWER)
            grant(person(f"{code}.admin", f"{org.name} 单位管理员"), org, Role.ORG_ADMIN)
    person("sysadmin", "系统管理员（三员）", AdminRole.SYSTEM)
    person("secadmin", "安全管理员（三员）", AdminRole.SECURITY)
    person("auditor", "审计管理员（三员）", AdminRole.AUDIT)
    return accounts
