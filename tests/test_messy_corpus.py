"""`python -m extract` on a folder of everything real archives hold: one article in every
readable form gives the same figures; every unreadable file is named with its reason."""
from __future__ import annotations

import html
import io
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from variants import ENCODINGS

SEED = Path(__file__).parent.parent / "seeds" / "001_9984b1c94a9df545.txt"
CONTEXT = ["value", "unit", "qualifier", "metric", "province", "period_start", "period_end", "text"]


def _page(text: str) -> str:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return ("<html><head><meta charset='utf-8'><title>Hội nghị Ban Chỉ đạo Biên giới</title>"
            "<script>var x = '12 vụ 300 tấn';</script><style>p{color:red}</style></head><body>"
            "<nav>Trang chủ | Thời sự | 24/7 | Hotline 0212 3852 123</nav>"
            f"<article><h1>Hội nghị Ban Chỉ đạo Biên giới</h1>{body}</article>"
            "<footer>© 2023 Cổng thông tin điện tử tỉnh — 500 lượt truy cập</footer></body></html>")


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> Path:
    text = SEED.read_text(encoding="utf-8")
    root = tmp_path_factory.mktemp("messy")
    for i, (name, encode) in enumerate(ENCODINGS.items()):
        (root / f"variant_{i:02d}.txt").write_bytes(encode(text))
    (root / "variant_page.html").write_text(_page(text), encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("nested/variant_zipped.txt", text.encode("utf-8"))
        z.writestr("../escape.txt", b"1.000 h\xe1\xbb\x93 s\xc6\xa1")
    (root / "archive.zip").write_bytes(buffer.getvalue())
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (root / "broken.zip").write_bytes(buffer.getvalue()[:40])
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.txt", b"0" * 50_000_000)
    (root / "bomb.zip").write_bytes(bomb.getvalue())
    return root


@pytest.fixture(scope="module")
def run(messy, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "facts.csv"
    result = subprocess.run([sys.executable, "-m", "extract", str(messy), "--out", str(out)],
                            capture_output=True, text=True, timeout=300)
    return result, out


def test_exits_zero_and_names_every_unreadable_file(run):
    result, _ = run
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name in ["empty.txt", "binary.txt", "photo.png", "broken.zip", "bomb.zip", "escape.txt"]:
        line = next((l for l in result.stderr.splitlines() if name in l), None)
        assert line, f"{name} is not reported:\n{result.stderr}"
        assert len(line.split(name, 1)[1].strip(" :-")) > 5, f"no reason given: {line}"


def test_every_readable_variant_gives_the_same_figures(run):
    _, out = run
    facts = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    facts["text"] = facts["text"].map(lambda t: unicodedata.normalize("NFC", t))
    variants = sorted(facts["doc_id"].unique())
    assert len(variants) == len(ENCODINGS) + 2, variants
    reference = facts[facts["doc_id"] == "variant_00"][CONTEXT].values.tolist()
    assert len(reference) == 5
    for doc_id in variants:
        rows = facts[facts["doc_id"] == doc_id][CONTEXT].values.tolist()
        assert rows == reference, f"{doc_id} differs"
