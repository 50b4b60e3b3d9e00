"""Regenerate the province and administrative-unit tables of the gazetteer.

Reads the SQLite database and the 2025 province mapping shipped inside the
installed `vietnamadminunits` package and writes, sorted and byte-stable:

- provinces.csv: one row per province of the 63-province structure (era
  `old`, before 1 July 2025) and of the 34-province structure (era `new`);
  aliases are merged in from the curated file province_aliases.csv;
- admin_units.csv: every district-level unit (old era) and commune-level unit
  (both eras), without its type word; units named only by a number are left out.

Run from the repository root:

    .venv/bin/python tools/build_admin_units.py            # rewrite extract/data/places/
    .venv/bin/python tools/build_admin_units.py --out DIR  # write to DIR instead
"""

import argparse
import csv
import json
import re
import sqlite3
import sys
import unicodedata
from contextlib import closing
from pathlib import Path

PLACES_DIR = Path(__file__).resolve().parent.parent / "extract" / "data" / "places"
ALIASES_FILE = PLACES_DIR / "province_aliases.csv"

PROVINCE_COLUMNS = ["name", "era", "code", "name_2025", "type", "aliases", "lat", "lon"]
UNIT_COLUMNS = ["name", "type", "level", "era", "province", "province_2025", "district"]

PROVINCE_TYPES = ["thành phố", "tỉnh"]
DISTRICT_TYPES = ["thành phố", "thị xã", "huyện", "quận"]
COMMUNE_TYPES = ["thị trấn", "phường", "xã", "đặc khu"]
NUMBER_ONLY = re.compile(r"[0-9]+|[IVXLC]+")


class BuildError(Exception):
    """The package data or the curated file is not what this script expects."""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def split_type(full_name: str, types: list[str]) -> tuple[str, str]:
    """'Thị Trấn Năm Căn' -> ('thị trấn', 'Năm Căn'); the type is lower case."""
    full_name = nfc(full_name)
    for unit_type in types:
        prefix = unit_type + " "
        if full_name.lower().startswith(prefix):
            return unit_type, full_name[len(prefix):].strip()
    raise BuildError(f"no known type word ({', '.join(types)}) at the start of {full_name!r}")


def package_files() -> tuple[Path, Path]:
    try:
        import vietnamadminunits
    except ImportError as exc:
        raise BuildError("the vietnamadminunits package is not installed in this environment") from exc
    data_dir = Path(vietnamadminunits.__file__).parent / "data"
    return data_dir / "dataset.db", data_dir / "converter_2025.json"


def package_version() -> str:
    from importlib.metadata import version

    return version("vietnamadminunits")


def read_aliases(path: Path) -> dict[str, list[str]]:
    """Curated province aliases: a CSV of `name,alias`, one alias a row, kept in file order."""
    aliases: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["name", "alias"]:
            raise BuildError(f"{path}: header must be 'name,alias', found {reader.fieldnames}")
        for row in reader:
            aliases.setdefault(nfc(row["name"]), []).append(nfc(row["alias"]))
    return aliases


def province_rows(db: sqlite3.Connection, old_to_new_key: dict[str, str], aliases: dict[str, list[str]]) -> list[dict]:
    new_name_by_key = {}
    rows = []
    queries = {
        "new": "SELECT DISTINCT province, provinceCode, provinceLat, provinceLon, provinceKey FROM admin_units",
        "old": "SELECT DISTINCT province, provinceCode, provinceLat, provinceLon, provinceKey FROM admin_units_legacy",
    }
    for era in ("new", "old"):
        for full_name, code, lat, lon, key in db.execute(queries[era]):
            province_type, name = split_type(full_name, PROVINCE_TYPES)
            if era == "new":
                new_name_by_key[key] = name
                name_2025 = name
            elif old_to_new_key.get(key) in new_name_by_key:
                name_2025 = new_name_by_key[old_to_new_key[key]]
            else:
                raise BuildError(f"the package maps {full_name!r} to no 2025 province")
            rows.append({
                "name": name, "era": era, "code": code, "name_2025": name_2025, "type": province_type,
                "aliases": ";".join(aliases.get(name, [])),
                "lat": "" if lat is None else f"{lat:.2f}", "lon": "" if lon is None else f"{lon:.2f}",
            })
    unknown = sorted(set(aliases) - {row["name"] for row in rows})
    if unknown:
        raise BuildError(f"{ALIASES_FILE.name} names provinces the package does not know: {unknown}")
    return sorted(rows, key=lambda row: (row["era"], row["code"], row["name"]))


def admin_unit_rows(db: sqlite3.Connection, provinces: list[dict]) -> list[dict]:
    name_2025 = {(row["era"], row["name"]): row["name_2025"] for row in provinces}
    rows = []

    def add(name, unit_type, level, era, province, district=""):
        if NUMBER_ONLY.fullmatch(name):
            return
        rows.append({
            "name": name, "type": unit_type, "level": level, "era": era, "province": province,
            "province_2025": name_2025[(era, province)], "district": district,
        })

    for full_province, full_district, full_ward in db.execute(
        "SELECT DISTINCT province, district, ward FROM admin_units_legacy"
    ):
        province = split_type(full_province, PROVINCE_TYPES)[1]
        district_type, district = split_type(full_district, DISTRICT_TYPES)
        add(district, district_type, "district", "old", province)
        if full_ward:
            ward_type, ward = split_type(full_ward, COMMUNE_TYPES)
            add(ward, ward_type, "commune", "old", province, district)
    for full_province, full_ward in db.execute("SELECT DISTINCT province, ward FROM admin_units"):
        province = split_type(full_province, PROVINCE_TYPES)[1]
        ward_type, ward = split_type(full_ward, COMMUNE_TYPES)
        add(ward, ward_type, "commune", "new", province)

    unique = {tuple(row.values()): row for row in rows}.values()
    return sorted(unique, key=lambda r: (r["era"], r["province"], r["level"], r["district"], r["name"], r["type"]))


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def build(out_dir: Path) -> dict[str, int]:
    """Write provinces.csv and admin_units.csv into out_dir; return row counts."""
    db_path, converter_path = package_files()
    mapping = json.loads(converter_path.read_text(encoding="utf-8"))["DICT_PROVINCE"]
    old_to_new_key = {old: new for new, olds in mapping.items() for old in olds}
    aliases = read_aliases(ALIASES_FILE)
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
        provinces = province_rows(db, old_to_new_key, aliases)
        units = admin_unit_rows(db, provinces)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(out_dir / "provinces.csv", PROVINCE_COLUMNS, provinces)
    write_csv(out_dir / "admin_units.csv", UNIT_COLUMNS, units)
    return {"provinces": len(provinces), "admin_units": len(units)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PLACES_DIR, help="output folder (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        counts = build(args.out)
    except (BuildError, OSError, sqlite3.Error, ValueError) as exc:
        print(f"build_admin_units: {exc}", file=sys.stderr)
        return 1
    print(f"vietnamadminunits {package_version()}: "
          f"{counts['provinces']} province rows, {counts['admin_units']} unit rows -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
