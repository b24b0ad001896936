"""The seed network's shape, made up from name parts with a fixed random seed: 1 city centre, 10 county centres, 91
stations, 300 orgs (each served by a station or its county centre) with 1–6 units each, and a handful of staff per
role. Everything is deterministic, so a second run finds every row already there and adds nothing."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.network.models import Centre
from app.reports.models import Org, Unit
from app.staff.models import StaffUser
from app.staff.service import create_user

SEED = 2026
# Demo only: every demo account shares it, and the command prints it. Never use the demo on a real deployment.
DEMO_PASSWORD = "demo-only Lantern 7 harbour"
CITY = ("city", "安城市职工心理服务中心")
COUNTIES = [("dongcheng", "东城区"), ("xicheng", "西城区"), ("nanhu", "南湖区"), ("beishan", "北山区"),
            ("binjiang", "滨江区"), ("gaoxin", "高新区"), ("linchuan", "临川县"), ("qingxi", "青溪县"),
            ("shimen", "石门县"), ("yunling", "云岭县")]


def _words(text: str) -> list[str]:
    return text.split()


PLACES = _words("和平 建设 解放 人民 胜利 友谊 长安 光明 朝阳 新华 文化 东风 红旗 幸福 兴隆 永安 太平 安宁 "
                "福田 龙泉 金沙 白云 青山 桃源 杏林 梅岭 柳溪 松江 竹园 双桥 新村 河西 城南 花园 丰收")
TRADE_NAMES = _words("恒达 宏远 华兴 金鼎 瑞丰 鑫源 永盛 天成 博远 中泰 德信 嘉禾 盛世 通达 汇丰 新锐 明辉 鼎盛 "
                     "安泰 联创 启航 众诚 弘毅 锦程 宇航 海纳 卓越 同心 信达 正阳 佳和 润泽 长青 华夏 九州 万家")
INDUSTRIES = _words("机械制造 电子科技 物流 建筑工程 纺织 食品 医药 化工 汽车零部件 软件 餐饮管理 物业服务 "
                    "环保科技 新材料 家具 印刷包装 电力设备 商贸 通信技术 精密模具")
SUFFIXES = ["有限公司"] * 8 + ["股份有限公司", "集团有限公司"]
UNIT_NAMES = _words("生产一车间 生产二车间 仓储物流部 研发中心 销售部 行政人事部 财务部 质量管理部 "
                    "客户服务中心 工程项目部 技术部 采购部 安全环保部 设备维修部")
N_STATIONS, N_ORGS = 91, 300


@dataclass
class Shape:
    centres: list[Centre] = field(default_factory=list)
    orgs: list[Org] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    staff: list[tuple[str, str, str | None, str | None, str]] = field(default_factory=list)  # user, role, centre,
    # org, what to look at


def _short(county: str) -> str:
    return county[:-1] if county[-1] in "区县" else county


def build_shape() -> Shape:
    """The whole network as unsaved rows, the same on every run."""
    rng = random.Random(SEED)
    shape = Shape(centres=[Centre(id=CITY[0], name=CITY[1])])
    stations: dict[str, list[Centre]] = {}
    for i, (cid, name) in enumerate(COUNTIES):
        shape.centres.append(Centre(id=cid, name=f"{name}职工心理服务中心", parent_id=CITY[0]))
        per = N_STATIONS // len(COUNTIES) + (1 if i < N_STATIONS % len(COUNTIES) else 0)
        places = rng.sample(PLACES, per)
        town = "镇" if name.endswith("县") else "街道"
        stations[cid] = [Centre(id=f"{cid}-s{n + 1:02d}", parent_id=cid,
                                name=f"{_short(name)}{p}{'工业园区' if n % 4 == 3 else town}职工服务站")
                         for n, p in enumerate(places)]
        shape.centres.extend(stations[cid])
    names: set[str] = set()
    while len(shape.orgs) < N_ORGS:
        cid, county = COUNTIES[len(shape.orgs) % len(COUNTIES)]
        name = f"{_short(county)}{rng.choice(TRADE_NAMES)}{rng.choice(INDUSTRIES)}{rng.choice(SUFFIXES)}"
        if name in names:
            continue
        names.add(name)
        # most employers are served by the station nearest them, some directly by their county centre
        centre = rng.choice(stations[cid]).id if rng.random() < 0.85 else cid
        org = Org(id=f"org-{len(shape.orgs) + 1:03d}", name=name, centre_id=centre)
        shape.orgs.append(org)
        for n, unit in enumerate(rng.sample(UNIT_NAMES, rng.randint(1, 6))):
            shape.units.append(Unit(id=f"{org.id}-u{n + 1}", org_id=org.id, name=unit,
                                    headcount=rng.randint(15, 400)))
    shape.staff = _staff(shape, stations)
    return shape


def _staff(shape: Shape, stations: dict[str, list[Centre]]) -> list[tuple[str, str, str | None, str | None, str]]:
    staff: list[tuple[str, str, str | None, str | None, str]] = [
        ("demo-admin", "admin", None, None, "platform admin: everything"),
        ("city-admin", "admin", CITY[0], None, "centre admin of the whole city"),
        ("dongcheng-admin", "admin", "dongcheng", None, "centre admin of 东城区 and its stations"),
        ("linchuan-admin", "admin", "linchuan", None, "centre admin of 临川县 and its stations"),
        ("city-counsellor-1", "counsellor", CITY[0], None, "console: every case in the city"),
        ("city-counsellor-2", "counsellor", CITY[0], None, "console: every case in the city"),
    ]
    staff += [(f"{cid}-counsellor", "counsellor", cid, None, f"console: cases of {name} and its stations")
              for cid, name in COUNTIES]
    for cid, _ in COUNTIES[:5]:
        station = stations[cid][0]
        staff.append((f"{station.id}-counsellor", "counsellor", station.id, None, f"console: {station.name} only"))
    for org in shape.orgs[:5]:
        staff.append((f"hr-{org.id}", "hr", None, org.id, f"HR dashboard: {org.name} only"))
    for org in shape.orgs[:3]:
        staff.append((f"orgadmin-{org.id}", "org_admin", None, org.id,
                      f"org admin of {org.name}: its units, HR accounts, reports (/hr too)"))
    return staff


def ensure_network(db: Session, shape: Shape) -> dict[str, int]:
    """Insert what is missing (by id or username) and leave what exists alone; returns how many rows were added."""
    added = {"centres": 0, "orgs": 0, "units": 0, "staff": 0}
    have = set(db.exec(select(Centre.id)))
    for centre in shape.centres:  # parents come first in the list, so each insert finds its parent
        if centre.id not in have:
            db.add(Centre(id=centre.id, name=centre.name, parent_id=centre.parent_id))
            added["centres"] += 1
    db.flush()
    have = set(db.exec(select(Org.id).where(col(Org.id).in_([o.id for o in shape.orgs]))))
    for org in shape.orgs:
        if org.id not in have:
            db.add(Org(id=org.id, name=org.name, centre_id=org.centre_id))
            added["orgs"] += 1
    db.flush()
    have = set(db.exec(select(Unit.id).where(col(Unit.org_id).in_([o.id for o in shape.orgs]))))
    for unit in shape.units:
        if unit.id not in have:
            db.add(Unit(id=unit.id, org_id=unit.org_id, name=unit.name, headcount=unit.headcount))
            added["units"] += 1
    db.flush()
    have = set(db.exec(select(StaffUser.username).where(col(StaffUser.username).in_([s[0] for s in shape.staff]))))
    shared_hash: str | None = None
    for username, role, centre, org, _ in shape.staff:
        if username in have:
            continue
        if shared_hash is None:  # the first through the service, which checks the password and the scope
            shared_hash = create_user(db, username=username, password=DEMO_PASSWORD, role=role, centre=centre,
                                      org=org).password_hash
        else:  # the rest share its argon2 hash of the one demo password: a hash each takes seconds on a busy machine
            db.add(StaffUser(username=username, password_hash=shared_hash, role=role, centre_id=centre, org_id=org))
        added["staff"] += 1
    return added
