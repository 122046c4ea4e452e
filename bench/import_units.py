"""Benchmark: importing a 20,000-unit roster workbook, against a bare-table baseline.

Usage (from anywhere; the project root is put on sys.path):

    .venv/bin/python bench/import_units.py [--rows N] [--repeat N] [--seed N] [--keep]
                                           [--openpyxl-format] [--profile]

The script generates a roster workbook deterministically (a city with 10
counties; county organs, county institutions, townships, villages and township
stations; township names repeated across counties, so parents are written as
"青山县/城关镇" where needed; some children before their parents), then times,
each run in a child process of its own against a fresh, already migrated
database:

* ``import``: ``units.importing.roster_import`` on the workbook's bytes;
* ``baseline``: the same rows read with openpyxl's read-only mode and inserted
  into a bare table of 8 text columns in batches of 2,000, in one transaction
  (``executemany`` on SQLite; one multi-row INSERT per batch on PostgreSQL,
  where psycopg2's ``executemany`` would cost a round trip per row).

Each phase runs ``--repeat`` times, alternating; the figures are the median
wall times and the largest peak RSS (``ru_maxrss`` of the whole child process,
Django included) of the import runs. Target: import ≤ 2× the baseline, ≤ 10 s,
peak memory ≤ 400 MB. The last line of the output is

    bench import_units: <ratio>x baseline, <seconds> s, <MB> MB — PASS|FAIL

and the exit code is 0 on PASS, 1 on FAIL (2 when the benchmark itself fails).

Databases (``harness.fresh_databases``): a copy of a migrated SQLite template
in the temporary directory for every run, or, when DATABASE_URL points at
PostgreSQL (e.g. under ``tests/pgcluster.py``), a database cloned from a
migrated template for every run and dropped afterwards (the role needs
CREATEDB). Any other DATABASE_URL is ignored: no real database is touched.

By default the generated workbook is rewritten the way Excel and WPS save one
(a shared-string table, a ``<dimension>``), which is what users upload.
``--openpyxl-format`` keeps what openpyxl writes instead: every string inline
and no ``<dimension>``, which openpyxl is slow to read back; both phases pay
for that, which flatters the ratio.

``--profile`` adds one import run under cProfile (not counted in the figures)
and prints its top entries by cumulative and by own time.

Timings are wall-clock: run it on a quiet machine. The CPU time of each child
is printed too, as a check on noise from other processes.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import harness  # bench/harness.py; puts the project root on sys.path

WORKBOOK_NAME = "江州市单位名册.xlsx"
INSERT_BATCH = 2000

TARGET_RATIO = 2.0
TARGET_SECONDS = 10.0
TARGET_MB = 400.0

# -- the roster -----------------------------------------------------------------------------------

CITY = "江州市"
COUNTIES = (
    "青山县",
    "白石区",
    "清河县",
    "云溪县",
    "桃江县",
    "石门县",
    "龙泉县",
    "松阳县",
    "临川区",
    "安平县",
)
COUNTY_ORGANS = (
    "委办公室",
    "纪委监委机关",
    "委组织部",
    "委宣传部",
    "委统战部",
    "委政法委员会",
    "委机构编制委员会办公室",
    "委老干部局",
    "人大常委会机关",
    "政协机关",
    "人民政府办公室",
    "发展和改革局",
    "教育体育局",
    "科学技术和工业信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境分局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化广电旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "信访局",
)
COUNTY_INSTITUTIONS = (
    "融媒体中心",
    "疾病预防控制中心",
    "档案馆",
    "委党校",
    "供销合作社联合社",
    "农业技术推广中心",
    "图书馆",
    "文化馆",
    "不动产登记中心",
    "公共资源交易中心",
    "机关事务服务中心",
    "社会保险服务中心",
    "住房公积金管理中心",
    "城市管理服务中心",
    "水利工程管理站",
    "林业科学研究所",
    "产品质量检验所",
    "就业创业服务中心",
)
# Every county has a 城关镇; each also has a few of these, so their names repeat across counties.
COMMON_TOWNSHIPS = (
    "新城镇",
    "石桥镇",
    "太平镇",
    "河口镇",
    "长岭乡",
    "白沙镇",
    "黄岗镇",
    "东山乡",
    "青龙镇",
    "大坪乡",
    "城南街道",
    "城北街道",
)
TOWNSHIP_STATIONS = (
    "便民服务中心",
    "农业综合服务中心",
    "财政所",
    "综合文化站",
    "退役军人服务站",
    "社会事务服务中心",
    "自然资源所",
    "水利站",
)
PLACE_CHARS = (
    "东西南北上下大小新石青白黄金银龙凤马鹤松柏桃李杨柳梅竹兰荷枫桂樟槐河江湖溪泉塘港湾洲桥坪岭山峰岗坡岩"
    "坑源口田庄店集寨营堡屯塔安平兴和丰乐福寿永长宝华光明阳秀云霞"
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力斌志海波宁晓东林飞鹏春雪梅玲"
NOTES = (
    "2023年换届",
    "书记兼任主任",
    "村改社区",
    "合并后新设",
    "党组织关系已转接",
    "联系电话为办公室座机",
    "书记新任，待备案",
    "与上级单位合署办公",
)
HEADER = ("序号", "单位名称", "单位类别", "上级单位", "党组织类型", "党组织书记", "联系电话", "备注")

Row = tuple[str, str, str, str, str, str, str]  # name, kind, parent, org type, secretary, contact, note


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _person(rng: random.Random) -> str:
    if rng.random() < 0.03:
        return ""  # vacant
    given = "".join(rng.choices(GIVEN_CHARS, k=rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def _phone(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.05:
        return ""
    if r < 0.30:
        return f"0797-{rng.randint(2_000_000, 8_999_999)}"
    return f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"


def _note(rng: random.Random) -> str:
    return rng.choice(NOTES) if rng.random() < 0.08 else ""


def _place(rng: random.Random, length: int = 2) -> str:
    return "".join(rng.sample(PLACE_CHARS, length))


def _scaled(rng: random.Random, low: int, high: int, factor: float, cap: int | None = None) -> int:
    n = max(1, round(rng.randint(low, high) * factor))
    return min(n, cap) if cap else n


def generate_rows(total: int, seed: int) -> list[Row]:
    """The roster's data rows, deterministic for (total, seed), exactly ``total`` of them."""
    rng = random.Random(seed)
    factor = min(1.0, total / 20_000)

    # Shape: which townships each county has, how many stations and villages each township has.
    used_names = set(COMMON_TOWNSHIPS) | {"城关镇"}
    shape: list[tuple[str, int, int, list[str]]] = []  # county, organs, institutions, townships
    for county in COUNTIES:
        n_townships = _scaled(rng, 25, 31, factor)
        townships = ["城关镇", *rng.sample(COMMON_TOWNSHIPS, rng.randint(3, 6))][:n_townships]
        while len(townships) < n_townships:
            name = _place(rng) + _pick(rng, (("镇", 6), ("乡", 3), ("街道", 1)))
            if name not in used_names:
                used_names.add(name)
                townships.append(name)
        shape.append(
            (
                county,
                _scaled(rng, 27, 33, factor, len(COUNTY_ORGANS)),
                _scaled(rng, 13, 17, factor, len(COUNTY_INSTITUTIONS)),
                townships,
            )
        )
    all_townships = [(county, t) for county, _o, _i, townships in shape for t in townships]
    stations = {key: _scaled(rng, 4, 6, factor) for key in all_townships}
    fixed = 1 + len(COUNTIES) + sum(o + i + len(t) for _c, o, i, t in shape) + sum(stations.values())
    n_villages = total - fixed
    if n_villages < len(all_townships):
        raise SystemExit(f"--rows {total} is too small for a city with {len(COUNTIES)} counties")
    # Villages: spread over the townships by random weights, the remainder handed out one by one.
    weights = {key: rng.uniform(0.6, 1.4) for key in all_townships}
    weight_sum = sum(weights.values())
    villages = {key: max(1, int(n_villages * w / weight_sum)) for key, w in weights.items()}
    keys = list(all_townships)
    while (diff := n_villages - sum(villages.values())) != 0:
        key = rng.choice(keys)
        if diff > 0:
            villages[key] += 1
        elif villages[key] > 1:
            villages[key] -= 1

    township_count: dict[str, int] = {}
    for _county, township in all_townships:
        township_count[township] = township_count.get(township, 0) + 1

    rows: list[Row] = [(CITY, "市", "", "党委", _person(rng), _phone(rng), "")]
    blocks: list[list[Row]] = []  # one per county, so one can be moved below its children
    for county, n_organs, n_institutions, townships in shape:
        block: list[Row] = [
            (
                county,
                _pick(rng, (("县（区）", 8), ("县", 1), ("县区", 1))),
                CITY,
                "党委",
                _person(rng),
                _phone(rng),
                "",
            )
        ]
        for suffix in rng.sample(COUNTY_ORGANS, n_organs):
            kind = _pick(rng, (("县直机关单位", 9), ("县直机关", 1)))
            org_type = _pick(rng, (("党组", 6), ("机关党委", 1), ("机关党支部", 3)))
            block.append((county + suffix, kind, county, org_type, _person(rng), _phone(rng), _note(rng)))
        for suffix in rng.sample(COUNTY_INSTITUTIONS, n_institutions):
            org_type = _pick(rng, (("党支部", 6), ("党总支", 3), ("党委", 1)))
            block.append(
                (county + suffix, "县直事业单位", county, org_type, _person(rng), _phone(rng), _note(rng))
            )
        for township in townships:
            key = (county, township)
            path = f"{county}/{township}"
            # A repeated name must be written as a path; a unique one sometimes is too.
            ref = path if township_count[township] > 1 or rng.random() < 0.1 else township
            street = township.endswith("街道")
            kind = "街道" if street and rng.random() < 0.5 else "乡镇（街道）"
            sub: list[Row] = [
                (
                    township,
                    kind,
                    county,
                    "党工委" if street else "党委",
                    _person(rng),
                    _phone(rng),
                    _note(rng),
                )
            ]
            seen: set[str] = set()
            while len(seen) < villages[key]:
                community = rng.random() < (0.8 if street else 0.05)
                name = _place(rng, rng.choice((2, 2, 2, 3))) + ("社区" if community else "村")
                if name in seen:
                    continue
                seen.add(name)
                kind = _pick(rng, (("村（社区）", 8), ("社区" if community else "村", 2)))
                org_type = _pick(rng, (("党支部", 14), ("党总支", 5), ("党委", 1)))
                sub.append((name, kind, ref, org_type, _person(rng), _phone(rng), _note(rng)))
            for suffix in rng.sample(TOWNSHIP_STATIONS, stations[key]):
                kind = _pick(rng, (("乡镇机关事业单位", 9), ("乡镇站所", 1)))
                sub.append((township + suffix, kind, ref, "党支部", _person(rng), _phone(rng), _note(rng)))
            if rng.random() < 0.05:
                sub.append(sub.pop(0))  # the township after its villages and stations
            block.extend(sub)
        blocks.append(block)
    # One county comes after everything under it; the rest in order.
    late = blocks.pop(rng.randrange(len(blocks)))
    late.append(late.pop(0))
    blocks.insert(rng.randrange(len(blocks) + 1), late)
    for block in blocks:
        rows.extend(block)
    # A little local disorder everywhere: 1% of rows swapped with one up to 200 rows further down.
    for _ in range(total // 100):
        i = rng.randrange(len(rows))
        j = min(len(rows) - 1, i + rng.randint(1, 200))
        rows[i], rows[j] = rows[j], rows[i]
    assert len(rows) == total, (len(rows), total)
    return rows


def write_workbook(path: Path, rows: list[Row]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名册")
    sheet.append([f"{CITY}党组织单位名册"])
    sheet.append(list(HEADER))
    for serial, row in enumerate(rows, start=1):
        sheet.append([serial, *row])
    workbook.save(path)


_INLINE_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]+[0-9]+)" t="inlineStr">(?:<is>(?P<text><t(?: [^>]*)?>[^<]*</t>)</is>)?</c>'
)
_CHAR_REF = re.compile(r"&#([0-9]+);")
_LAST_ROW = re.compile(r'<row r="([0-9]+)"')


def rewrite_like_excel(path: Path, columns: int = len(HEADER)) -> None:
    """Rewrite an openpyxl-written workbook the way Excel and WPS save one.

    openpyxl writes every string inline (``t="inlineStr"``), non-ASCII text as
    character references, empty strings as empty cells, and in write-only mode
    no ``<dimension>``; reading that back is much slower than reading what
    people upload. Excel keeps strings in a shared-string table, writes UTF-8,
    leaves empty cells out and states the sheet's dimension.
    """
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet_name = "xl/worksheets/sheet1.xml"
    sheet = _CHAR_REF.sub(lambda m: chr(int(m[1])) if int(m[1]) >= 128 else m[0], parts[sheet_name].decode())
    strings: dict[str, int] = {}
    references = 0

    def shared(match: re.Match) -> str:
        nonlocal references
        if match["text"] is None:
            return ""  # an empty string: Excel does not store the cell
        references += 1
        index = strings.setdefault(match["text"], len(strings))
        return f'<c r="{match["ref"]}" t="s"><v>{index}</v></c>'

    sheet = _INLINE_CELL.sub(shared, sheet)
    last_row = max(int(n) for n in _LAST_ROW.findall(sheet))
    sheet = sheet.replace(
        "<sheetViews>", f'<dimension ref="A1:{chr(64 + columns)}{last_row}"/><sheetViews>', 1
    )
    parts[sheet_name] = sheet.encode()
    items = "".join(f"<si>{text}</si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{references}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    parts["[Content_Types].xml"] = (
        parts["[Content_Types].xml"]
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        .encode()
    )
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = (
        parts[rels]
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Id="rIdSharedStrings" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        .encode()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", parts.pop("[Content_Types].xml"))
        for name, content in parts.items():
            target.writestr(name, content)


# -- the child processes --------------------------------------------------------------------------


def _maxrss_kb() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss  # bytes on macOS, KB on Linux


def child_main(args: argparse.Namespace) -> int:
    workbook: Path = args.workbook
    if args.phase == "generate":
        started = time.perf_counter()
        rows = generate_rows(args.rows, args.seed)
        write_workbook(workbook, rows)
        if args.excel_format:
            rewrite_like_excel(workbook)
        harness.emit({"phase": args.phase, "seconds": time.perf_counter() - started, "rows": len(rows)})
        return 0
    if harness.child_setup(args.phase):
        return 0
    from django.db import connection

    data = workbook.read_bytes()
    connection.ensure_connection()
    if args.phase == "import":
        seconds, extra = _run_import(data, args.rows, args.profile)
    else:
        seconds, extra = _run_baseline(data, args.rows)
    harness.emit({"phase": args.phase, "seconds": seconds, "maxrss_kb": _maxrss_kb(), **extra})
    return 0


def _run_import(data: bytes, rows: int, profile: bool) -> tuple[float, dict]:
    from units.importing import roster_import
    from units.models import Unit

    setup_kb = _maxrss_kb()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu_started = time.perf_counter(), time.process_time()
    plan = roster_import(data=data, file_name=WORKBOOK_NAME)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if profiler is not None:
        profiler.disable()
        harness.print_profile(profiler, f"profile of one import run ({seconds:.2f} s under cProfile)", 25, 15)
    if not plan.ok:
        messages = plan.error_messages()
        print(f"import failed with {len(messages)} error(s):", *messages[:20], sep="\n  ", file=sys.stderr)
        raise SystemExit(2)
    created, stored = plan.count("create"), Unit.objects.count()
    if created != rows or stored != rows:
        print(f"import created {created} units, {stored} in the table; expected {rows}", file=sys.stderr)
        raise SystemExit(2)
    return seconds, {"cpu": cpu, "setup_kb": setup_kb, "created": created}


def _run_baseline(data: bytes, rows: int) -> tuple[float, dict]:
    import io

    from django.db import connection, transaction
    from openpyxl import load_workbook

    columns = ("serial", "name", "kind", "parent", "org_type", "secretary", "contact", "note")
    width = len(columns)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_roster ({', '.join(f'{c} TEXT' for c in columns)})")
    placeholders = "(" + ", ".join(["%s"] * width) + ")"
    insert = f"INSERT INTO bench_roster ({', '.join(columns)}) VALUES "
    if connection.vendor == "sqlite":
        # The sqlite3 module runs executemany as one prepared statement: its fastest path.
        def insert_batch(cursor, batch: list[tuple]) -> None:
            cursor.executemany(insert + placeholders, batch)
    else:
        # psycopg2's executemany is one round trip per row, far slower than what the importer's
        # bulk_create does; a multi-row VALUES statement per batch is the fair bare insert.
        def insert_batch(cursor, batch: list[tuple]) -> None:
            cursor.execute(insert + ", ".join([placeholders] * len(batch)), [v for row in batch for v in row])

    setup_kb = _maxrss_kb()
    started, cpu_started = time.perf_counter(), time.process_time()
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        with transaction.atomic(), connection.cursor() as cursor:
            batch: list[tuple] = []
            for row in sheet.iter_rows(min_row=3, values_only=True):  # below the title and header
                values = tuple(None if v is None else str(v) for v in row[:width])
                batch.append(values + (None,) * (width - len(values)))
                if len(batch) == INSERT_BATCH:
                    insert_batch(cursor, batch)
                    batch = []
            if batch:
                insert_batch(cursor, batch)
    finally:
        workbook.close()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_roster")
        (stored,) = cursor.fetchone()
    if stored != rows:
        print(f"baseline stored {stored} rows; expected {rows}", file=sys.stderr)
        raise SystemExit(2)
    return seconds, {"cpu": cpu, "setup_kb": setup_kb}


# -- the parent -----------------------------------------------------------------------------------


@dataclass
class Run:
    phase: str
    seconds: float
    cpu: float  # CPU time of the child process in the timed section (the database server's not included)
    maxrss_kb: int
    setup_kb: int


def _options(args: argparse.Namespace, workbook: Path, profile: bool = False) -> list[str]:
    """A child's options, after ``--phase``."""
    options = ["--workbook", str(workbook), "--rows", str(args.rows), "--seed", str(args.seed)]
    if not args.excel_format:
        options.append("--openpyxl-format")
    if profile:
        options.append("--profile")
    return options


def _mb(kb: float) -> float:
    return kb / 1024


def _times(runs: list[Run]) -> str:
    return ", ".join(f"{r.seconds:.2f}" for r in runs)


def parent_main(args: argparse.Namespace) -> int:
    with harness.temporary_directory("import-units", keep=args.keep, announce=False) as directory:
        # Generated in a child too: a child's ru_maxrss starts from its parent's RSS at the fork
        # (Linux keeps the high-water mark across exec), so this process must stay small.
        workbook = directory / WORKBOOK_NAME
        generated = harness.run_child(__file__, "generate", "", _options(args, workbook))
        size_mb = workbook.stat().st_size / 1024 / 1024
        layout = "Excel layout: shared strings" if args.excel_format else "openpyxl layout: inline strings"
        print(
            f"generated {generated['rows']:,} rows ({size_mb:.1f} MB, {layout})"
            f" in {generated['seconds']:.1f} s: {workbook}"
        )
        options = _options(args, workbook)
        with harness.migrated_databases(directory, "import_units", __file__, options, per="run") as databases:
            runs: dict[str, list[Run]] = {"import": [], "baseline": []}
            for round_number in range(args.repeat):
                order = ("import", "baseline") if round_number % 2 == 0 else ("baseline", "import")
                for phase in order:
                    name = f"{phase}_{round_number + 1}"
                    result = harness.run_fresh(databases, name, __file__, phase, options)
                    run = Run(
                        phase, result["seconds"], result["cpu"], result["maxrss_kb"], result["setup_kb"]
                    )
                    runs[phase].append(run)
                    print(
                        f"  {phase:<8} run {round_number + 1}: {run.seconds:6.2f} s"
                        f" ({run.cpu:.2f} s CPU in this process), peak {_mb(run.maxrss_kb):.0f} MB"
                    )
            if args.profile:
                harness.run_fresh(databases, "profile", __file__, "import", _options(args, workbook, True))
            return _report(args, databases.engine, generated["rows"], runs, directory)


def _report(
    args: argparse.Namespace, engine: str, rows: int, runs: dict[str, list[Run]], directory: Path
) -> int:
    seconds = statistics.median(r.seconds for r in runs["import"])
    baseline = statistics.median(r.seconds for r in runs["baseline"])
    ratio = seconds / baseline
    mb = _mb(max(r.maxrss_kb for r in runs["import"]))
    setup_mb = _mb(max(r.setup_kb for r in runs["import"]))
    baseline_mb = _mb(max(r.maxrss_kb for r in runs["baseline"]))
    checks = [
        ("ratio", ratio <= TARGET_RATIO),
        ("time", seconds <= TARGET_SECONDS),
        ("memory", mb <= TARGET_MB),
    ]

    import_cpu = statistics.median(r.cpu for r in runs["import"])
    baseline_cpu = statistics.median(r.cpu for r in runs["baseline"])
    print()
    print(
        f"bench import_units — {engine}, {rows:,} rows,"
        f" median of {args.repeat} run{'s' if args.repeat > 1 else ''} each"
    )
    print(f"  {'':<24}{'import':>9}{'baseline':>10}")
    print(
        f"  {'wall time, s':<24}{seconds:>9.2f}{baseline:>10.2f}"
        f"   ratio {ratio:.2f}x (target ≤ {TARGET_RATIO:g}); import target ≤ {TARGET_SECONDS:g} s"
    )
    print(
        f"  {'CPU in the process, s':<24}{import_cpu:>9.2f}{baseline_cpu:>10.2f}"
        f"   ratio {import_cpu / baseline_cpu:.2f}x (not judged: excludes the database server)"
    )
    print(
        f"  {'peak RSS, MB':<24}{mb:>9.0f}{baseline_mb:>10.0f}"
        f"   import target ≤ {TARGET_MB:g}; {setup_mb:.0f} MB before importing"
    )
    print(f"  {'import runs, s':<24}{_times(runs['import'])}")
    print(f"  {'baseline runs, s':<24}{_times(runs['baseline'])}")
    headline = f"{ratio:.2f}x baseline, {seconds:.2f} s, {mb:.0f} MB"
    return harness.verdict("import_units", headline, checks, kept=directory if args.keep else None)


def main(argv: list[str] | None = None) -> int:
    parser = harness.argument_parser(__doc__)
    parser.add_argument("--rows", type=int, default=20_000, help="data rows in the roster (default 20000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each phase (default 3)")
    parser.add_argument("--seed", type=int, default=20_000, help="seed of the generated roster")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and print its path")
    parser.add_argument(
        "--openpyxl-format",
        dest="excel_format",
        action="store_false",
        help="keep the workbook as openpyxl writes it (inline strings, no <dimension>) instead of "
        "rewriting it the way Excel/WPS save it",
    )
    parser.add_argument("--profile", action="store_true", help="profile one extra import run")
    parser.add_argument(
        "--phase", choices=("generate", "migrate", "import", "baseline"), help=argparse.SUPPRESS
    )
    parser.add_argument("--workbook", type=Path, help=argparse.SUPPRESS)
    return harness.dispatch(parser, argv, parent_main, child_main, at_least={"repeat": 1})


if __name__ == "__main__":
    sys.exit(main())
