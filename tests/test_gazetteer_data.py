"""Checks on the gazetteer data in extract/data/places/: shape, consistency, regeneration."""

import csv
import importlib.util
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLACES = ROOT / "extract" / "data" / "places"
BUILD_SCRIPT = ROOT / "tools" / "build_admin_units.py"

HEADERS = {
    "provinces.csv": ["name", "era", "code", "name_2025", "type", "aliases", "lat", "lon"],
    "province_aliases.csv": ["name", "alias"],
    "admin_units.csv": ["name", "type", "level", "era", "province", "province_2025", "district"],
    "border_gates.csv": ["name", "kind", "province_old", "province_2025", "neighbour_country",
                         "neighbour_gate", "aliases", "source"],
    "border_posts.csv": ["name", "province_old", "province_2025", "source"],
    "foreign_places.csv": ["name", "country", "kind", "aliases", "source"],
    "place_aliases.csv": ["variant", "canonical"],
}
KEYS = {
    "provinces.csv": ["name", "era"],
    "province_aliases.csv": ["name", "alias"],
    "admin_units.csv": ["era", "province", "district", "level", "type", "name"],
    "border_gates.csv": ["name", "province_old"],
    "border_posts.csv": ["name", "province_old"],
    "foreign_places.csv": ["name", "country"],
    "place_aliases.csv": ["variant"],
}
NEIGHBOURS = {"China", "Laos", "Cambodia"}
NUMBER_ONLY = re.compile(r"[0-9]+|[IVXLC]+")
# Old tone placement on an open syllable ("hoà", "thuỷ", "khoẻ"); "quý" is correct and excluded.
OLD_TONE_PLACEMENT = re.compile(r"(?i)(?<!q)(o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?![\w])")


@cache
def rows(file_name: str) -> tuple[dict, ...]:
    with (PLACES / file_name).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def header(file_name: str) -> list[str]:
    with (PLACES / file_name).open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def aliases(cell: str) -> list[str]:
    return [alias for alias in cell.split(";") if alias]


def province_names(era: str) -> set[str]:
    return {row["name"] for row in rows("provinces.csv") if row["era"] == era}


def merged_into() -> dict[str, str]:
    return {row["name"]: row["name_2025"] for row in rows("provinces.csv") if row["era"] == "old"}


@pytest.mark.parametrize("file_name", sorted(HEADERS))
def test_header_is_exact(file_name):
    assert header(file_name) == HEADERS[file_name]


@pytest.mark.parametrize("file_name", sorted(HEADERS))
def test_no_duplicate_keys(file_name):
    counts = Counter(tuple(row[column] for column in KEYS[file_name]) for row in rows(file_name))
    assert [key for key, count in counts.items() if count > 1] == []


@pytest.mark.parametrize("file_name", sorted(HEADERS))
def test_cells_are_nfc_trimmed_and_in_modern_tone_placement(file_name):
    bad = []
    for line, row in enumerate(rows(file_name), start=2):
        for column, cell in row.items():
            if column == "source":
                continue
            if cell != unicodedata.normalize("NFC", cell) or cell != cell.strip() or OLD_TONE_PLACEMENT.search(cell):
                bad.append((line, column, cell))
    assert bad == []


def test_province_counts_per_era():
    assert len(province_names("old")) == 63
    assert len(province_names("new")) == 34


def test_province_codes_are_two_digits_and_unique_per_era():
    for era in ("old", "new"):
        codes = [row["code"] for row in rows("provinces.csv") if row["era"] == era]
        assert all(re.fullmatch(r"\d\d", code) for code in codes)
        assert len(set(codes)) == len(codes)


def test_new_era_rows_map_to_themselves_and_types_are_known():
    for row in rows("provinces.csv"):
        assert row["type"] in {"tỉnh", "thành phố"}
        if row["era"] == "new":
            assert row["name_2025"] == row["name"]


@pytest.mark.parametrize("old, new", [
    ("Hà Giang", "Tuyên Quang"), ("Quảng Bình", "Quảng Trị"), ("Kon Tum", "Quảng Ngãi"),
    ("Đắk Nông", "Lâm Đồng"), ("Bình Phước", "Đồng Nai"), ("Long An", "Tây Ninh"),
    ("Kiên Giang", "An Giang"), ("Quảng Nam", "Đà Nẵng"), ("Sơn La", "Sơn La"), ("Huế", "Huế"),
])
def test_border_provinces_merge_into_the_right_2025_province(old, new):
    assert merged_into()[old] == new


@pytest.mark.parametrize("file_name, column", [
    ("provinces.csv", "name_2025"), ("admin_units.csv", "province_2025"),
    ("border_gates.csv", "province_2025"), ("border_posts.csv", "province_2025"),
])
def test_every_province_2025_is_a_new_era_province(file_name, column):
    assert {row[column] for row in rows(file_name)} - province_names("new") == set()


@pytest.mark.parametrize("file_name", ["border_gates.csv", "border_posts.csv"])
def test_gate_and_post_provinces_are_real_and_consistent(file_name):
    mapping = merged_into()
    for row in rows(file_name):
        assert row["province_old"] in mapping, row
        assert mapping[row["province_old"]] == row["province_2025"], row
        assert row["source"], row


def test_province_aliases_name_known_provinces_and_stay_distinct():
    names = province_names("old") | province_names("new")
    alias_owner = {}
    for row in rows("province_aliases.csv"):
        assert row["name"] in names
        assert row["alias"] not in names
        assert alias_owner.setdefault(row["alias"], row["name"]) == row["name"]
    huế = [row for row in rows("provinces.csv") if row["name"] == "Huế"]
    assert {row["era"] for row in huế} == {"old", "new"}
    assert all("Thừa Thiên Huế" in aliases(row["aliases"]) for row in huế)


def test_admin_units_levels_types_and_provinces_agree():
    levels = {"district": {"huyện", "quận", "thị xã", "thành phố"},
              "commune": {"xã", "phường", "thị trấn", "đặc khu"}}
    provinces = {era: province_names(era) for era in ("old", "new")}
    old_districts = {(row["province"], row["name"]) for row in rows("admin_units.csv")
                     if row["level"] == "district"}
    for row in rows("admin_units.csv"):
        assert row["type"] in levels[row["level"]], row
        assert row["province"] in provinces[row["era"]], row
        assert not NUMBER_ONLY.fullmatch(row["name"]), row
        if row["level"] == "commune" and row["era"] == "old":
            numbered = NUMBER_ONLY.fullmatch(row["district"])  # its own row is left out (Quận 1)
            assert numbered or (row["province"], row["district"]) in old_districts, row
        else:
            assert row["district"] == "", row
        assert not (row["era"] == "new" and row["level"] == "district"), row


@pytest.mark.parametrize("name, era, province, district", [
    ("Nậm Cắn", "old", "Nghệ An", "Kỳ Sơn"), ("Nậm Cắn", "new", "Nghệ An", ""),
    ("Si Pa Phìn", "old", "Điện Biên", "Nậm Pồ"), ("Phiêng Pằn", "old", "Sơn La", "Mai Sơn"),
    ("Hưng Thuận", "new", "Tây Ninh", ""), ("Lóng Sập", "old", "Sơn La", "Mộc Châu"),
])
def test_known_border_communes_are_present(name, era, province, district):
    matches = [row for row in rows("admin_units.csv")
               if (row["name"], row["era"], row["province"], row["level"]) == (name, era, province, "commune")]
    assert [row["district"] for row in matches] == [district]


def test_border_gates_cover_the_25_border_provinces_with_known_kinds():
    gates = rows("border_gates.csv")
    assert len({row["province_old"] for row in gates}) == 25
    assert {row["kind"] for row in gates} <= {"international", "main", "auxiliary", "opening", ""}
    assert {row["neighbour_country"] for row in gates} == NEIGHBOURS


def test_place_aliases_point_from_unknown_spellings_to_known_names():
    known = ({row["name"] for row in rows("admin_units.csv")}
             | {row["name"] for row in rows("border_gates.csv")}
             | {row["name"] for row in rows("border_posts.csv")})
    for row in rows("place_aliases.csv"):
        assert row["variant"] != row["canonical"], row
        assert row["canonical"] in known, row
        assert row["variant"] not in known, row


def test_foreign_places_never_spell_a_vietnamese_province():
    vietnamese = province_names("old") | province_names("new")
    vietnamese |= {alias for row in rows("provinces.csv") for alias in aliases(row["aliases"])}
    for row in rows("foreign_places.csv"):
        assert row["country"] in NEIGHBOURS, row
        assert {row["name"], *aliases(row["aliases"])}.isdisjoint(vietnamese), row
        assert row["source"], row


def test_regeneration_reproduces_the_committed_files(tmp_path):
    if importlib.util.find_spec("vietnamadminunits") is None:
        pytest.skip("vietnamadminunits is not installed, so the generated files cannot be rebuilt")
    result = subprocess.run([sys.executable, str(BUILD_SCRIPT), "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for file_name in ("provinces.csv", "admin_units.csv"):
        assert (tmp_path / file_name).read_bytes() == (PLACES / file_name).read_bytes(), file_name
