"""What a report's columns mean: read from the words of each header and from its values.

A header is read as words, in any order: "Achievement till date", "Cum. Achv.", "अब तक की
कुल उपलब्धि" and "Kul uplabdhi" all say the same two things, *achieved* and *so far*. The
words are mapped to concepts (`CONCEPTS`: English, Hindi and Hinglish, with the abbreviations
offices type); brackets add flags ("(Y/N)", "(Rs.)", "(%)", "(in lakh)", a date). Each field
of a kind of report (samiksha/kinds/) says which concepts name it (`Field.words`: every
concept of one pattern present) and which say it is something else (`Field.not_words`).

The values are evidence too: a column of dates is no count, a column of names is no target,
a Y/N column is a flag. Then one meaning is chosen per column across the whole header (no
two columns get one field, unless the field repeats for each indicator or day), and where
two readings are close the column is marked unsure, to be asked, never guessed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as default

from samiksha import values

# ---------------------------------------------------------------- words

# Concepts and the words that say them. A phrase is one or more words; a word ending in "*"
# matches any word that starts with it. Longer phrases win over shorter ones at the same
# place ("gram panchayat" is a panchayat, not a village; "till date" is no date).
CONCEPTS: dict[str, tuple[str, ...]] = {
    "SERIAL": ("sl", "slno", "sl no", "s no", "sno", "s n", "sn", "sr", "sr no", "srno", "serial", "serial no",
               "sr n", "#", "क्र", "क्रम", "क्रमांक", "क्र सं", "क्रम सं", "क्रम संख्या", "क्रसं", "kram", "kramank",
               "krmank", "क्र0", "क्र0सं0", "क्रसं0"),
    "STATE": ("state", "राज्य", "rajya"),
    "DISTRICT": ("district", "dist", "distt", "zila", "zilla", "jila", "jilla", "जिला", "जिले", "जनपद"),
    "SUBDISTRICT": ("sub district", "subdistrict", "sub division", "subdivision", "tehsil", "taluka", "अनुमंडल",
                    "तहसील"),
    "BLOCK": ("block", "blk", "blok", "blcok", "bolck", "प्रखंड", "प्रखण्ड", "प्रखंडों", "ब्लॉक", "ब्लाक", "prakhand",
              "prakhnd", "cd block", "health block", "development block"),
    "PANCHAYAT": ("panchayat", "panchayats", "panchyat", "panchayt", "panchayath", "panchaya", "gp", "gps",
                  "gram panchayat", "grampanchayat", "g p", "पंचायत", "पंचायतों", "ग्राम पंचायत", "local body",
                  "localbody", "gram panchayat name"),
    "VILLAGE": ("village", "villages", "villege", "vill", "gaon", "gaanv", "gaav", "gram", "गाँव", "गांव", "ग्राम",
                "revenue village", "राजस्व ग्राम", "mauza", "मौजा"),
    "TOLA": ("tola", "tolla", "टोला", "ward", "वार्ड", "mohalla", "मोहल्ला", "hamlet", "basti", "बस्ती", "pada", "पाड़ा"),
    "CODE": ("code", "lgd", "कोड"),
    "CENSUS": ("census", "census code", "जनगणना"),
    "PARENT": ("parent", "मूल"),
    "NAME": ("name", "naam", "नाम"),
    "LOCAL": ("local", "hindi", "hi", "hin", "हिंदी", "हिन्दी", "in local", "devanagari", "hindi mein", "हिंदी में"),
    "ENGLISH": ("english", "in english", "अंग्रेजी", "अंग्रेज़ी", "angrezi"),
    "TARGET": ("target", "targets", "tgt", "trgt", "targt", "goal", "lakshya", "lakshy", "laksh", "लक्ष्य", "लक्ष",
               "लक्ष्यांक", "लक्षय", "annual target", "वार्षिक लक्ष्य"),
    "ACHIEVE": ("achievement", "achievements", "achieved", "achieve", "achv", "achvt", "achvmt", "ach", "acheivement",
                "achivement", "achived", "uplabdhi", "uplabdi", "uplbdhi", "upalabdhi", "उपलब्धि", "उपलब्धी", "उपलब्धियां",
                "प्राप्ति", "prapti", "done", "made", "bana", "bane", "banaye", "banaya", "बने", "बना", "बनाए",
                "बनाये", "बनाया", "बनाये गये", "बनाए गए", "बने हुए", "निर्गत", "generated", "created", "issued", "prepared",
                "covered", "coverage", "enrolled", "enrolment", "enrollment", "formed", "mobilized", "mobilised"),
    "ENTRY": ("entry", "entries", "प्रविष्टि", "प्रविष्टियां", "pravishti"),
    "FIRST": ("first", "1st", "प्रथम", "पहला", "pehla", "pratham"),
    "CARD": ("card", "cards", "कार्ड", "golden card", "गोल्डन कार्ड", "गोल्डेन कार्ड"),
    "CUMULATIVE": ("cumulative", "cummulative", "cumulatively", "cum", "cumm", "till date", "till dt", "to date",
                   "todate", "so far", "upto date", "up to date", "uptodate", "upto", "up to", "till", "progressive",
                   "total", "tot", "कुल", "अब तक", "आज तक", "अभी तक", "अबतक", "abtak", "ab tak", "aaj tak", "kul",
                   "overall", "संचयी", "सम्पूर्ण", "till now", "as on date", "since", "since launch", "since inception",
                   "since beginning", "since start", "from beginning", "from the beginning", "from start",
                   "शुरू से", "प्रारंभ से", "प्रारम्भ से", "आरंभ से", "शुरुआत से", "shuru se", "योग", "कुल योग", "सकल",
                   "सकल योग", "yog", "kul yog", "sakal", "grand total", "gross"),
    "TODAY": ("today", "todays", "today s", "daily", "day", "during the day", "for the day", "of the day",
              "on the day", "during", "this month", "current month", "during the month", "in the month", "इस माह",
              "इस महीने", "आज", "आज का", "आज की", "aaj", "दैनिक", "dainik", "प्रतिदिन की", "month", "माह"),
    "PREVIOUS": ("previous", "prev", "yesterday", "till yesterday", "upto yesterday", "up to yesterday",
                 "last month", "upto last month", "upto last", "upto previous", "previous day", "upto previous day",
                 "up to previous day", "till previous day", "पिछले माह", "पिछले माह तक", "गत माह", "गत माह तक",
                 "गत दिवस तक", "पिछले दिन तक", "कल तक की", "कल तक", "कल", "पिछला", "पिछली", "पिछले",
                 "गत", "गत दिवस", "पूर्व", "पूर्व का", "पूर्व की", "kal tak", "kal", "pichla", "pichhla", "prior",
                 "opening", "b f", "brought forward"),
    "PERCENT": ("%", "percent", "percentage", "pct", "per cent", "प्रतिशत", "pratishat", "pratisat", "pratishath",
                "फीसदी"),
    "PROGRESS": ("progress", "prog", "प्रगति", "pragati"),
    "DATE": ("date", "dt", "dated", "dates", "दिनांक", "तिथि", "तारीख", "tithi", "dinank", "tarikh", "tareekh", "dd mm yy",
             "dd mm yyyy", "dd mm yyyy"),
    "REPORT": ("report", "reporting", "प्रतिवेदन", "रिपोर्ट"),
    "DEADLINE": ("deadline", "dead line", "last date", "due date", "target date", "end date", "complete by",
                 "completion date", "अंतिम तिथि", "समय सीमा", "antim tithi", "पूर्ण करने की तिथि", "पूरा करने की तिथि",
                 "अंतिम दिनांक"),
    "UNTIL": ("to", "tak", "तक", "till", "until"),
    "START": ("start", "starting", "start date", "from", "begin", "beginning", "commencement", "launch",
              "प्रारंभ", "प्रारम्भ", "आरंभ", "शुरू", "शुरुआत", "shuru", "shuruaat", "abhiyan prarambh"),
    "CHANNEL": ("channel", "source", "mode", "made by", "operator type", "type of operator", "माध्यम", "kiske dwara",
                "kiske", "through", "agency", "dwara", "द्वारा", "by whom", "किसके द्वारा"),
    "CAMP": ("camp", "camps", "शिविर", "कैंप", "कैम्प", "shivir", "venue"),
    "SITE": ("site", "location", "place", "venue", "स्थल", "स्थान", "जगह", "jagah", "sthal", "dukan", "दुकान",
             "shop"),
    "INDICATOR": ("indicator", "scheme", "yojna", "yojana", "योजना", "सूचक", "सूचकांक", "activity", "component",
                  "item", "parameter", "programme component"),
    "SHG": ("shg", "shgs", "self help group", "self help groups", "samuh", "समूह", "स्वयं सहायता समूह", "sakhi mandal",
            "सखी मंडल", "group", "जीविका समूह", "एसएचजी", "एस एच जी", "shg s"),
    "VO": ("vo", "village organisation", "village organization", "ग्राम संगठन", "gram sangathan", "vo name"),
    "FORMATION": ("formation", "formtion", "formed on", "gathan", "गठन", "establishment", "established"),
    "MEMBER": ("member", "members", "membership", "सदस्य", "सदस्यों", "sadasya", "didi", "didis", "दीदी"),
    "MEETING": ("meeting", "meetings", "बैठक", "baithak"),
    "SAVING": ("saving", "savings", "बचत", "bachat", "thrift"),
    "TRANSACTION": ("transaction", "transactions", "लेन देन", "लेनदेन", "txn"),
    "BANK": ("bank", "बैंक", "sb", "savings bank"),
    "ACCOUNT": ("account", "a c", "ac", "acc", "acct", "खाता", "khata"),
    "LINKAGE": ("linkage", "linked", "link", "linking", "लिंकेज", "संबद्धता", "cl", "ccl", "सीसीएल", "ऋण जुड़ाव"),
    "CREDIT": ("credit", "क्रेडिट", "साख", "साख सीमा", "cash credit"),
    "LOAN": ("loan", "ऋण", "karz", "कर्ज", "कर्ज़"),
    "OUTSTANDING": ("outstanding", "o s", "os", "बकाया", "baki", "baaki", "balance outstanding"),
    "OVERDUE": ("overdue", "over due", "अतिदेय", "default", "npa", "arrear", "arrears"),
    "AYUSHMAN": ("ayushman", "pmjay", "pm jay", "ab pmjay", "abpmjay", "आयुष्मान", "golden", "गोल्डन", "गोल्डेन"),
    "INSURANCE": ("insurance", "insured", "बीमा", "bima", "pmjjby", "pmsby", "बीमित"),
    "STATUS": ("status", "functional", "functionality", "defunct", "स्थिति", "sthiti", "current status"),
    "GRADE": ("grade", "grading", "ग्रेड", "ग्रेडिंग", "rating"),
    "WORKER": ("worker", "workers", "asha", "aww", "anganwadi", "sevika", "vle", "csc", "sahiya", "karmi", "कर्मी",
               "कार्यकर्ता", "आशा", "सेविका", "सहिया", "operator", "ऑपरेटर", "ऑपरेटरों", "user", "यूजर", "surveyor",
               "सर्वेकर्ता", "enumerator", "volunteer"),
    "ID": ("id", "ids", "आईडी", "आई डी", "user id", "userid", "login id", "loginid", "कोड संख्या"),
    "LOGIN": ("login", "log in", "लॉगिन", "लॉग इन", "username"),
    "ACTIVE": ("active", "activated", "activation", "activate", "enabled", "सक्रिय", "एक्टिव", "chalu", "चालू"),
    "TRAIN": ("trained", "training", "प्रशिक्षण", "प्रशिक्षित", "prashikshan", "prashikshit"),
    "ROLE": ("role", "designation", "post", "पद", "cadre", "worker type", "type", "प्रकार", "prakar"),
    "ANM": ("anm", "एएनएम", "ए एन एम"),
    "SUPERVISOR": ("supervisor", "supervisors", "facilitator", "asha facilitator", "पर्यवेक्षक",
                   "सुपरवाइजर", "सुपरवाईजर", "फैसिलिटेटर", "sahiya sathi", "सहिया साथी", "lady supervisor", "ls",
                   "reporting to", "sector supervisor"),
    "HEAD": ("head", "मुखिया", "mukhiya", "head of family", "head of household", "hof", "hoh", "परिवार प्रमुख",
             "pramukh", "गृहस्वामी", "गृह स्वामी", "grihswami"),
    "HOUSEHOLD": ("household", "households", "hh", "family", "families", "परिवार", "parivar", "घर", "ghar"),
    "RATION": ("ration", "rc", "राशन", "pds card", "nfsa", "phh", "aay", "ration card", "राशन कार्ड", "phh aay card",
               "aay card", "phh card"),
    "SOCIAL": ("social group", "caste", "jati", "जाति", "varg", "वर्ग", "social category", "sc st obc",
               "sc st obc gen", "samajik"),
    "SURVEY": ("survey", "surveyed", "सर्वे", "सर्वेक्षण", "visited", "visit"),
    "NUMBER": ("no", "nos", "number", "numbers", "num", "संख्या", "sankhya", "नं", "count"),
    "MOBILE": ("mobile", "phone", "contact", "मोबाइल", "फोन", "सम्पर्क", "संपर्क", "whatsapp"),
    "REMARKS": ("remarks", "remark", "टिप्पणी", "tippani", "अभ्युक्ति", "अभियुक्ति", "comment", "comments", "note",
                "notes", "reason", "कारण"),
    "SIGN": ("sign", "signature", "हस्ताक्षर", "hastakshar"),
    "RANK": ("rank", "ranking", "रैंक", "स्थान क्रम"),
    "OFFICER": ("officer", "incharge", "in charge", "प्रभारी", "nodal", "नोडल", "bdo", "moic", "bhm", "bpm", "cho",
                "सचिव", "secretary"),
    "REMAINING": ("remaining", "balance", "शेष", "pending", "left", "बाकी", "gap"),
    "REQUIRED": ("required", "needed", "आवश्यक", "per day"),
    "ELIGIBLE": ("eligible", "पात्र", "beneficiaries", "लाभुक", "beneficiary"),
    "REJECTED": ("rejected", "अस्वीकृत", "reject"),
    "APPROVED": ("approved", "स्वीकृत", "approve"),
    "VERSION": ("version",),
    "TIME": ("time", "समय"),
    "FACILITY": ("facility", "hwc", "phc", "aphc", "chc", "sub centre", "sub center", "hsc", "awc", "icds", "project"),
    "AMOUNT": ("amount", "amt", "राशि", "रकम", "rs", "rupees", "inr", "₹", "रु", "रुपये", "in lakh", "lakh", "लाख"),
    "JOIN": ("joining", "joined", "जुड़े", "जुड़ाव", "judav", "me hai", "में है", "से जुड़े", "member of"),
    "WITHOUT": ("without", "बिना", "no card", "not"),
}

# Words that never carry meaning alone (dropped before reading): "of", "का", "की" ...
NOISE = frozenset({"of", "the", "in", "for", "on", "at", "with", "and", "or", "a", "an", "by", "is", "are", "to",
                   "का", "की", "के", "को", "में", "से", "एवं", "और", "तथा", "है", "हैं", "ka", "ki", "ke", "ko", "se",
                   "me", "mein", "hai", "wala", "wali", "wale", "वाला", "वाली", "वाले", "गये", "गए", "गया", "हुए", "हुआ",
                   "hua", "kiye", "किये", "किए"})

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200c\u200d\u200b\ufeff"))
_NUKTA = "\u093c"


@functools.lru_cache(maxsize=8192)
def fold(text: str | None) -> str:
    """Text as it is compared: NFC, lower case, nukta and chandrabindu folded, zero-width
    characters gone, punctuation a space ("Achv." = "achv", "a/c" = "a c")."""
    if not text:
        return ""
    text = unicodedata.normalize("NFD", str(text)).replace(_NUKTA, "")
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH).casefold()
    text = text.replace("ँ", "ं").replace("०", "0")
    text = text.replace("&", " and ").replace("%", " % ").replace("#", " # ").replace("₹", " ₹ ")
    text = re.sub(r"[^\w%#₹\u0900-\u097f]+", " ", text).replace("_", " ")
    return " ".join(text.split())


@functools.cache
def _phrases() -> list[tuple[tuple[str, ...], str]]:
    """Every (phrase as words, concept), longest first."""
    found = []
    for concept, phrases in CONCEPTS.items():
        for phrase in phrases:
            words = tuple(fold(phrase).split()) if phrase not in ("%", "#", "₹") else (phrase,)
            if words:
                found.append((words, concept))
    return sorted(found, key=lambda item: -len(item[0]))


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


@dataclass
class Words:
    """What a header says: its concepts, its words not understood, and its flags."""

    text: str
    concepts: set[str] = default(default_factory=set)
    unknown: list[str] = default(default_factory=list)
    flags: set[str] = default(default_factory=set)  # yesno, money, percent, date, year
    day: object | None = None  # a date the header itself gives ("Achv. on 27.05.2025", "27.05.2025")

    def has(self, *names: str) -> bool:
        return all(name in self.concepts for name in names)


_BRACKETS = re.compile(r"[(\[{]([^)\]}]*)[)\]}]")
_YESNO_FLAG = re.compile(r"^\s*(y\s*/\s*n|yes\s*/\s*no|हाँ\s*/\s*नहीं|हां\s*/\s*नहीं|haan\s*/\s*nahi|0\s*/\s*1|1\s*/\s*0)\s*$",
                         re.IGNORECASE)
_MONEY_FLAG = re.compile(r"\b(rs|inr|rupees|amount|amt)\b|₹|रु|रुपये|राशि|lakh|लाख|crore|करोड़", re.IGNORECASE)
_AS_OF = re.compile(r"\b(as\s+on|as\s+of|upto|up\s+to|till)\s*[:\-]?\s*\d|\d\s*(तक|tak)\b", re.IGNORECASE)
# A day and month with no year inside a header ("31.05 को बने", "Cards on 31/5"): not a decimal
# ("2.5 lakh") nor a fraction ("1/2"): a two-digit month after a dot, two digits on one side of
# a slash.
_SHORT_DAY = re.compile(r"(?<![\d.,/])(?:(0?[1-9]|[12]\d|3[01])\.(0[1-9]|1[0-2])|([12]\d|3[01]|0[1-9])[/-](0?[1-9]|1[0-2])"
                        r"|(0?[1-9])[/-](0[1-9]|1[0-2]))(?![\d.,/-]\d)")
_YEAR_RANGE = re.compile(r"(?<!\d)(20\d\d)\s*[-–/]\s*(\d\d|20\d\d)(?!\d)")


# One-letter headers under an indicator's name (a two-line header: "Insurance | T | A").
SHORT_WORDS = {"t": "TARGET", "a": "ACHIEVE", "tgt": "TARGET", "achv": "ACHIEVE", "ach": "ACHIEVE", "%": "PERCENT",
               "ल": "TARGET", "उ": "ACHIEVE", "लक्ष": "TARGET", "उप": "ACHIEVE", "l": "TARGET", "u": "ACHIEVE"}


@functools.lru_cache(maxsize=4096)
def words_of(header: str | None, lower: str | None = None) -> Words:
    """Read a header cell: concepts (longest phrases first), words left over, and flags."""
    text = str(header or "")
    found = Words(text)
    for inside in _BRACKETS.findall(text):
        if _YESNO_FLAG.match(inside):
            found.flags.add("yesno")
        if _MONEY_FLAG.search(inside):
            found.flags.add("money")
    if re.search(r"\b(y\s*/\s*n|yes\s*/\s*no|हाँ\s*/\s*नहीं|haan\s*/\s*nahi)\b|\?", text, re.IGNORECASE):
        found.flags.add("yesno")
    if _YEAR_RANGE.search(values.to_ascii_digits(text)):
        found.flags.add("year")
        text = _YEAR_RANGE.sub(" ", values.to_ascii_digits(text))
    days = values.dates_in_text(values.clean_date_text(values.to_ascii_digits(text)))
    if days:
        found.day = days[0]
        found.flags.add("date")
        if _AS_OF.search(values.to_ascii_digits(text)):
            found.concepts.add("CUMULATIVE")  # "Cards created (as on 27.05.2025)": up to that day
        else:
            found.concepts.add("DAY")  # a figure of that day: "Achv. on 27.05.2025", or the date alone
        text = values.DATE_IN_TEXT.sub(" ", values.clean_date_text(values.to_ascii_digits(text)))
    elif _SHORT_DAY.search(values.to_ascii_digits(text)) and re.search(r"[^\W\d_]", text):
        ascii_text = values.to_ascii_digits(text)
        found.flags.add("date")
        found.concepts.add("CUMULATIVE" if _AS_OF.search(ascii_text) else "DAY")
        text = _SHORT_DAY.sub(" ", ascii_text)
    tokens = fold(text).split()
    if lower is not None and fold(lower) in SHORT_WORDS:
        found.concepts.add(SHORT_WORDS[fold(lower)])  # "Insurance | T", "Insurance | A"
    used = [False] * len(tokens)
    present = set(tokens)
    for phrase, concept in _phrases():
        size, first = len(phrase), phrase[0]
        if not (first in present if not first.endswith("*") else any(w.startswith(first[:-1]) for w in tokens)):
            continue  # its first word is nowhere in the header
        for start in range(len(tokens) - size + 1):
            if any(used[start:start + size]):
                continue
            if all(_word_matches(p, w) for p, w in zip(phrase, tokens[start:start + size], strict=True)):
                found.concepts.add(concept)
                for i in range(start, start + size):
                    used[i] = True
    found.unknown = [w for w, u in zip(tokens, used, strict=True)
                     if not u and w not in NOISE and not w.isdigit() and len(w) > 1]
    if found.day is not None:
        found.concepts.discard("DATE")  # "दिनांक 27.05.2025 को बने कार्ड": the word only announces the date
    if "PERCENT" in found.concepts:
        found.flags.add("percent")
    return found


# ---------------------------------------------------------------- values

@dataclass
class Profile:
    """What a column's values look like (from its first rows)."""

    seen: int = 0  # non-blank values
    numbers: int = 0
    whole: int = 0
    negative: int = 0
    percents: int = 0  # written with %
    dates: int = 0
    yes_no: int = 0
    text: int = 0  # with letters
    codes: int = 0  # letters and digits mixed, or long digit strings
    serial: bool = False  # 1, 2, 3 ...
    scripts: list = default(default_factory=list)  # "hi" or "en" for each value with letters
    largest: float = 0.0
    numbers_seen: list = default(default_factory=list)

    def share(self, count: int) -> float:
        return count / self.seen if self.seen else 0.0


YES_NO_WORDS = frozenset({"yes", "y", "no", "n", "haan", "han", "ha", "nahi", "nahin", "हाँ", "हां", "हा", "नहीं",
                          "नही", "ना", "true", "false", "done", "not done", "active", "inactive", "activated",
                          "not activated", "trained", "not trained", "untrained", "linked", "not linked", "सक्रिय",
                          "निष्क्रिय", "असक्रिय", "प्रशिक्षित", "अप्रशिक्षित", "✓", "✔", "✗", "x", "ok", "pending"})
_ORDINAL = re.compile(r"\d{1,2} ?(st|nd|rd|th)( (dose|linkage|cl|time))?|first|second|third|fourth|fifth|"
                      r"पहला|प्रथम|दूसरा|द्वितीय|तीसरा|तृतीय|चौथा")
_CODE_TEXT = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9/_\-.]{3,}$|^\d{6,}$")


def profile(cells: list) -> Profile:
    """What the cells look like (the same cells are profiled once: a header is read as every
    kind of report, from each of the first rows, against the same samples)."""
    return _profile(tuple(cells))


@functools.lru_cache(maxsize=1024)
def _profile(cells: tuple) -> Profile:
    found = Profile()
    numbers = []
    for cell in cells:
        if values.is_blank(cell):
            continue
        text = values.to_ascii_digits(str(cell)).strip()
        found.seen += 1
        low = fold(text)
        if low in YES_NO_WORDS:
            found.yes_no += 1
            continue
        if _ORDINAL.fullmatch(low):  # 1st, 2nd, दूसरा: a count written as a word
            found.numbers += 1
            found.whole += 1
            continue
        if _CODE_TEXT.match(text) and not re.fullmatch(r"[\d,.\s%-]+", text):
            found.codes += 1
        number = _number(text)
        if number is not None and not _looks_like_date(text):
            found.numbers += 1
            numbers.append(number)
            found.whole += float(number).is_integer()
            found.negative += number < 0
            found.percents += "%" in text
            if re.fullmatch(r"\d{6,}", text):
                found.codes += 1
            continue
        if _looks_like_date(text) and values.dates_in_text(values.clean_date_text(text)):
            found.dates += 1
            continue
        if re.search(r"[A-Za-z\u0900-\u097f]", text):
            found.text += 1
            found.scripts.append("hi" if _DEVANAGARI.search(text) else "en")
    found.numbers_seen = numbers
    found.largest = max((abs(n) for n in numbers), default=0.0)
    found.serial = len(numbers) >= 3 and numbers == list(range(int(numbers[0]), int(numbers[0]) + len(numbers))) \
        and numbers[0] in (0, 1)
    return found


def _number(text: str) -> float | None:
    try:
        return values.parse_number(text.replace("%", "").strip())
    except ValueError:
        return None


_DATE_SHAPE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{2,4}$|^\d{1,2}[ -][A-Za-z]{3,9}[ -,]*\d{2,4}$|^\d{4}-\d\d-\d\d")


def _looks_like_date(text: str) -> bool:
    return bool(_DATE_SHAPE.match(text.strip()))


# What a field's values are; how well a column's values fit each: +1 fit, 0 cannot tell, -1 do not.
VALUE_TYPES = ("count", "number", "percent", "money", "date", "yesno", "name", "name_en", "name_hi", "code", "id",
               "text", "credit", "account", "status")
# Values that tell a field apart by themselves (a column of dates is a date column whatever its
# header's few words): a weak reading whose values fit one of these is sure.
TELLING = frozenset({"date", "yesno", "name_en", "name_hi", "percent"})
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
_LATIN = re.compile(r"[A-Za-z]")


def fit(kind_of_value: str, found: Profile) -> int:
    """+1: the values are what the field holds; -1: they surely are not (most of at least three
    say otherwise: a few bad cells are the rows' problem, checked row by row); 0: cannot tell."""
    if found.seen < 2:
        return 0
    numeric = found.share(found.numbers)
    dates, texts, flags = found.share(found.dates), found.share(found.text), found.share(found.yes_no)
    no = -1 if found.seen >= 3 else 0  # what two values alone cannot rule out
    if kind_of_value in ("count", "number", "money"):
        if dates > 0.7 or texts > 0.7 or flags > 0.7:
            return no
        if kind_of_value == "count" and (found.share(found.percents) > 0.7 or found.share(found.negative) > 0.7):
            return no
        if kind_of_value == "count" and numeric > 0.8 and found.share(found.whole) < 0.3:
            return no  # 25.3, 30.6: a percentage, not a count
        return 1 if numeric > 0.8 else 0
    if kind_of_value == "percent":
        if dates > 0.7 or texts > 0.7 or flags > 0.7:
            return no
        if found.share(found.percents) > 0.5:
            return 1
        return 1 if numeric > 0.8 and found.largest <= 1000 else (no if found.largest > 1000 else 0)
    if kind_of_value == "date":
        if dates > 0.6:
            return 1
        return no if numeric > 0.7 or texts > 0.7 or flags > 0.7 else 0
    if kind_of_value == "yesno":
        if flags > 0.6:
            return 1
        return no if texts > 0.7 or (numeric > 0.7 and found.largest > 1) or dates > 0.7 else 0
    if kind_of_value == "credit":  # Yes/No, a date (linked on), a count of doses, an amount
        return no if texts > 0.7 else 1 if flags + dates + numeric > 0.6 else 0
    if kind_of_value == "account":  # Yes/No, the account's number, or the bank's name
        return no if dates > 0.7 else 1 if flags + numeric + found.share(found.codes) > 0.6 else 0
    if kind_of_value in ("name", "status", "name_en", "name_hi"):
        if numeric > 0.7 or dates > 0.7:
            return no
        if kind_of_value in ("name_en", "name_hi") and found.scripts:
            hindi = found.scripts.count("hi") / len(found.scripts)
            if kind_of_value == "name_hi":  # a local-name column repeats the English where none is known
                return 1 if hindi > 0.6 else 0
            return 1 if hindi < 0.2 else no if hindi > 0.6 else 0
        return 1 if texts + flags * (kind_of_value == "status") > 0.6 else 0
    if kind_of_value in ("code", "id"):  # anything may be a code ("T1", "Laxmi-01"): only dates are not
        if dates > 0.7 or found.share(found.percents) > 0.7:
            return no
        return 1 if found.share(found.codes) + numeric > 0.6 else 0
    if kind_of_value == "text":
        return no if dates > 0.7 else 0
    return 0


# ---------------------------------------------------------------- fields and columns

ANY = "*"  # Field.also: the field's own words say enough; anything else in the header only qualifies it


@dataclass(frozen=True)
class Field:
    """A field of a kind of report: what it means and how a header names it.

    `words`: patterns, each a tuple of concepts (upper case, see CONCEPTS) or plain words
    (lower case) that must all be in the header; the longest pattern found counts. `weak`:
    patterns that name the field only unsurely ("Achievement" alone may be the day's or the
    total). `not_words`: concepts that say the header means something else. `also`: concepts
    that may come with the field's words without making the reading unsure (ANY: all). `value`:
    what its cells hold (VALUE_TYPES). `repeats`: several columns may have it, one per group
    (an indicator's name above a pair of columns, or a day)."""

    name: str
    value: str
    words: tuple[tuple[str, ...], ...]
    weak: tuple[tuple[str, ...], ...] = ()
    not_words: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    lesser: tuple[tuple[str, ...], ...] = ()  # patterns that name it surely, but less than `words` do
    required: bool = False
    repeats: bool = False
    measure: bool = False  # a figure checked against a totals row


@dataclass
class Column:
    """What one column was read as."""

    index: int
    label: str
    field: str | None = None
    sure: bool = True
    score: float = 0.0
    weak: bool = False
    others: list[str] = default(default_factory=list)  # other fields it could be, best first
    group: str | None = None  # the upper line of a two-line header (an indicator's name)
    day: object | None = None  # a column of one day
    how: str = "words"  # words, day, remembered, given
    numeric: bool = False  # its values are figures


@dataclass
class Reading:
    columns: list[Column]

    def fields(self) -> dict[str, int]:
        """field -> column index (the first, for a field that repeats)."""
        found: dict[str, int] = {}
        for col in self.columns:
            if col.field and col.field not in found:
                found[col.field] = col.index
        return found

    def unsure(self) -> list[Column]:
        return [c for c in self.columns if not c.sure]


SURE_MARGIN = 6.0  # a reading this many points above the next is sure
# Concepts that only qualify another (a name column, a number of, in Hindi): never a reason to
# doubt a reading when no pattern uses them.
QUALIFIERS = frozenset({"NAME", "NUMBER", "LOCAL", "ENGLISH", "AMOUNT"})


def _pattern_score(words: Words, pattern: tuple[str, ...], own: set | None = None) -> float:
    """Points for a pattern all of whose parts the header has (0 when one is missing): 10 for
    each, 5 for one only a group line above the column says."""
    points = 0.0
    folded = f" {fold(words.text)} "
    for part in pattern:
        if part.isupper():
            if part not in words.concepts:
                return 0.0
            points += 10.0 if own is None or part in own else 5.0
        elif f" {fold(part)} " not in folded:
            return 0.0
        else:
            points += 10.0
    return points


@functools.cache
def _concepts_needed(spec: Field) -> tuple[frozenset, ...]:
    """The concepts each pattern of a field needs (its upper-case parts, as _pattern_score reads them)."""
    return tuple(frozenset(part for part in pattern if part.isupper())
                 for pattern in (*spec.words, *spec.lesser, *spec.weak))


def score(words: Words, spec: Field, tolerated: frozenset = frozenset(), own: set | None = None
          ) -> tuple[float, bool]:
    """How strongly the header names the field, and whether only unsurely: a weak pattern, or
    a header that also says things neither the pattern nor the field's `also` explain ("Type of
    SHG" is no SHG's name). `own`: the concepts of the column's own cell, when a group line
    above it adds the rest (a group's words never rule a field out or cast doubt on it)."""
    if not any(needed <= words.concepts for needed in _concepts_needed(spec)):
        return 0.0, False  # no pattern of the field has all its concepts in the header
    own = words.concepts if own is None else own
    if any(c in own for c in spec.not_words):
        return 0.0, False
    loose = QUALIFIERS | tolerated | set(spec.also)

    def points(pattern, penalty: float) -> float:
        found = _pattern_score(words, pattern, own)
        if not found:
            return 0.0
        extra = 0 if ANY in spec.also else len(own - set(pattern) - loose)
        return found - penalty - 4.0 * extra + 0.01 * len(pattern)

    for patterns, penalty, weak in ((spec.words, 0.0, False), (spec.lesser, 7.0, False), (spec.weak, 5.0, True)):
        best = max((points(p, penalty) for p in patterns), default=0.0)
        if best > 0:
            matched = max(patterns, key=lambda p: points(p, penalty))
            extra = 0 if ANY in spec.also else len(own - set(matched) - loose)
            return best, weak or extra > 0
    return 0.0, False


def read_columns(labels: list[str | None], samples: list[list], fields: tuple[Field, ...],
                 groups: list[str | None] | None = None, tolerated: frozenset = frozenset(),
                 resolve=None) -> Reading:
    """Read each column (its header label and sample cells) as one of `fields`, or none.

    `groups`: the upper line of a two-line header over each column (or None). `tolerated`:
    concepts a header of this kind may carry besides its field's ("Ayushman cards made till
    date" is achieved, in an Ayushman card report). `resolve(reading, profiles)`: the kind's
    own last word on what the header as a whole says (see kinds/progress.py)."""
    groups = groups or [None] * len(labels)
    columns: list[Column] = []
    candidates: dict[int, list[tuple[float, str, bool]]] = {}
    profiles: dict[int, Profile] = {}
    for index, label in enumerate(labels):
        group = groups[index] if index < len(groups) else None
        column = Column(index, label or "", group=group)
        columns.append(column)
        if not label and not group:
            continue
        words = words_of(f"{group} {label or ''}" if group else label, label if group else None)
        own = words_of(label).concepts | (words.concepts - words_of(group).concepts) if group else None
        column.day = words.day if "DAY" in words.concepts else None
        cells = [row[index] if index < len(row) else None for row in samples]
        profiles[index] = found = profile(cells)
        column.numeric = found.seen > 0 and found.share(found.numbers) > 0.8 and found.share(found.percents) < 0.5
        scored = []
        for spec in fields:
            points, weak = score(words, spec, tolerated, own)
            if points <= 0:
                continue
            fits = fit(spec.value, found)
            if fits < 0:
                continue  # the values say it is not this
            if weak and fits > 0 and spec.value in TELLING:
                weak = False  # a column of dates under a few words about a date is a date column
            points += 4.0 * fits + _flag_points(words, spec)
            scored.append((points, spec.name, weak))
        scored.sort(key=lambda item: -item[0])
        candidates[index] = scored
    _assign(columns, candidates, fields)
    reading = Reading(columns)
    if resolve is not None:
        resolve(reading, profiles)
    return reading


def _flag_points(words: Words, spec: Field) -> float:
    points = 0.0
    if "yesno" in words.flags:
        points += 4.0 if spec.value in ("yesno", "credit", "account") else -4.0
    if "money" in words.flags:
        points += 2.0 if spec.value in ("money", "number") else 0.0
    if "percent" in words.flags:
        points += 4.0 if spec.value == "percent" else -8.0
    return points


def _assign(columns: list[Column], candidates: dict, fields: tuple[Field, ...]) -> None:
    """One field per column, one column per field (or per field and group, where it repeats):
    the strongest readings first. A reading is sure when it is not weak and no other field is
    close behind it, or when the other fields it could have been were taken by columns that
    name them surely ("Achievement" beside "Achievement till date" is the day's)."""
    repeats = {spec.name for spec in fields if spec.repeats}

    def key_of(name: str, column: Column):
        return (name, column.group or column.day) if name in repeats else (name, None)

    pairs = sorted(((points, index, name, weak) for index, scored in candidates.items()
                    for points, name, weak in scored), key=lambda item: (-item[0], item[1]))
    taken: dict[tuple, Column] = {}
    for points, index, name, weak in pairs:
        column = columns[index]
        if column.field is not None or key_of(name, column) in taken:
            continue
        column.field, column.score, column.weak = name, points, weak
        taken[key_of(name, column)] = column
    best_elsewhere: dict[tuple, float] = {}  # the best score of a field's key on a column that did not get it
    for points, index, name, weak in pairs:
        key = key_of(name, columns[index])
        if taken.get(key) is not columns[index] and not weak:
            best_elsewhere[key] = max(best_elsewhere.get(key, 0.0), points)
    for index, scored in candidates.items():
        column = columns[index]
        if column.field is None:
            # every reading it had went to a column that names it better: not this one
            column.others = [n for _, n, _ in scored]
            column.sure = all(not taken[key_of(n, column)].weak and taken[key_of(n, column)].score - p >= SURE_MARGIN
                              for p, n, weak in scored if not weak) \
                and all(not taken[key_of(n, column)].weak for _, n, _ in scored)
            continue
        rivals = [(p, n) for p, n, _ in scored if n != column.field]
        open_rivals = [(p, n) for p, n in rivals
                       if key_of(n, column) not in taken or taken[key_of(n, column)].weak]
        column.others = [n for _, n in rivals]
        runner_up = max((p for p, _ in open_rivals), default=0.0)
        contender = best_elsewhere.get(key_of(column.field, column), 0.0)
        column.sure = not column.weak and column.score - max(runner_up, contender) >= SURE_MARGIN
        if not column.sure and column.weak and not open_rivals and rivals:
            column.sure = True  # its rivals were all named surely by other columns
