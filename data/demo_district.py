"""A fictional demo district, written as its block offices would send the reports.

"Sahyogpur (demo)" does not exist: its blocks, panchayats, codes (district 999,
blocks 99001.., panchayats 9900001..), people and boundaries are all invented.
`generate(out_dir, seed)` writes the gazetteer, the campaign targets, 30 days of
compiled daily progress reports for two indicators (the insurance one in Hindi),
two SHG registers, an ASHA/AWW roster with daily worker output, a door-to-door household
survey of three blocks (its SC and ST tolas lagging, one block revisited), and panchayat
boundaries as GeoJSON. The same seed gives byte-identical files.

Run: python data/demo_district.py OUT_DIR [--seed 2025]
"""

import argparse
import csv
import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction
from itertools import accumulate, pairwise
from pathlib import Path

# --- The district and the campaign --------------------------------------------------

DISTRICT_NAME = "Sahyogpur (demo)"
DISTRICT_NAME_HI = "सहयोगपुर (डेमो)"
DISTRICT_CODE = "999"
STATE_CODE = "10"
STATE_NAME = "BIHAR"

CAMPAIGN_START = date(2025, 5, 1)
DAYS = 30
REPORT_DATES = tuple(CAMPAIGN_START + timedelta(days=day) for day in range(DAYS))
DEADLINE = date(2025, 6, 15)
ID_DEADLINE = date(2025, 6, 5)  # every ASHA's login ID active by then
TRAINING_DEADLINE = date(2025, 6, 10)  # and trained
DRIVE_DAYS = (date(2025, 5, 20), date(2025, 5, 21), date(2025, 5, 22))
DRIVE_NAME = "Special camp drive"
DRIVE_NAME_HI = "विशेष शिविर अभियान"

INDICATORS = {
    "ayushman_cards": ("Ayushman cards", "आयुष्मान कार्ड"),
    "insurance": ("Insurance enrolments", "बीमा नामांकन"),
}

# Invented block names (none is a real Bihar block), with their Devanagari spelling.
BLOCKS = (
    ("Amlapur", "अमलापुर"),
    ("Belahi Kalan", "बेलही कलां"),
    ("Chandanpura", "चंदनपुरा"),
    ("Dhusari", "धूसरी"),
    ("Gopalbigha", "गोपालबीघा"),
    ("Jamunigarh", "जमुनीगढ़"),
    ("Kusumtola", "कुसुमटोला"),
    ("Lohachak", "लोहाचक"),
    ("Mahuapokhar", "महुआपोखर"),
    ("Nimiadih", "निमियाडीह"),
    ("Raunakpur", "रौनकपुर"),
    ("Semrabad", "सेमराबाद"),
    ("Tilkuti", "तिलकुटी"),
    ("Urmilaganj", "उर्मिलागंज"),
)
PANCHAYATS_PER_BLOCK = (18, 25)

# (indicator, report_date, block): that block is absent from that day's file. Its
# work of the day is reported late, in the next day's "Achieved Today".
MISSING_REPORTS = (
    ("ayushman_cards", date(2025, 5, 12), "Dhusari"),
    ("ayushman_cards", date(2025, 5, 21), "Raunakpur"),
    ("insurance", date(2025, 5, 17), "Kusumtola"),
    ("ayushman_cards", date(2025, 5, 30), "Tilkuti"),  # the last day: still not in
)

# (indicator, report_date, block, minutes after 5 PM): that block's report came late, in a
# file of its own (named as the block office names it), uploaded after the cut-off.
LATE_REPORTS = (
    ("ayushman_cards", date(2025, 5, 19), "Semrabad", 35),
    ("ayushman_cards", date(2025, 5, 23), "Raunakpur", 95),
    ("ayushman_cards", date(2025, 5, 26), "Semrabad", 12),
    ("ayushman_cards", date(2025, 5, 28), "Chandanpura", 140),
    ("ayushman_cards", date(2025, 5, 30), "Lohachak", 42),
    ("ayushman_cards", date(2025, 5, 30), "Semrabad", 125),
    ("insurance", date(2025, 5, 27), "Kusumtola", 60),
)

SHG_REGISTER_DATES = (date(2025, 3, 31), date(2025, 5, 30))

# Place names are built from a syllable table, so the Hindi always matches.
PLACE_HEADS = (
    ("Ram", "राम"), ("Sita", "सीता"), ("Kishan", "किशन"), ("Madho", "माधो"),
    ("Bhawani", "भवानी"), ("Sona", "सोना"), ("Hira", "हीरा"), ("Bela", "बेला"),
    ("Keshav", "केशव"), ("Lakhan", "लखन"), ("Gobind", "गोबिंद"), ("Mohan", "मोहन"),
    ("Shiv", "शिव"), ("Durga", "दुर्गा"), ("Kamal", "कमल"), ("Basant", "बसंत"),
    ("Dhan", "धन"), ("Ganga", "गंगा"), ("Hari", "हरि"), ("Kusum", "कुसुम"),
    ("Mahua", "महुआ"), ("Nawa", "नवा"), ("Pipra", "पिपरा"), ("Raghu", "रघु"),
    ("Semra", "सेमरा"), ("Tara", "तारा"), ("Jamun", "जामुन"), ("Prem", "प्रेम"),
    ("Sukh", "सुख"), ("Deva", "देवा"), ("Khajur", "खजूर"), ("Anand", "आनंद"),
)
PLACE_TAILS = (
    ("pur", "पुर"), ("ganj", "गंज"), ("nagar", "नगर"), ("tola", "टोला"),
    ("bigha", "बीघा"), ("chak", "चक"), ("dih", "डीह"), ("sarai", "सराय"),
    ("ghat", "घाट"), ("bari", "बारी"), ("patti", "पट्टी"), ("bag", "बाग"),
    ("garh", "गढ़"), ("pokhar", "पोखर"),
)
PLACE_QUALIFIERS = (("Kalan", "कलां"), ("Khurd", "खुर्द"))

# --- Daily progress reports --------------------------------------------------------

CHANNELS = ("ASHA", "VLE", "Ration dealer", "Camp")
CAMP_CHANNEL = "Camp"
TARGET_CHANNEL = "ASHA"  # the channel row that carries the panchayat target
CHANNEL_SHARE = {
    "ayushman_cards": {"ASHA": 0.42, "VLE": 0.24, "Ration dealer": 0.14, "Camp": 0.20},
    "insurance": {"ASHA": 0.30, "VLE": 0.36, "Ration dealer": 0.09, "Camp": 0.25},
}
# Share of target achieved by the last report date, by kind of block.
BLOCK_PACE = {"lagging": (0.24, 0.38), "steady": (0.60, 0.88), "ahead": (1.08, 1.16)}
LAGGING_BLOCKS = 2
AHEAD_BLOCKS = 2
SILENT_PANCHAYAT_CHANCE = {"weekday": 0.025, "sunday": 0.12}  # whole panchayat reports 0


@dataclass(frozen=True)
class ReportLayout:
    """How one indicator's daily report is titled, labelled and named."""

    title: str
    header: tuple[str, ...]
    channel_labels: dict[str, str]
    camp_site: str
    block_total: str
    grand_total: str
    hindi_names: bool


REPORT_LAYOUTS = {
    "ayushman_cards": ReportLayout(
        title=DISTRICT_NAME
        + " district : Ayushman card panchayat-wise daily report dated {report_date}",
        header=("Sl", "Block", "Panchayat", "Channel", "Camp Site", "Target",
                "Achieved Today", "Cumulative Achieved"),
        channel_labels={channel: channel for channel in CHANNELS},
        camp_site="{panchayat} Panchayat Bhawan",
        block_total="{block} Total",
        grand_total="Total",
        hindi_names=False,
    ),
    "insurance": ReportLayout(
        title=DISTRICT_NAME_HI
        + " जिला : बीमा नामांकन पंचायतवार दैनिक प्रतिवेदन दिनांक {report_date}",
        header=("क्रम", "प्रखंड", "पंचायत", "माध्यम", "कैंप स्थल", "लक्ष्य",
                "आज की उपलब्धि", "कुल उपलब्धि"),
        channel_labels={"ASHA": "आशा", "VLE": "वीएलई",
                        "Ration dealer": "जन वितरण विक्रेता", "Camp": "कैंप"},
        camp_site="{panchayat} पंचायत भवन",
        block_total="{block} कुल",
        grand_total="योग",
        hindi_names=True,
    ),
}

# --- File headers ------------------------------------------------------------------

GAZETTEER_HEADER = (
    "state_code", "state_name", "district_code", "district_name", "district_name_hi",
    "block_code", "block_name", "block_name_hi", "panchayat_code", "panchayat_name",
    "panchayat_name_hi",
)
TARGETS_HEADER = ("Indicator", "Block", "Panchayat", "Target", "Deadline")
SHG_HEADER = (
    "Sl", "District", "Block", "Panchayat", "Village", "Village Organisation", "SHG Name",
    "SHG ID", "Formation Date", "No. of Members", "Last Meeting", "Cumulative Saving",
    "Last Saving Date", "Bank A/c (Y/N)", "Credit Linkage", "Loan O/S", "Overdue",
    "Members with Ayushman Card", "Members Insured", "Status",
)
ROSTER_HEADER = (
    "Worker ID", "Name", "Role", "Block", "Panchayat", "Login ID Active", "Trained",
    "Training Date", "Supervisor",
)
WORKER_OUTPUT_HEADER = ("Date", "Worker ID", "Cards Made")

# --- People and SHGs ---------------------------------------------------------------

FIRST_NAMES = (
    "Sunita", "Anita", "Rinku", "Pinki", "Kiran", "Manju", "Sangita", "Rekha", "Puja",
    "Sarita", "Babita", "Kanchan", "Nirmala", "Usha", "Geeta", "Shobha", "Reena", "Meena",
    "Lalita", "Savitri", "Sushila", "Mamta", "Poonam", "Priyanka", "Renu", "Sima",
    "Kumkum", "Rani", "Indu", "Jyoti", "Khushboo", "Archana", "Vandana", "Shanti", "Radha",
)
SURNAMES = ("Devi", "Devi", "Devi", "Kumari", "Kumari", "Yadav", "Paswan", "Mandal", "Sah",
            "Manjhi", "Mahto", "Singh", "Ram", "Rajak", "Choudhary")
MUSLIM_FIRST_NAMES = ("Rubina", "Shabnam", "Nazma", "Farhana", "Tabassum", "Shahnaz",
                      "Noorjahan", "Salma")
MUSLIM_SURNAMES = ("Khatoon", "Parveen", "Begum", "Bano")
ASHA_PER_PANCHAYAT = (3, 5)
AWW_PER_PANCHAYAT = (0, 2)
LOGIN_INACTIVE_SHARE = {"lagging": 0.26, "other": 0.12}
SUPERVISOR_SPAN = {"normal": (15, 20), "overloaded": (23, 27)}  # workers per facilitator
DORMANT_WORKER_SHARE = 0.10  # active logins that make no card in the last 7 days

SHG_PER_PANCHAYAT = (6, 18)
SHG_WORDS = (
    "Laxmi", "Durga", "Saraswati", "Parvati", "Gulab", "Kamal", "Tulsi", "Chameli", "Suraj",
    "Chanda", "Jyoti", "Kiran", "Asha", "Mamta", "Radha", "Ganga", "Yamuna", "Shanti",
    "Sharda", "Juhi", "Sona", "Heera", "Moti", "Pragati", "Ekta", "Shakti", "Roshni",
)
VO_WORDS = ("Ujala", "Pragati", "Sangam", "Ekta", "Nari Shakti", "Jagriti", "Sakhi",
            "Roshni", "Disha", "Umang", "Navjyoti", "Samriddhi", "Kalyani", "Saheli")
WEEKLY_SAVING_PER_MEMBER = (10, 10, 20, 20, 25, 50)  # rupees


# --- Places ------------------------------------------------------------------------

@dataclass(frozen=True)
class Panchayat:
    code: str
    name: str
    name_hi: str
    size: float  # 0..1, drives targets and worker counts


@dataclass(frozen=True)
class Block:
    code: str
    name: str
    name_hi: str
    panchayats: tuple[Panchayat, ...]


def build_blocks(rng: random.Random) -> list[Block]:
    """14 blocks of 18-25 panchayats, with fictional codes in order."""
    blocks, next_panchayat = [], 1
    for number, (name, name_hi) in enumerate(BLOCKS, start=1):
        names = invent_place_names(rng, rng.randint(*PANCHAYATS_PER_BLOCK))
        panchayats = []
        for panchayat_name, panchayat_name_hi in names:
            code = f"{DISTRICT_CODE[:2]}{next_panchayat:05d}"
            panchayats.append(Panchayat(code, panchayat_name, panchayat_name_hi, rng.random()))
            next_panchayat += 1
        blocks.append(Block(f"{DISTRICT_CODE[:2]}{number:03d}", name, name_hi,
                            tuple(panchayats)))
    return blocks


def invent_place_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` distinct (English, Hindi) names from the syllable table."""
    names: dict[str, str] = {}
    while len(names) < count:
        head, head_hi = rng.choice(PLACE_HEADS)
        tail, tail_hi = rng.choice(PLACE_TAILS)
        name, name_hi = head + tail, head_hi + tail_hi
        if rng.random() < 0.12:
            qualifier, qualifier_hi = rng.choice(PLACE_QUALIFIERS)
            name, name_hi = f"{name} {qualifier}", f"{name_hi} {qualifier_hi}"
        if name not in names and name_hi not in names.values():
            names[name] = name_hi
    return list(names.items())


def all_panchayats(blocks: Iterable[Block]) -> list[tuple[Block, Panchayat]]:
    return [(block, panchayat) for block in blocks for panchayat in block.panchayats]


# --- Plans: how each block performs --------------------------------------------------

@dataclass(frozen=True)
class BlockPlan:
    kind: str  # lagging / steady / ahead
    pace: dict[str, float]  # indicator -> share of target achieved by the last day
    supervisor_span: int
    login_inactive_share: float


def plan_blocks(rng: random.Random, blocks: Sequence[Block]) -> dict[str, BlockPlan]:
    order = [block.code for block in blocks]
    rng.shuffle(order)
    lagging = order[:LAGGING_BLOCKS]
    ahead = order[LAGGING_BLOCKS:LAGGING_BLOCKS + AHEAD_BLOCKS]
    steady = order[LAGGING_BLOCKS + AHEAD_BLOCKS:]
    overloaded = {lagging[0], steady[0]}  # too many workers per facilitator
    plans = {}
    for block in blocks:
        kind = ("lagging" if block.code in lagging
                else "ahead" if block.code in ahead else "steady")
        span_kind = "overloaded" if block.code in overloaded else "normal"
        plans[block.code] = BlockPlan(
            kind=kind,
            pace={indicator: rng.uniform(*BLOCK_PACE[kind]) for indicator in INDICATORS},
            supervisor_span=rng.randint(*SUPERVISOR_SPAN[span_kind]),
            login_inactive_share=LOGIN_INACTIVE_SHARE[
                "lagging" if kind == "lagging" else "other"],
        )
    return plans


# --- Targets -----------------------------------------------------------------------

def panchayat_targets(rng: random.Random, blocks: Sequence[Block]) -> dict[str, dict[str, int]]:
    """indicator -> panchayat code -> target (bigger panchayats get bigger targets)."""
    targets: dict[str, dict[str, int]] = {indicator: {} for indicator in INDICATORS}
    for _, panchayat in all_panchayats(blocks):
        ayushman = 800 + 1700 * (0.8 * panchayat.size + 0.2 * rng.random())
        insurance = 200 + 700 * (0.7 * panchayat.size + 0.3 * rng.random())
        targets["ayushman_cards"][panchayat.code] = round_to(ayushman, 50)
        targets["insurance"][panchayat.code] = round_to(insurance, 10)
    return targets


def round_to(value: float, step: int) -> int:
    return round(value / step) * step


# --- Daily achievement -------------------------------------------------------------

Series = dict[tuple[str, str], list[int]]  # (panchayat code, channel) -> figure per day


def simulate_achievement(rng: random.Random, blocks: Sequence[Block],
                         plans: dict[str, BlockPlan],
                         targets: dict[str, dict[str, int]]) -> dict[str, Series]:
    """indicator -> what each panchayat's channels achieved on each day."""
    achieved: dict[str, Series] = {}
    for indicator in INDICATORS:
        series: Series = {}
        for block, panchayat in all_panchayats(blocks):
            pace = plans[block.code].pace[indicator] * rng.uniform(0.8, 1.2)
            expected = targets[indicator][panchayat.code] * pace
            silent = [rng.random() < silent_chance(report_date) for report_date in REPORT_DATES]
            for channel in CHANNELS:
                channel_total = expected * CHANNEL_SHARE[indicator][channel]
                daily = (camp_days(rng, channel_total) if channel == CAMP_CHANNEL
                         else regular_days(rng, channel_total))
                series[panchayat.code, channel] = [
                    0 if quiet else value for value, quiet in zip(daily, silent)]
        achieved[indicator] = series
    return achieved


def silent_chance(report_date: date) -> float:
    is_sunday = report_date.weekday() == 6
    return SILENT_PANCHAYAT_CHANCE["sunday" if is_sunday else "weekday"]


def day_weight(day: int, report_date: date) -> float:
    """Work picks up as the campaign goes on; Sundays are slow; drive days pull
    field workers into the camps."""
    weight = 0.7 + 0.6 * day / (DAYS - 1)
    if report_date.weekday() == 6:
        weight *= 0.35
    if report_date in DRIVE_DAYS:
        weight *= 0.8
    return weight


DAY_WEIGHTS = [day_weight(day, report_date) for day, report_date in enumerate(REPORT_DATES)]


def regular_days(rng: random.Random, total: float) -> list[int]:
    scale = total / sum(DAY_WEIGHTS)
    return [round(scale * weight * rng.uniform(0.5, 1.5)) for weight in DAY_WEIGHTS]


def camp_days(rng: random.Random, total: float) -> list[int]:
    """Near zero outside the special drive, large on its three days."""
    drive_split = (0.3, 0.4, 0.3)
    daily = []
    for report_date in REPORT_DATES:
        if report_date in DRIVE_DAYS:
            share = drive_split[DRIVE_DAYS.index(report_date)]
            daily.append(round(total * share * rng.uniform(0.7, 1.3)))
        else:
            daily.append(rng.randint(1, 6) if rng.random() < 0.06 else 0)
    return daily


def report_late_after_missing_days(achieved: dict[str, Series],
                                   blocks: Sequence[Block]) -> dict[str, Series]:
    """A block that did not report on a day reports that day's work the next day."""
    reported = {indicator: {key: list(days) for key, days in series.items()}
                for indicator, series in achieved.items()}
    block_by_name = {block.name: block for block in blocks}
    for indicator, report_date, block_name in MISSING_REPORTS:
        day = REPORT_DATES.index(report_date)
        for panchayat in block_by_name[block_name].panchayats:
            for channel in CHANNELS:
                days = reported[indicator][panchayat.code, channel]
                if day + 1 < len(days):  # (on the last day the work is not reported yet)
                    days[day + 1] += days[day]
                days[day] = 0
    return reported


# --- Formatting --------------------------------------------------------------------

def indian_number(value: int) -> str:
    """1234567 -> '12,34,567' (last three digits, then pairs)."""
    sign, digits = ("-" if value < 0 else ""), str(abs(int(value)))
    if len(digits) <= 3:
        return sign + digits
    head, groups = digits[:-3], [digits[-3:]]
    while head:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return sign + ",".join(groups)


def dmy(day: date | None, separator: str = "-") -> str:
    return "" if day is None else day.strftime(f"%d{separator}%m{separator}%Y")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]],
              title: str | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if title is not None:
            writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
    return path


# --- Writers: gazetteer, targets, progress -------------------------------------------

def write_gazetteer(out_dir: Path, blocks: Sequence[Block]) -> Path:
    rows = [
        (STATE_CODE, STATE_NAME, DISTRICT_CODE, DISTRICT_NAME, DISTRICT_NAME_HI,
         block.code, block.name, block.name_hi, panchayat.code, panchayat.name,
         panchayat.name_hi)
        for block, panchayat in all_panchayats(blocks)
    ]
    return write_csv(out_dir / "gazetteer.csv", GAZETTEER_HEADER, rows)


def write_targets(out_dir: Path, blocks: Sequence[Block],
                  targets: dict[str, dict[str, int]]) -> Path:
    rows = [
        (indicator, block.name, panchayat.name, targets[indicator][panchayat.code],
         dmy(DEADLINE))
        for indicator in INDICATORS
        for block, panchayat in all_panchayats(blocks)
    ]
    return write_csv(out_dir / "targets.csv", TARGETS_HEADER, rows)


def write_progress_reports(out_dir: Path, blocks: Sequence[Block],
                           targets: dict[str, dict[str, int]],
                           reported: dict[str, Series]) -> list[Path]:
    paths = []
    for indicator in INDICATORS:
        cumulative = {key: list(accumulate(days)) for key, days in reported[indicator].items()}
        for day, report_date in enumerate(REPORT_DATES):
            missing = {block for ind, when, block in MISSING_REPORTS
                       if ind == indicator and when == report_date}
            late = {block for ind, when, block, _ in LATE_REPORTS if ind == indicator and when == report_date}
            reporting_blocks = [block for block in blocks if block.name not in missing | late]
            rows = progress_rows(indicator, day, reporting_blocks, targets[indicator],
                                 reported[indicator], cumulative)
            layout = REPORT_LAYOUTS[indicator]
            title = layout.title.format(report_date=dmy(report_date, "."))
            path = out_dir / f"progress_{indicator}_{report_date.isoformat()}.csv"
            paths.append(write_csv(path, layout.header, rows, title=title))
            for block in blocks:
                if block.name in late:
                    rows = progress_rows(indicator, day, [block], targets[indicator], reported[indicator],
                                         cumulative)
                    path = out_dir / late_file_name(indicator, block.name, report_date)
                    paths.append(write_csv(path, layout.header, rows, title=title))
    return paths


def late_file_name(indicator: str, block_name: str, report_date: date) -> str:
    return f"{block_name.replace(' ', '-')}_{indicator}_{report_date.isoformat()}.csv"


def late_minutes(file_name: str) -> int | None:
    """Minutes after 5 PM a late block report was uploaded (None: not a late report)."""
    for indicator, report_date, block_name, minutes in LATE_REPORTS:
        if late_file_name(indicator, block_name, report_date) == file_name:
            return minutes
    return None


def progress_rows(indicator: str, day: int, blocks: Sequence[Block],
                  targets: dict[str, int], today: Series, cumulative: Series) -> list[list]:
    """One row per panchayat per channel, a subtotal after each block, a grand total."""
    layout = REPORT_LAYOUTS[indicator]
    rows, serial, district_sums = [], 0, [0, 0, 0]
    for block in blocks:
        block_sums = [0, 0, 0]
        block_name = block.name_hi if layout.hindi_names else block.name
        for panchayat in block.panchayats:
            panchayat_name = panchayat.name_hi if layout.hindi_names else panchayat.name
            for channel in CHANNELS:
                key = (panchayat.code, channel)
                target = targets[panchayat.code] if channel == TARGET_CHANNEL else None
                figures = [target or 0, today[key][day], cumulative[key][day]]
                block_sums = [a + b for a, b in zip(block_sums, figures)]
                serial += 1
                camp_site = (layout.camp_site.format(panchayat=panchayat_name)
                             if channel == CAMP_CHANNEL else "")
                rows.append([serial, block_name, panchayat_name,
                             layout.channel_labels[channel], camp_site,
                             "" if target is None else indian_number(target),
                             indian_number(figures[1]), indian_number(figures[2])])
        rows.append(total_row(layout.block_total.format(block=block_name), block_sums))
        district_sums = [a + b for a, b in zip(district_sums, block_sums)]
    rows.append(total_row(layout.grand_total, district_sums))
    return rows


def total_row(label: str, sums: Sequence[int]) -> list[str]:
    return ["", label, "", "", "", *(indian_number(value) for value in sums)]


# --- SHG registers -----------------------------------------------------------------

@dataclass
class Shg:
    shg_id: str
    name: str
    block: Block
    panchayat: Panchayat
    village: str
    village_organisation: str
    formation_date: date
    members: int
    weekly_saving: int
    last_meeting: date | None
    cumulative_saving: int
    last_saving_date: date
    bank_account: bool
    credit_linkages: int  # 0 none, 1 first, 2 second
    loan_outstanding: int
    overdue: int
    members_with_ayushman: int
    members_insured: int
    active: bool
    number_in_panchayat: int = field(default=0)


def build_shgs(rng: random.Random, blocks: Sequence[Block]) -> list[Shg]:
    """The SHGs as registered on the first register date."""
    as_of = SHG_REGISTER_DATES[0]
    shgs = []
    for block, panchayat in all_panchayats(blocks):
        villages = [panchayat.name] + [
            name for name, _ in invent_place_names(rng, rng.randint(2, 5))
            if name != panchayat.name]
        organisations = {village: f"{rng.choice(VO_WORDS)} Jeevika Mahila Gram Sangathan"
                         for village in villages}
        for number in range(1, rng.randint(*SHG_PER_PANCHAYAT) + 1):
            village = rng.choice(villages)
            formed = random_date(rng, date(2010, 1, 1), date(2024, 12, 31))
            shgs.append(new_shg(rng, block, panchayat, village, organisations[village],
                                number, formed, as_of))
    return sorted(shgs, key=shg_order)


def new_shg(rng: random.Random, block: Block, panchayat: Panchayat, village: str,
            organisation: str, number: int, formed: date, as_of: date) -> Shg:
    members = rng.choice((10, 10, 11, 11, 12, 12, 12, 13))
    weekly_saving = rng.choice(WEEKLY_SAVING_PER_MEMBER)
    weeks = max(1, (as_of - formed).days // 7)
    active = rng.random() < 0.92
    saving = round_to(members * weekly_saving * weeks * rng.uniform(0.6, 1.0), 10)
    quiet_since = as_of - timedelta(days=rng.randint(90, 400))
    last_saving = (as_of - timedelta(days=rng.randint(0, 30)) if active
                   else max(formed, quiet_since))
    linked = weeks > 26 and rng.random() < 0.85
    doses = (2 if weeks > 150 and rng.random() < 0.4 else 1) if linked else 0
    account = linked or (rng.random() < (0.6 if weeks < 8 else 0.96))
    loan = round_to(rng.uniform(50_000, 3_00_000), 100) if linked and rng.random() < 0.7 else 0
    overdue_chance = 0.15 if active else 0.6
    overdue = round_to(loan * rng.uniform(0.05, 0.4), 10) if rng.random() < overdue_chance else 0
    return Shg(
        shg_id=f"SHG{panchayat.code}{number:03d}",
        name=f"{rng.choice(SHG_WORDS)} Jeevika Samuh",
        block=block, panchayat=panchayat, village=village,
        village_organisation=organisation, formation_date=formed, members=members,
        weekly_saving=weekly_saving,
        last_meeting=last_meeting(rng, as_of, active, last_saving),
        cumulative_saving=saving, last_saving_date=last_saving, bank_account=account,
        credit_linkages=doses,
        loan_outstanding=loan, overdue=overdue,
        members_with_ayushman=binomial(rng, members, rng.uniform(0.2, 0.6)),
        members_insured=binomial(rng, members, rng.uniform(0.15, 0.5)),
        active=active, number_in_panchayat=number,
    )


def last_meeting(rng: random.Random, as_of: date, active: bool,
                 last_saving: date) -> date | None:
    """About 5% of SHGs have no meeting on record."""
    if rng.random() < 0.05:
        return None
    if active:
        return as_of - timedelta(days=rng.randint(0, 14))
    return last_saving + timedelta(days=rng.randint(0, 20))


def evolve_shgs(rng: random.Random, shgs: Sequence[Shg], plans: dict[str, BlockPlan]
                ) -> list[Shg]:
    """The register two months on: most save more, some stagnate, a few go inactive,
    the Ayushman campaign adds card holders, and ~2% new SHGs are formed."""
    start, as_of = SHG_REGISTER_DATES
    weeks = (as_of - start).days // 7
    later = []
    for shg in shgs:
        update: dict[str, object] = {}
        if shg.active and rng.random() < 0.03:
            update["active"] = False  # newly inactive: savings and dates stand still
        elif shg.active and rng.random() < 0.07:
            update["last_meeting"] = last_meeting(rng, as_of, True, shg.last_saving_date)
        elif shg.active:
            growth = shg.members * shg.weekly_saving * weeks * rng.uniform(0.6, 1.0)
            update["cumulative_saving"] = shg.cumulative_saving + round_to(growth, 10)
            update["last_saving_date"] = as_of - timedelta(days=rng.randint(0, 14))
            update["last_meeting"] = last_meeting(rng, as_of, True, as_of)
            if not shg.credit_linkages and shg.bank_account and rng.random() < 0.12:
                update["credit_linkages"] = 1  # linked since the first register
            if shg.loan_outstanding:
                repaid = shg.loan_outstanding * rng.uniform(0.03, 0.15)
                update["loan_outstanding"] = round_to(shg.loan_outstanding - repaid, 100)
        pace = plans[shg.block.code].pace["ayushman_cards"]
        without_card = shg.members - shg.members_with_ayushman
        update["members_with_ayushman"] = (
            shg.members_with_ayushman + binomial(rng, without_card, min(0.9, 0.4 * pace)))
        uninsured = shg.members - shg.members_insured
        pace = plans[shg.block.code].pace["insurance"]
        update["members_insured"] = (
            shg.members_insured + binomial(rng, uninsured, min(0.9, 0.3 * pace)))
        later.append(replace(shg, **update))
    later.extend(newly_formed_shgs(rng, shgs, start, as_of))
    return sorted(later, key=shg_order)


def newly_formed_shgs(rng: random.Random, shgs: Sequence[Shg], start: date,
                      as_of: date) -> list[Shg]:
    """~2% new SHGs, in villages that already have one; numbered on per panchayat."""
    last_number: dict[str, int] = {}
    for shg in shgs:
        code = shg.panchayat.code
        last_number[code] = max(last_number.get(code, 0), shg.number_in_panchayat)
    new = []
    for sibling in rng.sample(list(shgs), k=max(1, round(0.02 * len(shgs)))):
        code = sibling.panchayat.code
        last_number[code] += 1
        formed = random_date(rng, start + timedelta(days=1), as_of - timedelta(days=7))
        shg = new_shg(rng, sibling.block, sibling.panchayat, sibling.village,
                      sibling.village_organisation, last_number[code], formed, as_of)
        saved_on = max(formed, as_of - timedelta(days=rng.randint(0, 14)))
        met_on = last_meeting(rng, as_of, True, saved_on)
        new.append(replace(
            shg, active=True, credit_linkages=0, loan_outstanding=0, overdue=0,
            last_saving_date=saved_on, last_meeting=met_on and max(met_on, formed)))
    return new


def shg_order(shg: Shg) -> tuple:
    return (shg.block.code, shg.panchayat.code, shg.village, shg.shg_id)


def write_shg_register(out_dir: Path, as_of: date, shgs: Sequence[Shg]) -> Path:
    rows = [
        (serial, DISTRICT_NAME, shg.block.name, shg.panchayat.name, shg.village,
         shg.village_organisation, shg.name, shg.shg_id, dmy(shg.formation_date),
         shg.members, dmy(shg.last_meeting), indian_number(shg.cumulative_saving),
         dmy(shg.last_saving_date), "Yes" if shg.bank_account else "No",
         ("No", "1st", "2nd")[shg.credit_linkages],
         indian_number(shg.loan_outstanding), indian_number(shg.overdue),
         shg.members_with_ayushman, shg.members_insured,
         "Active" if shg.active else "Inactive")
        for serial, shg in enumerate(shgs, start=1)
    ]
    return write_csv(out_dir / f"shg_register_{as_of.isoformat()}.csv", SHG_HEADER, rows)


# --- Workers -----------------------------------------------------------------------

@dataclass(frozen=True)
class Worker:
    worker_id: str
    name: str
    role: str  # ASHA / AWW
    block: Block
    panchayat: Panchayat
    login_active: bool
    training_date: date | None
    supervisor: str = ""


def build_workers(rng: random.Random, blocks: Sequence[Block],
                  plans: dict[str, BlockPlan]) -> list[Worker]:
    """ASHAs and Anganwadi workers per panchayat, grouped under ASHA facilitators."""
    counters = {"ASHA": 0, "AWW": 0}
    workers = []
    for block in blocks:
        plan = plans[block.code]
        in_block = []
        for panchayat in block.panchayats:
            ashas = ASHA_PER_PANCHAYAT[0] + round(panchayat.size * 2 + rng.uniform(-0.5, 0.5))
            ashas = min(max(ashas, ASHA_PER_PANCHAYAT[0]), ASHA_PER_PANCHAYAT[1])
            roles = ["ASHA"] * ashas + ["AWW"] * rng.randint(*AWW_PER_PANCHAYAT)
            for role in roles:
                counters[role] += 1
                prefix = "A" if role == "ASHA" else "W"
                in_block.append(Worker(
                    worker_id=f"SHP-{prefix}-{counters[role]:05d}",
                    name=person_name(rng), role=role, block=block, panchayat=panchayat,
                    login_active=rng.random() >= plan.login_inactive_share,
                    training_date=training_date(rng),
                ))
        workers.extend(assign_supervisors(rng, in_block, plan.supervisor_span))
    return workers


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return f"{rng.choice(MUSLIM_FIRST_NAMES)} {rng.choice(MUSLIM_SURNAMES)}"
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def training_date(rng: random.Random) -> date | None:
    """Most were trained just before the campaign, some last year, ~20% not at all."""
    if rng.random() < 0.2:
        return None
    if rng.random() < 0.8:
        return random_date(rng, date(2025, 3, 3), date(2025, 4, 25))
    return random_date(rng, date(2024, 1, 8), date(2024, 12, 20))


def assign_supervisors(rng: random.Random, workers: Sequence[Worker], span: int
                       ) -> list[Worker]:
    """Consecutive workers (so neighbouring panchayats) share a facilitator."""
    groups = max(1, round(len(workers) / span))
    names: list[str] = []
    while len(names) < groups:
        name = person_name(rng)
        if name not in names:
            names.append(name)
    return [replace(worker, supervisor=names[index * groups // len(workers)])
            for index, worker in enumerate(workers)]


def write_roster(out_dir: Path, workers: Sequence[Worker]) -> Path:
    rows = [
        (worker.worker_id, worker.name, worker.role, worker.block.name,
         worker.panchayat.name, "Yes" if worker.login_active else "No",
         "Yes" if worker.training_date else "No", dmy(worker.training_date),
         worker.supervisor)
        for worker in sorted(workers, key=lambda w: (w.role, w.worker_id))
    ]
    return write_csv(out_dir / "asha_roster.csv", ROSTER_HEADER, rows)


def write_worker_output(rng: random.Random, out_dir: Path, workers: Sequence[Worker],
                        plans: dict[str, BlockPlan],
                        targets: dict[str, dict[str, int]]) -> Path:
    """Cards made per day by each worker with an active login; many days are zero."""
    active = sorted((w for w in workers if w.login_active), key=lambda w: w.worker_id)
    per_panchayat: dict[str, int] = {}
    for worker in active:
        per_panchayat[worker.panchayat.code] = per_panchayat.get(worker.panchayat.code, 0) + 1
    daily_rate, dormant = {}, set()
    for worker in active:
        panchayat_daily = (targets["ayushman_cards"][worker.panchayat.code]
                           * plans[worker.block.code].pace["ayushman_cards"]
                           * CHANNEL_SHARE["ayushman_cards"]["ASHA"] / DAYS)
        role_factor = 1.0 if worker.role == "ASHA" else 0.5
        daily_rate[worker.worker_id] = (panchayat_daily / per_panchayat[worker.panchayat.code]
                                        * role_factor * rng.uniform(0.3, 1.7))
        if rng.random() < DORMANT_WORKER_SHARE:
            dormant.add(worker.worker_id)
    rows = []
    for day, report_date in enumerate(REPORT_DATES):
        idle_chance = 0.7 if report_date.weekday() == 6 else 0.3
        last_week = day >= DAYS - 7
        for worker in active:
            cards = 0
            if not (last_week and worker.worker_id in dormant) and rng.random() >= idle_chance:
                cards = round(daily_rate[worker.worker_id] * rng.uniform(0.3, 2.0))
            rows.append((dmy(report_date), worker.worker_id, cards))
    return write_csv(out_dir / "worker_output.csv", WORKER_OUTPUT_HEADER, rows)


# --- Boundaries --------------------------------------------------------------------

DISTRICT_BOUNDS = (85.0, 25.4, 86.2, 26.2)  # west, south, east, north (lon/lat)
BLOCK_BANDS = (5, 5, 4)  # blocks per east-west band, north to south
LINE_JITTER = 0.12  # of a row's height, for vertices on lines between panchayat rows
EDGE_JITTER = 0.12  # of a cell's width, for the middle of edges within a row
COORDINATE_PLACES = 5
KM_PER_DEGREE_LON = math.cos(math.radians(25.8))  # relative to a degree of latitude

Point = tuple[float, float]


def block_rectangles(blocks: Sequence[Block]) -> dict[str, tuple[float, float, float, float]]:
    """Bands of blocks, heights and widths in proportion to panchayat counts."""
    west, south, east, north = DISTRICT_BOUNDS
    bands, start = [], 0
    for size in BLOCK_BANDS:
        bands.append(blocks[start:start + size])
        start += size
    band_weights = [sum(len(block.panchayats) for block in band) for band in bands]
    band_edges = split_edges(north, south, band_weights)
    rectangles = {}
    for band, (top, bottom) in zip(bands, pairwise(band_edges)):
        column_edges = split_edges(west, east, [len(block.panchayats) for block in band])
        for block, (left, right) in zip(band, pairwise(column_edges)):
            rectangles[block.code] = (left, bottom, right, top)
    return rectangles


def split_edges(start: float, end: float, weights: Sequence[float]) -> list[float]:
    shares = [0.0, *accumulate(weights)]
    edges = [round(start + (end - start) * share / shares[-1], COORDINATE_PLACES)
             for share in shares]
    edges[0], edges[-1] = start, end
    return edges


def row_sizes(count: int, width: float, height: float) -> list[int]:
    """Panchayat cells per row, for roughly square cells."""
    rows = max(1, min(count, round(math.sqrt(count * height / (width * KM_PER_DEGREE_LON)))))
    base, extra = divmod(count, rows)
    return [base + 1 if row < extra else base for row in range(rows)]


def block_cells(rng: random.Random, rectangle: tuple[float, float, float, float],
                count: int) -> list[list[Point]]:
    """Split a block rectangle into `count` cells (rings, not yet closed or oriented).

    Rows of cells run north to south; every line between two rows is a polyline with a
    vertex at each column boundary of either row, jittered north-south, and every edge
    between two cells of a row bends at a jittered midpoint. Neighbours use the very
    same vertices, so the cells tile the rectangle without gaps or overlaps.
    """
    west, south, east, north = rectangle
    sizes = row_sizes(count, east - west, north - south)
    row_height = (north - south) / len(sizes)

    def x_at(key: Fraction) -> float:
        return east if key == 1 else round(west + (east - west) * float(key), COORDINATE_PLACES)

    lines: list[dict[Fraction, Point]] = []
    for line in range(len(sizes) + 1):
        keys = sorted({Fraction(column, sizes[row]) for row in (line - 1, line)
                       if 0 <= row < len(sizes) for column in range(sizes[row] + 1)})
        base_y = south if line == len(sizes) else north - row_height * line
        interior = 0 < line < len(sizes)
        lines.append({
            key: (x_at(key), round(base_y + (rng.uniform(-LINE_JITTER, LINE_JITTER)
                                            * row_height if interior else 0),
                                  COORDINATE_PLACES))
            for key in keys})
    cells = []
    for row, size in enumerate(sizes):
        top, bottom = lines[row], lines[row + 1]
        bends = {}
        for column in range(1, size):
            key = Fraction(column, size)
            (x_top, y_top), (_, y_bottom) = top[key], bottom[key]
            shift = rng.uniform(-EDGE_JITTER, EDGE_JITTER) * (east - west) / size
            bends[key] = (round(x_top + shift, COORDINATE_PLACES),
                          round((y_top + y_bottom) / 2, COORDINATE_PLACES))
        for column in range(size):
            low, high = Fraction(column, size), Fraction(column + 1, size)
            ring = [top[key] for key in sorted(top) if low <= key <= high]
            ring += [bends[high]] if high in bends else []
            ring += [bottom[key] for key in sorted(bottom, reverse=True) if low <= key <= high]
            ring += [bends[low]] if low in bends else []
            cells.append(ring)
    return cells


def signed_area(ring: Sequence[Point]) -> float:
    """Shoelace area: positive when the ring runs counter-clockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]])) / 2


def closed_counter_clockwise(ring: list[Point]) -> list[list[float]]:
    if signed_area(ring) < 0:
        ring = ring[::-1]
    return [list(point) for point in [*ring, ring[0]]]


def write_boundaries(rng: random.Random, out_dir: Path, blocks: Sequence[Block]) -> Path:
    rectangles = block_rectangles(blocks)
    features = []
    for block in blocks:
        cells = block_cells(rng, rectangles[block.code], len(block.panchayats))
        for panchayat, ring in zip(block.panchayats, cells):
            features.append({
                "type": "Feature",
                "properties": {"block_code": block.code, "block_name": block.name,
                               "panchayat_code": panchayat.code,
                               "panchayat_name": panchayat.name},
                "geometry": {"type": "Polygon",
                             "coordinates": [closed_counter_clockwise(ring)]},
            })
    path = out_dir / "panchayat_boundaries.geojson"
    lines = [json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
             for feature in features]
    path.write_text('{"type":"FeatureCollection","features":[\n'
                    + ",\n".join(lines) + "\n]}\n", encoding="utf-8")
    return path


# --- Helpers -----------------------------------------------------------------------

def random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def binomial(rng: random.Random, trials: int, chance: float) -> int:
    return sum(rng.random() < chance for _ in range(trials))


def stream(seed: int, part: str) -> random.Random:
    """An independent random stream per part, so parts don't shift each other."""
    return random.Random(f"{seed}/{part}")


# --- Household survey ----------------------------------------------------------------

SURVEY_BLOCKS = ("Dhusari", "Raunakpur", "Semrabad")  # surveyed door to door by their ASHAs
SURVEY_DAYS = tuple(date(2025, 5, 20) + timedelta(days=n) for n in range(7))
REVISIT_DAY = date(2025, 5, 29)  # Raunakpur's ASHAs went back to the families left
# (tola, tola in Hindi, social group as the registers write it, share of members carded)
TOLAS = (
    ("Musahar Tola", "मुसहर टोला", ("SC", "अनुसूचित जाति", "अ.जा.", "Mahadalit"), 0.30),
    ("Ravidas Tola", "रविदास टोला", ("SC", "S.C.", "अनुसूचित जाति"), 0.45),
    ("Santhal Tola", "संथाल टोला", ("ST", "अनुसूचित जनजाति", "आदिवासी", "अ.ज.जा."), 0.28),
    ("Yadav Tola", "यादव टोला", ("OBC", "BC-II", "पिछड़ा वर्ग"), 0.78),
    ("Koiri Tola", "कोईरी टोला", ("OBC", "BC-I", "अति पिछड़ा"), 0.72),
    ("Bazar Tola", "बाज़ार टोला", ("General", "सामान्य", "OBC", "EBC"), 0.82),
    ("Ward 1", "वार्ड 1", ("General", "OBC", "SC", ""), 0.70),
)
SURVEY_HEADER = ("क्र.सं.", "प्रखंड", "पंचायत", "गाँव", "टोला/वार्ड", "परिवार प्रमुख का नाम", "राशन कार्ड संख्या",
                 "सामाजिक वर्ग", "कुल सदस्य", "आयुष्मान कार्ड वाले सदस्य", "जीविका समूह से जुड़े (हाँ/नहीं)",
                 "सर्वेकर्ता आईडी", "सर्वे तिथि")


def ration_card_written(rng: random.Random, number: str) -> str:
    """As registers write it: plain, in groups of four, with a hyphen, or with RC in front."""
    style = rng.random()
    if style < 0.6:
        return number
    if style < 0.8:
        return " ".join(number[i:i + 4] for i in range(0, len(number), 4))
    if style < 0.9:
        return f"{number[:4]}-{number[4:]}"
    return f"RC{number}"


def build_households(rng: random.Random, blocks: Sequence[Block], workers: Sequence[Worker]) -> list[dict]:
    """Households of the surveyed blocks, 3-4 tolas a panchayat, each surveyed by an ASHA of
    its panchayat on one of the survey days. SC and ST tolas have far fewer cards."""
    ashas: dict[str, list[Worker]] = {}
    for worker in workers:
        if worker.role == "ASHA":
            ashas.setdefault(worker.panchayat.code, []).append(worker)
    found, serial = [], 0
    for block in blocks:
        if block.name not in SURVEY_BLOCKS:
            continue
        for panchayat in block.panchayats:
            village = panchayat.name
            for tola, tola_hi, groups, share in rng.sample(TOLAS, rng.randint(3, 4)):
                written = tola_hi if rng.random() < 0.5 else tola  # as this panchayat's ASHAs write it
                for _ in range(rng.randint(8, 22)):
                    serial += 1
                    members = rng.choice((2, 3, 4, 4, 5, 5, 6, 7, 8))
                    carded = sum(rng.random() < share for _ in range(members))
                    found.append({
                        "block": block, "panchayat": panchayat, "village": village,
                        "tola": written, "head": person_head(rng),
                        "card": f"1020{block.code[-3:]}{serial:05d}", "group": rng.choice(groups),
                        "members": members, "carded": carded, "in_shg": rng.random() < 0.55 + share / 3,
                        "worker": rng.choice(ashas.get(panchayat.code) or [None]),
                        "day": rng.choice(SURVEY_DAYS), "share": share,
                    })
    return found


def person_head(rng: random.Random) -> str:
    heads = ("Ramesh", "Suresh", "Mahesh", "Dinesh", "Ramdeo", "Shivnath", "Bhola", "Jagdish", "Ramji",
             "Lalan", "Mohan", "Sunil", "Rajesh", "Vinod", "Upendra")
    return f"{rng.choice(heads)} {rng.choice(SURNAMES[3:])}"


def survey_row(rng: random.Random, serial: int, household: dict, day: date, carded: int) -> list[object]:
    worker = household["worker"]
    return [serial, household["block"].name_hi, household["panchayat"].name_hi, household["village"],
            household["tola"], household["head"], ration_card_written(rng, household["card"]), household["group"],
            household["members"], carded, "हाँ" if household["in_shg"] else "नहीं",
            worker.worker_id if worker else "", dmy(day, ".")]


def write_household_survey(rng: random.Random, out_dir: Path, households: Sequence[dict]) -> list[Path]:
    """The survey register as the district compiles it (a title with its date, Hindi headers, a
    कुल row), and Raunakpur's revisit of the families left, some of whom got their cards."""
    last = max(SURVEY_DAYS)
    rows = [survey_row(rng, n, h, h["day"], h["carded"]) for n, h in enumerate(households, start=1)]
    rows.append(["कुल", "", "", "", "", "", "", "", sum(h["members"] for h in households),
                 sum(h["carded"] for h in households), "", "", ""])
    title = f"{DISTRICT_NAME_HI} जिला : घर-घर सर्वे रजिस्टर (आयुष्मान कार्ड) दिनांक {dmy(last, '.')}"
    first = write_csv(out_dir / f"household_survey_{last.isoformat()}.csv", SURVEY_HEADER, rows, title=title)
    revisited = [h for h in households if h["block"].name == "Raunakpur" and h["carded"] < h["members"]
                 and rng.random() < 0.6]
    rows = [survey_row(rng, n, h, REVISIT_DAY, min(h["members"], h["carded"] + rng.randint(1, 3)))
            for n, h in enumerate(revisited, start=1)]
    title = f"प्रखंड रौनकपुर : छूटे परिवारों का पुनः सर्वे दिनांक {dmy(REVISIT_DAY, '.')}"
    second = write_csv(out_dir / f"household_revisit_{REVISIT_DAY.isoformat()}.csv", SURVEY_HEADER, rows, title=title)
    return [first, second]


# --- Entry points ------------------------------------------------------------------

def generate(out_dir: Path, seed: int = 2025) -> dict[str, list[Path]]:
    """Write every demo file into `out_dir`; returns the paths by kind."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    blocks = build_blocks(stream(seed, "places"))
    plans = plan_blocks(stream(seed, "plans"), blocks)
    targets = panchayat_targets(stream(seed, "targets"), blocks)
    achieved = simulate_achievement(stream(seed, "progress"), blocks, plans, targets)
    reported = report_late_after_missing_days(achieved, blocks)
    first_register = build_shgs(stream(seed, "shg"), blocks)
    second_register = evolve_shgs(stream(seed, "shg-later"), first_register, plans)
    workers = build_workers(stream(seed, "workers"), blocks, plans)
    households = build_households(stream(seed, "households"), blocks, workers)
    return {
        "gazetteer": [write_gazetteer(out_dir, blocks)],
        "targets": [write_targets(out_dir, blocks, targets)],
        "progress": write_progress_reports(out_dir, blocks, targets, reported),
        "shg": [write_shg_register(out_dir, as_of, shgs) for as_of, shgs
                in zip(SHG_REGISTER_DATES, (first_register, second_register))],
        "workers": [write_roster(out_dir, workers)],  # as of the last report date
        "worker_output": [write_worker_output(stream(seed, "worker-output"), out_dir,
                                              workers, plans, targets)],
        "households": write_household_survey(stream(seed, "household-files"), out_dir, households),
        "boundaries": [write_boundaries(stream(seed, "boundaries"), out_dir, blocks)],
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=f"Write the {DISTRICT_NAME} demo files.")
    parser.add_argument("out_dir", type=Path, help="folder to write the files into")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    written = generate(args.out_dir, args.seed)
    for kind, paths in written.items():
        print(f"{kind}: {len(paths)} file(s)")


if __name__ == "__main__":
    main()
