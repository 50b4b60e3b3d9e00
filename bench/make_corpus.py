"""Write a synthetic corpus of border-news articles with their gold labels.

usage: python bench/make_corpus.py N OUT/ [--seed S] [--html SHARE]

Articles are recombined from the sentence templates of corpus_templates.json
with random figures (Vietnamese number formatting, qualifiers, scale words),
border provinces, gates, communes and dates, with paragraphs of prose without
figures between the figures' paragraphs (see FIGURES_PER_KB). Writes
    OUT/articles/<shard>/art_<i>.txt   (.html for a SHARE of them)
    OUT/gold.csv                       the gold format: doc_id, text, value, unit,
                                       qualifier, metric, province, period_start, period_end
Each article depends only on (seed, i): the first 10 000 articles of a
100 000-article corpus are the 10 000-article corpus.
"""
from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import html
import json
import math
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the package's data files, read as the extractor reads them
from extract.lexicon import rows  # noqa: E402

TEMPLATES = Path(__file__).with_name("corpus_templates.json")
GOLD_COLUMNS = ["doc_id", "text", "value", "unit", "qualifier", "metric", "province",
                "period_start", "period_end"]
SLOT = re.compile(r"\{(F:)?(\w+)\}")
FIRST_PUBLISHED, LAST_PUBLISHED = dt.date(2019, 1, 1), dt.date(2025, 6, 30)
"""Before the July 2025 merger, so every province is named as it was then."""
ARTICLES_PER_FOLDER = 1000
FIGURES_PER_KB = 2.0
"""Corpus-wide gold figures per KiB of article text. Real news carries much prose without
figures: the five seed articles hold 0.7 to 3.4 figures per KiB (1.5 over the five); a
little denser on purpose, so that speeds measured on the corpus err on the slow side."""
DENSITY_SPREAD = 0.5
"""Log-normal sigma of each article's text per figure, its draw clipped at two sigmas: some
articles dense, some sparse, as the seeds are (their densities span a factor of 4.6)."""
PROSE_SENTENCES = (2, 5)
"""Fewest and most sentences of a prose paragraph."""


@dataclass
class Places:
    """Border provinces (old names) with their gates, districts and communes."""

    kind: dict[str, str] = field(default_factory=dict)
    gates: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    districts: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    communes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls) -> "Places":
        places = cls()
        for gate in rows("places/border_gates.csv"):
            name = gate["name"].split(" (")[0]
            places.gates[gate["province_old"]].append((name, gate["neighbour_country"]))
        for row in rows("places/provinces.csv"):
            if row["era"] == "old" and row["name"] in places.gates:
                places.kind[row["name"]] = row["type"]
        for unit in rows("places/admin_units.csv"):
            if unit["era"] == "old" and unit["province"] in places.gates:
                if unit["type"] == "huyện":
                    places.districts[unit["province"]].append(unit["name"])
                elif unit["type"] == "xã":
                    places.communes[unit["province"]].append(unit["name"])
        return places

    @property
    def provinces(self) -> list[str]:
        return sorted(p for p in self.gates if self.districts[p] and self.communes[p])


@dataclass
class Figure:
    text: str
    value: float
    unit: str
    qualifier: str
    metric: str


def format_number(number: float, decimals: int, pad: bool = False) -> str:
    """Vietnamese style: '.' groups thousands, ',' marks decimals; no trailing zeros."""
    whole, _, fraction = f"{number:.{decimals}f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    if pad and len(grouped) == 1:
        grouped = "0" + grouped
    fraction = fraction.rstrip("0")
    return f"{grouped},{fraction}" if fraction else grouped


class ArticleMaker:
    """Builds one article's text and gold rows from the templates."""

    def __init__(self, templates: dict, places: Places):
        self.t, self.places = templates, places

    # -- figures -------------------------------------------------------------------------
    def draw(self, spec: dict, rng: random.Random, drawn: dict[str, float]) -> float:
        decimals = spec.get("decimals", 0)
        if spec.get("share_of") in drawn:
            return max(1, round(drawn[spec["share_of"]] * rng.uniform(*spec["share"])))
        rate_of = spec.get("rate_of")
        if rate_of and rate_of[0] in drawn and drawn.get(rate_of[1]):
            return round(100 * drawn[rate_of[0]] / drawn[rate_of[1]], decimals)
        if decimals:
            return round(rng.uniform(spec["min"], spec["max"]), decimals)
        step = spec.get("round", 1)
        return max(step, round(rng.randint(spec["min"], spec["max"]) / step) * step)

    def figure(self, name: str, rng: random.Random, drawn: dict[str, float]) -> Figure:
        spec = self.t["figures"][name]
        noun = rng.choice(spec["nouns"])
        unit = spec.get("unit") or noun.lower()
        if rng.random() < spec.get("vague", 0):
            phrase = rng.choice(sorted(self.t["vague"]))
            return Figure(f"{phrase} {noun}", float(self.t["vague"][phrase]), unit, "vague",
                          spec["metric"])
        number = self.draw(spec, rng, drawn)
        drawn[name] = number
        digits = format_number(number, spec.get("decimals", 0), rng.random() < spec.get("zero_pad", 0))
        scale = spec.get("scale")
        multiplier = math.prod(self.t["scale_words"][w] for w in scale.split()) if scale else 1
        word = rng.choice(spec.get("qualifiers", [""]))
        text = (f"{word} " if word else "") + digits + (f" {scale}" if scale else "")
        text += rng.choice(spec.get("glue", [" "])) + noun
        return Figure(text, float(round(number * multiplier, 6)), unit, self.t["qualifiers"][word],
                      spec["metric"])

    # -- periods and dates ---------------------------------------------------------------
    def period(self, kind: str, published: dt.date, rng: random.Random):
        """(phrase slots, first day, last day) of a reporting period ending by `published`."""
        y = published.year
        if kind == "ytd":
            start, end = dt.date(y, 1, 1), published
        elif kind == "year":
            start, end = dt.date(y - 1, 1, 1), dt.date(y - 1, 12, 31)
        elif kind == "quarter":
            q_now = (published.month - 1) // 3
            y, q = (y, rng.randrange(q_now)) if q_now else (y - 1, 3)
            start = dt.date(y, 3 * q + 1, 1)
            end = dt.date(y, 3 * q + 3, calendar.monthrange(y, 3 * q + 3)[1])
        elif kind == "half":
            y = y if published.month > 6 else y - 1
            start, end = dt.date(y, 1, 1), dt.date(y, 6, 30)
        elif kind == "month":
            first = published.replace(day=1) - dt.timedelta(days=1)
            start, end = first.replace(day=1), first
        else:
            end = published - dt.timedelta(days=rng.randint(0, 10))
            start = end - dt.timedelta(days=rng.randint(20, 200))
        slots = {"pyear": str(start.year), "quarter": self.t["quarters"][(start.month - 1) // 3],
                 "pmonth": str(start.month), "pend": self.date(end, rng),
                 "pstart": self.date(start, rng, with_year=start.year != end.year or rng.random() < .5)}
        return slots, start, end

    @staticmethod
    def date(day: dt.date, rng: random.Random, with_year: bool = True) -> str:
        text = f"{day.day:02d}/{day.month}" if rng.random() < .5 else f"{day.day}/{day.month}"
        return f"{text}/{day.year}" if with_year else text

    # -- text ----------------------------------------------------------------------------
    def person(self, rng: random.Random) -> str:
        names = self.t["person_names"]
        return " ".join(rng.choice(names[k]) for k in ("family", "middle", "given"))

    def context(self, rng: random.Random, published: dt.date) -> dict[str, str]:
        province = rng.choice(self.places.provinces)
        gate, country = rng.choice(self.places.gates[province])
        before = published - dt.timedelta(days=rng.randint(30, 900))
        return {
            "province": province, "gate": gate, "country": self.t["countries"][country],
            "commune": rng.choice(self.places.communes[province]),
            "district": rng.choice(self.places.districts[province]),
            "person": self.person(rng),
            "date": self.date(before, rng), "day_month": self.date(published, rng, with_year=False),
            "docno": rng.choice([f"{rng.randint(1, 40):02d}-CT/TU", f"{rng.randint(10, 480)}/KH-UBND"]),
            "decree": f"{rng.randint(10, 180)}/{rng.randint(2012, published.year)}/NĐ-CP",
            "term": rng.choice(["2020 – 2025", "2021 - 2025", "2025–2030", "2015 - 2020"]),
            "congress": rng.choice(self.t["congress_numbers"]),
            "birth_year": str(rng.randint(1925, 1962)),
            "phone": f"0{rng.randint(203, 299)}.{rng.randint(3800, 3899)}.{rng.randint(100, 999)}",
            "road": rng.choice(self.t["roads"]),
            "pub_day": str(published.day), "pub_dd": f"{published.day:02d}",
            "pub_month": str(published.month), "pub_mm": f"{published.month:02d}",
            "pub_year": str(published.year), "weekday": self.t["weekdays"][published.weekday()],
        }

    def fill(self, template: str, slots: dict, rng: random.Random,
             found: list[Figure] | None = None) -> str:
        """One sentence: context slots filled, figures drawn and appended to `found`."""
        drawn: dict[str, float] = {}

        def slot(match: re.Match) -> str:
            if match.group(1):
                figure = self.figure(match.group(2), rng, drawn)
                found.append(figure)
                return figure.text
            return slots[match.group(2)]
        return SLOT.sub(slot, template)

    def paragraph(self, topic: str, slots: dict, published: dt.date, rng: random.Random):
        """(text, figures, first day, last day) of one paragraph on `topic`."""
        spec, t = self.t["paragraphs"][topic], self.t
        kinds = [k for k in spec["periods"] if k != "ytd" or published.month > 1]
        start = end = None
        if kinds:
            kind = rng.choice(kinds)
            period_slots, start, end = self.period(kind, published, rng)
            slots.update(period_slots)
        found: list[Figure] = []
        count = min(len(spec["sentences"]), rng.randint(1, 3))
        sentences = [self.fill(s, slots, rng, found) for s in rng.sample(spec["sentences"], count)]
        opening = self.fill(rng.choice(t["periods"][kind]), slots, rng) if kinds else None
        sentences = [f"{opening}, {s}" if i == 0 and opening else s[0].upper() + s[1:]
                     for i, s in enumerate(sentences)]
        for share, pool in ((.4, "fillers"), (.3, "non_figures")):
            if rng.random() < share:
                sentences.append(self.fill(rng.choice(t[pool]), slots, rng))
        return " ".join(sentences), found, start, end

    def prose(self, figures: int, length: int, slots: dict, rng: random.Random) -> list[str]:
        """Paragraphs without figures, each on one theme, that bring an article of `length`
        bytes holding `figures` to its density, drawn so that the mean text per figure is
        about 1 / FIGURES_PER_KB. No sentence repeats until its theme runs short; each
        sentence names its own person."""
        spread = DENSITY_SPREAD * max(-2.0, min(2.0, rng.gauss(0, 1)))
        kb_per_figure = math.exp(spread - DENSITY_SPREAD ** 2 / 2) / FIGURES_PER_KB
        missing = figures * kb_per_figure * 1024 - length
        themes, used, out = sorted(self.t["prose"]), set(), []
        while missing > 0:
            pool = self.t["prose"][rng.choice(themes)]
            fresh = [s for s in pool if s not in used]
            if len(fresh) < PROSE_SENTENCES[1]:
                used.difference_update(pool)
                fresh = pool
            chosen = rng.sample(fresh, rng.randint(*PROSE_SENTENCES))
            used.update(chosen)
            out.append(" ".join(self.fill(s, {**slots, "person": self.person(rng)}, rng) for s in chosen))
            missing -= len(out[-1].encode()) + len("\n\n")
        return out

    def article(self, doc_id: str, rng: random.Random):
        """(title, published, paragraphs, gold rows) of one article: the dateline, the lead,
        the paragraphs with figures with prose paragraphs put anywhere among them, the closing."""
        span = (LAST_PUBLISHED - FIRST_PUBLISHED).days
        published = FIRST_PUBLISHED + dt.timedelta(days=rng.randint(0, span))
        slots, t = self.context(rng, published), self.t
        plain = lambda template: self.fill(template, slots, rng)  # noqa: E731
        title = plain(rng.choice(t["titles"]))
        paragraphs = [plain(rng.choice(t["datelines"])), plain(rng.choice(t["leads"]))]
        gold = []
        for topic in rng.sample(sorted(t["paragraphs"]), rng.randint(3, 6)):
            text, found, start, end = self.paragraph(topic, slots, published, rng)
            paragraphs.append(text)
            period = [start.isoformat(), end.isoformat()] if start else ["", ""]
            gold += [[doc_id, f.text, f.value, f.unit, f.qualifier, f.metric, slots["province"], *period]
                     for f in found]
            if rng.random() < .5:
                paragraphs.append(" ".join(map(plain, rng.sample(t["fillers"], rng.randint(1, 3)))))
        paragraphs.append(plain(rng.choice(t["closings"])))
        for text in self.prose(len(gold), len(as_text(title, published, paragraphs).encode()), slots, rng):
            paragraphs.insert(rng.randint(2, len(paragraphs) - 1), text)  # after the lead, before the closing
        return title, published, paragraphs, gold


def as_text(title: str, published: dt.date, paragraphs: list[str]) -> str:
    return "\n\n".join([title, *paragraphs]) + "\n"


def as_html(title: str, published: dt.date, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    return (f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>"
            f'<meta property="article:published_time" content="{published.isoformat()}">'
            f"</head>\n<body><article><h1>{html.escape(title)}</h1>\n{body}</article></body></html>\n")


def make_corpus(n: int, out: Path, seed: int = 0, html_share: float = 0.0) -> tuple[int, int]:
    """Write n articles and gold.csv under `out`; returns (articles, gold rows)."""
    maker = ArticleMaker(json.loads(TEMPLATES.read_text(encoding="utf-8")), Places.load())
    rows = 0
    with open(out / "gold.csv", "w", encoding="utf-8", newline="") as gold_file:
        gold = csv.writer(gold_file)
        gold.writerow(GOLD_COLUMNS)
        for i in range(n):
            rng = random.Random(f"{seed}:{i}")
            doc_id = f"art_{i:06d}"
            title, published, paragraphs, labels = maker.article(doc_id, rng)
            folder = out / "articles" / f"{i // ARTICLES_PER_FOLDER:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            page = rng.random() < html_share
            write = as_html if page else as_text
            (folder / f"{doc_id}.{'html' if page else 'txt'}").write_text(
                write(title, published, paragraphs), encoding="utf-8")
            gold.writerows(labels)
            rows += len(labels)
    return n, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="output folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--html", type=float, default=0.0, metavar="SHARE",
                        help="share of articles written as HTML pages (default 0)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    articles, rows = make_corpus(args.n, args.out, args.seed, args.html)
    print(f"{articles} articles, {rows} gold figures in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
