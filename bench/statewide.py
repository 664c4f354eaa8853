"""A Bihar-sized statewide store for `make bench`: made-up places, real intake, cached.

`write_files(out_dir)` writes, the way the offices would send them (CSV, title row, Indian
digit grouping, day-first dates):
  - one statewide gazetteer (an LGD-like download: state 10, 38 districts with codes 901..,
    534 blocks with codes 9001.., about 8,200 panchayats with codes 900001..; every name is
    invented, in English and Hindi);
  - one targets file per district (panchayat targets of both indicators, one deadline);
  - one progress file per district and indicator holding 90 days (a "Report Date" column):
    Ayushman cards in English, insurance in Hindi (headers and place names). Most blocks
    report each panchayat as a whole; some report some days split by channel (ASHA / VLE /
    Camp); a few panchayats miss a day and report its work the next day;
  - one workers roster per district (one lakh ASHA, Anganwadi and VLE workers in all, about 12
    a panchayat, one supervisor for 15 to 25 of them; as on the first day of the output) and
    one output file per district (cards made per worker per day over the last `worker_days`
    days of the progress, a row for each day a worker made cards and a few zero rows); both
    with a "Sl. No." column, in English or (every other district) in Hindi, dd.mm.yyyy dates.
Progress and targets go per district because that is how a district compiles its blocks'
reports (and a file is matched within one district).

`build_store(path)` writes those files into a temporary folder and stores them with
`samiksha.ingest.ingest_file` into a new store at `path`; it returns sizes and timings.
`write_worker_files(out_dir)` writes the rosters and output files alone (bench_workers.py).
Sizes can be made small for development: BENCH_DAYS, BENCH_WORKERS, BENCH_WORKER_DAYS.
`cached_store()` keeps the built store under bench/.cache/, keyed by the parameters below
(and this file's text and the schema migrations), so a second `make bench` reuses it.

Run: python bench/statewide.py [--force]   (builds or reuses the cached store, prints its sizes)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from samiksha.fmt import group_indian  # noqa: E402

CACHE_DIR = ROOT / "bench" / ".cache"

PARAMS = {
    "seed": 2025,
    "districts": 38,
    "blocks": 534,
    "panchayats_per_block": (10, 22, 14),  # low, high, mode (triangular): mean about 15.3
    "first_day": "2025-04-01",
    "days": int(os.environ.get("BENCH_DAYS", "90")),
    "deadline": "2025-07-31",
    "indicators": ("ayushman_cards", "insurance"),
    "split_share": 0.10,  # blocks that report some days split by channel
    "missed_day_chance": 0.02,  # a panchayat missing from a day's report (work reported next day)
    "workers": int(os.environ.get("BENCH_WORKERS", "100000")),
    "worker_days": int(os.environ.get("BENCH_WORKER_DAYS", "30")),  # output: the last days of the progress
    "worker_roles": (("asha", 0.55), ("aww", 0.40), ("vle", 0.05)),
    "id_active_share": 0.86,  # workers whose login ID is active
    "trained_share": 0.78,
    "dormant_share": 0.08,  # active workers who make no card in the last weeks
}

STATE_CODE, STATE_NAME = "10", "BIHAR"
CHANNELS = (("ASHA", "आशा", 0.5), ("VLE", "वीएलई", 0.3), ("Camp", "कैंप", 0.2))

# Progress layouts: (title, header, Hindi names?) per indicator.
LAYOUTS = {
    "ayushman_cards": (
        "{district} district : Ayushman card panchayat-wise daily progress (statewide benchmark)",
        ("Report Date", "District", "Block", "Panchayat", "Channel", "Achieved Today",
         "Cumulative Achieved"),
        False),
    "insurance": (
        "{district} जिला : बीमा नामांकन पंचायतवार दैनिक प्रगति (राज्यस्तरीय बेंचमार्क)",
        ("दिनांक", "जिला", "प्रखंड", "पंचायत", "माध्यम", "आज की उपलब्धि", "कुल उपलब्धि"),
        True),
}
TARGET_RANGE = {"ayushman_cards": (2000, 6000, 50), "insurance": (500, 1500, 10)}
GAZETTEER_HEADER = ("state_code", "state_name", "district_code", "district_name", "district_name_hi",
                    "block_code", "block_name", "block_name_hi", "panchayat_code", "panchayat_name",
                    "panchayat_name_hi")
TARGETS_HEADER = ("Indicator", "District", "Block", "Panchayat", "Target", "Deadline")

# Workers: (title, roster header, output title, output header) in English and Hindi.
WORKER_LAYOUTS = {
    "en": ("{district} district : ASHA / AWW / VLE roster as on {date}",
           ("Sl. No.", "District", "Block", "Panchayat", "Worker ID", "Worker Name", "Designation",
            "Login ID Active", "Trained", "Training Date", "Supervisor"),
           "{district} district : Ayushman cards made by workers, {first} to {last}",
           ("Sl. No.", "Date", "Block", "Worker ID", "Worker Name", "Cards Made")),
    "hi": ("{district} जिला : आशा / सेविका / वीएलई सूची दिनांक {date}",
           ("क्रम सं", "जिला", "प्रखंड", "पंचायत", "कर्मी आईडी", "कर्मी का नाम", "पद", "लॉगिन आईडी सक्रिय",
            "प्रशिक्षित", "प्रशिक्षण तिथि", "पर्यवेक्षक"),
           "{district} जिला : कर्मीवार बने आयुष्मान कार्ड, {first} से {last}",
           ("क्रम सं", "दिनांक", "प्रखंड", "कर्मी आईडी", "नाम", "बने कार्ड")),
}
ROLE_WORDS = {"en": {"asha": "ASHA", "aww": "AWW", "vle": "VLE"},
              "hi": {"asha": "आशा", "aww": "सेविका", "vle": "वीएलई"}}
YES_NO = {"en": ("Yes", "No"), "hi": ("हाँ", "नहीं")}
FIRST_NAMES = (
    ("Sunita", "सुनीता"), ("Rekha", "रेखा"), ("Anita", "अनीता"), ("Kavita", "कविता"), ("Pooja", "पूजा"),
    ("Meena", "मीना"), ("Savitri", "सावित्री"), ("Rinku", "रिंकू"), ("Kiran", "किरण"), ("Manju", "मंजू"),
    ("Sangita", "संगीता"), ("Usha", "उषा"), ("Lalita", "ललिता"), ("Nirmala", "निर्मला"), ("Renu", "रेनू"),
    ("Babita", "बबीता"), ("Shobha", "शोभा"), ("Geeta", "गीता"), ("Mamta", "ममता"), ("Priyanka", "प्रियंका"),
    ("Suman", "सुमन"), ("Rani", "रानी"), ("Sarita", "सरिता"), ("Poonam", "पूनम"), ("Khushboo", "खुशबू"),
    ("Nisha", "निशा"), ("Seema", "सीमा"), ("Chanda", "चंदा"), ("Radha", "राधा"), ("Kumkum", "कुमकुम"),
)
SURNAMES = (
    ("Devi", "देवी"), ("Kumari", "कुमारी"), ("Sinha", "सिन्हा"), ("Yadav", "यादव"), ("Paswan", "पासवान"),
    ("Mandal", "मंडल"), ("Singh", "सिंह"), ("Jha", "झा"), ("Mishra", "मिश्रा"), ("Sah", "साह"),
    ("Khatoon", "खातून"), ("Prasad", "प्रसाद"), ("Bharti", "भारती"), ("Manjhi", "मांझी"),
)

# Invented names from syllables, so the Hindi always matches the English.
HEADS = (
    ("Ram", "राम"), ("Sita", "सीता"), ("Kishan", "किशन"), ("Madho", "माधो"), ("Bhawani", "भवानी"),
    ("Sona", "सोना"), ("Hira", "हीरा"), ("Bela", "बेला"), ("Keshav", "केशव"), ("Lakhan", "लखन"),
    ("Gobind", "गोबिंद"), ("Mohan", "मोहन"), ("Shiv", "शिव"), ("Durga", "दुर्गा"), ("Kamal", "कमल"),
    ("Basant", "बसंत"), ("Dhan", "धन"), ("Ganga", "गंगा"), ("Hari", "हरि"), ("Kusum", "कुसुम"),
    ("Mahua", "महुआ"), ("Nawa", "नवा"), ("Pipra", "पिपरा"), ("Raghu", "रघु"), ("Semra", "सेमरा"),
    ("Tara", "तारा"), ("Jamun", "जामुन"), ("Prem", "प्रेम"), ("Sukh", "सुख"), ("Deva", "देवा"),
    ("Khajur", "खजूर"), ("Anand", "आनंद"), ("Amla", "आमला"), ("Bakhri", "बखरी"), ("Chandan", "चंदन"),
    ("Dumra", "डुमरा"), ("Gopal", "गोपाल"), ("Jagdish", "जगदीश"), ("Lohar", "लोहार"),
    ("Madhu", "मधु"), ("Narayan", "नारायण"), ("Pokhar", "पोखर"), ("Rupa", "रूपा"), ("Sohan", "सोहन"),
    ("Tilak", "तिलक"), ("Udai", "उदय"), ("Bhagwan", "भगवान"), ("Kesar", "केसर"),
)
TAILS = (
    ("pur", "पुर"), ("ganj", "गंज"), ("nagar", "नगर"), ("tola", "टोला"), ("bigha", "बीघा"),
    ("chak", "चक"), ("dih", "डीह"), ("sarai", "सराय"), ("ghat", "घाट"), ("bari", "बारी"),
    ("patti", "पट्टी"), ("bag", "बाग"), ("garh", "गढ़"), ("pokhar", "पोखर"), ("hat", "हाट"),
    ("tand", "टांड़"), ("bad", "बाद"), ("pura", "पुरा"),
)
QUALIFIERS = (("Kalan", "कलां"), ("Khurd", "खुर्द"))


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    name_hi: str


@dataclass(frozen=True)
class Block:
    place: Place
    district: Place
    panchayats: tuple[Place, ...]
    split_days: frozenset[int]  # days reported split by channel


def _names(rng: random.Random, count: int, taken: set[str]) -> list[tuple[str, str]]:
    """`count` new (English, Hindi) names not in `taken` (which is updated)."""
    found = []
    while len(found) < count:
        (head, head_hi), (tail, tail_hi) = rng.choice(HEADS), rng.choice(TAILS)
        name, name_hi = head + tail, head_hi + tail_hi
        if rng.random() < 0.12:
            word, word_hi = rng.choice(QUALIFIERS)
            name, name_hi = f"{name} {word}", f"{name_hi} {word_hi}"
        if name not in taken and name_hi not in taken:
            taken.update((name, name_hi))
            found.append((name, name_hi))
    return found


def _split(total: int, parts: int, rng: random.Random, low: int) -> list[int]:
    """`total` split into `parts` random whole shares of at least `low` each."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    spare = total - low * parts
    whole = sum(weights)
    shares = [low + int(spare * w / whole) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return shares


def build_places(params: dict) -> list[Block]:
    rng = random.Random(f"{params['seed']}/places")
    days = params["days"]
    taken_districts: set[str] = set()
    taken_blocks: set[str] = set()  # block names are unique statewide (the figures group by name)
    district_names = _names(rng, params["districts"], taken_districts)
    blocks, block_no, panchayat_no = [], 9001, 900001
    low, high, mode = params["panchayats_per_block"]
    for d, (per_district, (d_name, d_name_hi)) in enumerate(
            zip(_split(params["blocks"], params["districts"], rng, 6), district_names, strict=True)):
        district = Place(str(901 + d), d_name, d_name_hi)
        for b_name, b_name_hi in _names(rng, per_district, taken_blocks):
            count = round(rng.triangular(low, high, mode))
            panchayats = []
            for p_name, p_name_hi in _names(rng, count, set()):
                panchayats.append(Place(f"{panchayat_no:06d}", p_name, p_name_hi))
                panchayat_no += 1
            split_days: frozenset[int] = frozenset()
            if rng.random() < params["split_share"]:
                if rng.random() < 0.5:  # switched to channel-wise reports for the last weeks
                    split_days = frozenset(range(rng.randint(days // 2, max(days // 2, days - 10)), days))
                else:  # channel-wise in alternate weeks
                    split_days = frozenset(day for day in range(days) if day // 7 % 2)
            blocks.append(Block(Place(str(block_no), b_name, b_name_hi), district, tuple(panchayats),
                                split_days))
            block_no += 1
    return blocks


def _day_weights(params: dict) -> list[float]:
    first = dt.date.fromisoformat(params["first_day"])
    weights = []
    for day in range(params["days"]):
        weight = 0.7 + 0.6 * day / max(1, params["days"] - 1)  # work picks up as the campaign goes on
        if (first + dt.timedelta(days=day)).weekday() == 6:
            weight *= 0.35  # Sundays are slow
        weights.append(weight)
    return weights


def _targets(params: dict, blocks: Sequence[Block]) -> dict[str, dict[str, int]]:
    rng = random.Random(f"{params['seed']}/targets")
    targets: dict[str, dict[str, int]] = {}
    for indicator in params["indicators"]:
        low, high, step = TARGET_RANGE[indicator]
        targets[indicator] = {p.code: round(rng.uniform(low, high) / step) * step
                              for block in blocks for p in block.panchayats}
    return targets


def _indian(value: int) -> str:
    text = group_indian(str(value))
    return f'"{text}"' if "," in text else text


def write_gazetteer(out_dir: Path, blocks: Sequence[Block]) -> Path:
    """The statewide gazetteer (an LGD-like download, no title row)."""
    gazetteer = out_dir / "bihar_lgd_panchayats.csv"
    with gazetteer.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(GAZETTEER_HEADER) + "\n")
        for block in blocks:
            d, b = block.district, block.place
            for p in block.panchayats:
                out.write(f"{STATE_CODE},{STATE_NAME},{d.code},{d.name},{d.name_hi},{b.code},{b.name},"
                          f"{b.name_hi},{p.code},{p.name},{p.name_hi}\n")
    return gazetteer


def write_files(out_dir: Path, params: dict = PARAMS) -> dict[str, list[Path]]:
    """Write the gazetteer, targets and progress files; returns the paths by kind."""
    out_dir.mkdir(parents=True, exist_ok=True)
    blocks = build_places(params)
    targets = _targets(params, blocks)
    first = dt.date.fromisoformat(params["first_day"])
    dates = [(first + dt.timedelta(days=day)).strftime("%d-%m-%Y") for day in range(params["days"])]
    deadline = dt.date.fromisoformat(params["deadline"]).strftime("%d-%m-%Y")
    written: dict[str, list[Path]] = {"gazetteer": [], "targets": [], "progress": []}

    written["gazetteer"].append(write_gazetteer(out_dir, blocks))

    by_district: dict[str, list[Block]] = {}
    for block in blocks:
        by_district.setdefault(block.district.code, []).append(block)
    for code, district_blocks in by_district.items():
        path = out_dir / f"targets_{code}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(f"{district_blocks[0].district.name} district : campaign targets (statewide benchmark)\n")
            out.write(",".join(TARGETS_HEADER) + "\n")
            for indicator in params["indicators"]:
                for block in district_blocks:
                    for p in block.panchayats:
                        out.write(f"{indicator},{block.district.name},{block.place.name},{p.name},"
                                  f"{_indian(targets[indicator][p.code])},{deadline}\n")
        written["targets"].append(path)

    weights = _day_weights(params)
    for indicator in params["indicators"]:
        rng = random.Random(f"{params['seed']}/progress/{indicator}")
        title, header, hindi = LAYOUTS[indicator]
        for code, district_blocks in by_district.items():
            district = district_blocks[0].district
            rows: list[tuple[int, str]] = []  # (day, line): sorted by day, as compiled daily
            for block in district_blocks:
                pace = rng.uniform(0.3, 1.1)  # share of target reached by the last day
                block_name = block.place.name_hi if hindi else block.place.name
                for p in block.panchayats:
                    name = p.name_hi if hindi else p.name
                    scale = targets[indicator][p.code] * pace * rng.uniform(0.8, 1.2) / sum(weights)
                    cumulative = [0] * len(CHANNELS)
                    owed = [0] * len(CHANNELS)  # work of days the panchayat missed
                    for day, weight in enumerate(weights):
                        today = round(scale * weight * rng.uniform(0.5, 1.5))
                        asha = round(today * CHANNELS[0][2])
                        vle = round(today * CHANNELS[1][2])
                        parts = (asha, vle, today - asha - vle)
                        cumulative = [c + x for c, x in zip(cumulative, parts, strict=True)]
                        owed = [o + x for o, x in zip(owed, parts, strict=True)]
                        if rng.random() < params["missed_day_chance"] and day < len(weights) - 1:
                            continue
                        prefix = f"{dates[day]},{district.name_hi if hindi else district.name},{block_name},{name}"
                        if day in block.split_days:
                            for (channel, channel_hi, _), got, total in zip(CHANNELS, owed, cumulative,
                                                                             strict=True):
                                rows.append((day, f"{prefix},{channel_hi if hindi else channel},"
                                                  f"{_indian(got)},{_indian(total)}\n"))
                        else:
                            rows.append((day, f"{prefix},,{_indian(sum(owed))},{_indian(sum(cumulative))}\n"))
                        owed = [0] * len(CHANNELS)
            rows.sort(key=lambda row: row[0])
            path = out_dir / f"progress_{indicator}_{code}.csv"
            with path.open("w", encoding="utf-8", newline="") as out:
                out.write(title.format(district=district.name_hi if hindi else district.name) + "\n")
                out.write(",".join(header) + "\n")
                out.writelines(line for _, line in rows)
            written["progress"].append(path)
    return written


def worker_period(params: dict = PARAMS) -> tuple[dt.date, dt.date]:
    """The first and last day of the workers' output: the last `worker_days` of the progress."""
    first = dt.date.fromisoformat(params["first_day"])
    last = first + dt.timedelta(days=params["days"] - 1)
    return max(first, last - dt.timedelta(days=params["worker_days"] - 1)), last


def _person(rng: random.Random, taken: set[str] | None = None) -> tuple[str, str]:
    while True:
        (first, first_hi), (last, last_hi) = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        if taken is None or first + last not in taken:
            if taken is not None:
                taken.add(first + last)
            return f"{first} {last}", f"{first_hi} {last_hi}"


def write_worker_files(out_dir: Path, params: dict = PARAMS, blocks: Sequence[Block] | None = None
                       ) -> dict[str, list[Path]]:
    """One roster and one output file per district; returns the paths by kind (workers,
    worker_output)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    blocks = blocks or build_places(params)
    rng = random.Random(f"{params['seed']}/workers")
    panchayats = [(block, p) for block in blocks for p in block.panchayats]
    if params["workers"] >= len(panchayats):
        per_panchayat = _split(params["workers"], len(panchayats), rng, 1)
    else:  # a small quick-mode run: one worker in evenly spread panchayats
        per_panchayat = [0] * len(panchayats)
        for i in range(params["workers"]):
            per_panchayat[i * len(panchayats) // params["workers"]] += 1
    start, end = worker_period(params)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    roster_day = start.strftime("%d.%m.%Y")
    roles, role_weights = zip(*params["worker_roles"], strict=True)
    by_district: dict[str, list[tuple[Block, Place, int]]] = {}
    for (block, p), count in zip(panchayats, per_panchayat, strict=True):
        by_district.setdefault(block.district.code, []).append((block, p, count))
    written: dict[str, list[Path]] = {"workers": [], "worker_output": []}
    for n, (code, places_) in enumerate(by_district.items()):
        lang = "hi" if n % 2 else "en"
        hindi = lang == "hi"
        district = places_[0][0].district
        title, header, out_title, out_header = WORKER_LAYOUTS[lang]
        yes, no = YES_NO[lang]
        # The roster: workers in panchayat order, each block's split among supervisors of 15 to 25.
        workers = []  # (id, name, block name, skill: cards a day when working, or 0)
        lines = []
        current_block, serial, number, span_left, supervisor = None, 0, 0, 0, ("", "")
        taken_supervisors: set[str] = set()
        for block, p, count in places_:
            if block is not current_block:
                current_block, number, span_left, taken_supervisors = block, 0, 0, set()
            block_name = block.place.name_hi if hindi else block.place.name
            for _ in range(count):
                if span_left == 0:
                    supervisor, span_left = _person(rng, taken_supervisors), rng.randint(15, 25)
                span_left -= 1
                number += 1
                serial += 1
                worker_id = f"BR{block.place.code}{number:04d}"
                name = _person(rng)
                role = rng.choices(roles, role_weights)[0]
                active = rng.random() < params["id_active_share"]
                trained = rng.random() < params["trained_share"]
                trained_on = (start - dt.timedelta(days=rng.randint(1, 120))).strftime("%d.%m.%Y") if trained else ""
                lines.append(",".join((
                    _indian(serial), district.name_hi if hindi else district.name, block_name,
                    p.name_hi if hindi else p.name, worker_id, name[hindi], ROLE_WORDS[lang][role],
                    yes if active else no, yes if trained else no, trained_on, supervisor[hindi])) + "\n")
                skill = 0 if not active or rng.random() < params["dormant_share"] else rng.uniform(2, 14)
                workers.append((worker_id, name[hindi], block_name, skill, rng.uniform(0.35, 0.95)))
        path = out_dir / f"worker_roster_{code}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(title.format(district=district.name_hi if hindi else district.name, date=roster_day) + "\n")
            out.write(",".join(header) + "\n")
            out.writelines(lines)
        written["workers"].append(path)
        # Output: day by day, a row for each worker who made cards (and a few who made none).
        path = out_dir / f"worker_output_{code}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(out_title.format(district=district.name_hi if hindi else district.name,
                                       first=days[0].strftime("%d.%m.%Y"), last=days[-1].strftime("%d.%m.%Y")) + "\n")
            out.write(",".join(out_header) + "\n")
            serial = 0
            for day in days:
                text = day.strftime("%d.%m.%Y")
                slow = 0.4 if day.weekday() == 6 else 1.0
                for worker_id, name, block_name, skill, works in workers:
                    if skill and rng.random() < works * slow:
                        cards = max(1, round(skill * rng.uniform(0.3, 1.7)))
                    elif rng.random() < 0.03:
                        cards = 0
                    else:
                        continue
                    serial += 1
                    out.write(f"{_indian(serial)},{text},{block_name},{worker_id},{name},{cards}\n")
        written["worker_output"].append(path)
    return written


def build_store(path: str | Path, params: dict = PARAMS) -> dict:
    """Write the files and store them in a new store at `path`; sizes and timings."""
    from samiksha import ingest, store

    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    info: dict = {"params": params}
    with tempfile.TemporaryDirectory(prefix="samiksha_statewide_") as tmp:
        started = time.perf_counter()
        written = write_files(Path(tmp), params)
        written.update(write_worker_files(Path(tmp), params))
        info["generate_s"] = round(time.perf_counter() - started, 2)
        info["files"] = {kind: len(paths) for kind, paths in written.items()}
        info["file_mib"] = round(sum(p.stat().st_size for ps in written.values() for p in ps) / 2**20, 1)
        started = time.perf_counter()
        con = store.open_store(str(path))
        rejected = warned = 0
        info["ingest_by_kind_s"], info["rows_by_kind"], info["issues_by_kind"] = {}, {}, {}
        uploaded_at = dt.datetime.fromisoformat(params["first_day"]) - dt.timedelta(hours=13)
        for kind in ("gazetteer", "targets", "progress", "workers", "worker_output"):
            begun, accepted, issues = time.perf_counter(), 0, {}
            for file in written[kind]:
                result = ingest.ingest_file(con.cursor(), file.read_bytes(), file.name, kind=kind,
                                            uploaded_at=uploaded_at)
                if not result.ok:
                    con.close()
                    raise RuntimeError(f"{file.name} refused: {result.refusal.code} {result.refusal.params}")
                rejected += result.staged.rows_rejected
                warned += result.staged.rows_warned
                accepted += result.staged.rows_accepted
                for issue in [*result.staged.issues, *result.staged.read_notes]:
                    if issue.severity != "info":
                        issues[issue.code] = issues.get(issue.code, 0) + 1
            info["ingest_by_kind_s"][kind] = round(time.perf_counter() - begun, 2)
            info["rows_by_kind"][kind] = accepted
            if issues:
                info["issues_by_kind"][kind] = issues
        con.execute("CHECKPOINT")
        info["ingest_s"] = round(time.perf_counter() - started, 2)
        counts = dict(con.execute("SELECT level, count(*) FROM places_current GROUP BY level").fetchall())
        info.update(
            districts=counts.get("district", 0), blocks=counts.get("block", 0),
            panchayats=counts.get("panchayat", 0),
            progress_rows=store.scalar(con, "SELECT count(*) FROM progress"),
            channel_rows=store.scalar(con, "SELECT count(*) FROM progress WHERE channel IS NOT NULL"),
            target_rows=store.scalar(con, "SELECT count(*) FROM targets"),
            first_date=str(store.scalar(con, "SELECT min(report_date) FROM progress")),
            last_date=str(store.scalar(con, "SELECT max(report_date) FROM progress")),
            rows_rejected=rejected, rows_warned=warned,
            unmatched_names=len(ingest.unmatched_names(con)),
            workers=store.scalar(con, "SELECT count(*) FROM workers"),
            worker_output_rows=store.scalar(con, "SELECT count(*) FROM worker_output"),
        )
        con.close()
    info["store_mib"] = round(path.stat().st_size / 2**20, 1)
    info["build_peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return info


def cache_key(params: dict = PARAMS) -> str:
    """Parameters, this generator's text and the schema migrations: a change means a rebuild."""
    from samiksha import store

    parts = [json.dumps(params, sort_keys=True), Path(__file__).read_text(encoding="utf-8")]
    parts += [p.read_text(encoding="utf-8") for _, p in store.migrations()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def cached_store(params: dict = PARAMS, force: bool = False) -> tuple[Path, dict]:
    """The built store (built now when not cached) and its info; info["cached"] says which."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    key = cache_key(params)
    path, info_path = CACHE_DIR / f"statewide_{key}.duckdb", CACHE_DIR / f"statewide_{key}.json"
    if path.exists() and info_path.exists() and not force:
        return path, {**json.loads(info_path.read_text(encoding="utf-8")), "cached": True}
    for old in CACHE_DIR.glob("statewide_*"):  # other keys are stale: one store is enough
        old.unlink()
    partial = CACHE_DIR / f"building_{key}_{os.getpid()}.duckdb"
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    try:
        info = build_store(partial, params)
    except BaseException:
        partial.unlink(missing_ok=True)
        Path(str(partial) + ".wal").unlink(missing_ok=True)
        raise
    info["build_s"] = round(time.perf_counter() - started, 2)
    os.replace(partial, path)
    info_path.write_text(json.dumps(info, indent=1), encoding="utf-8")
    return path, {**info, "cached": False}


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Build (or reuse) the statewide benchmark store.")
    parser.add_argument("--force", action="store_true", help="rebuild even when cached")
    parser.add_argument("--files", type=Path, help="only write the CSV files into this folder")
    args = parser.parse_args(argv)
    if args.files:
        written = write_files(args.files)
        written.update(write_worker_files(args.files))
        for kind, paths in written.items():
            print(f"{kind}: {len(paths)} file(s)")
        return
    path, info = cached_store(force=args.force)
    how = "cached" if info["cached"] else f"built in {info['build_s']:.1f} s"
    print(f"store: {path} ({how})")
    for key in ("districts", "blocks", "panchayats", "progress_rows", "channel_rows", "target_rows",
                "first_date", "last_date", "workers", "worker_output_rows", "rows_rejected", "rows_warned",
                "unmatched_names", "issues_by_kind", "files", "file_mib", "store_mib", "generate_s", "ingest_s",
                "ingest_by_kind_s", "rows_by_kind", "build_peak_rss_mib"):
        print(f"  {key}: {info.get(key)}")
    # The last line, for bench/run.py: the sizes, and this process's peak memory (the build's
    # when it was built here).
    print(json.dumps({**{k: v for k, v in info.items() if k != "params"}, "store": str(path),
                      "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
