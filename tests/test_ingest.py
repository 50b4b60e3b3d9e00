"""Files, folders, uploads and zips into Documents: encodings, HTML, junk, zip bombs, limits."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import struct
import time
import tracemalloc
import unicodedata
import zipfile

import charset_normalizer
import pytest

from extract.ingest import (Document, IngestError, Limits, Skipped, _read_head, decode_text,
                            iter_documents, read_upload)
from variants import ENCODINGS, cp1258, nfc

PARAGRAPH = (
    "Từ đầu năm đến nay, Đồn Biên phòng Cửa khẩu quốc tế Nậm Cắn đã phát hiện, bắt giữ 12 vụ, "
    "thu giữ hơn 1.036 viên ma túy tổng hợp; xử lý 97,6% hồ sơ xuất nhập cảnh đúng hạn, "
    "với trị giá hàng hóa ước đạt trên 41,57 triệu USD. Quản lý, bảo vệ đường biên, mốc giới."
)
ARTICLE = PARAGRAPH + "\n\nLực lượng chức năng tuyên truyền cho hơn 2.069 lượt người dân ở 20 bản biên giới.\n"
PAGE_URL = "https://baonghean.vn/bien-gioi/nam-can-bat-giu-12-vu-ma-tuy-123.html"
def news_page(body: str = "", title: str = "Nậm Cắn: bắt giữ 12 vụ ma túy",
              charset: str = "utf-8") -> str:
    """A saved news page: menu, scripts, styles, article, comments, related news and footer."""
    paragraphs = "".join(f"<p>{line}</p>" for line in ARTICLE.split("\n") if line)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="{charset}">
<title>{title} | Báo Nghệ An</title>
<link rel="canonical" href="{PAGE_URL}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2025-11-22T08:30:00+07:00">
<style>.menu {{ color: red }} .STYLETEXT {{ }}</style>
<script>var tracking = "SCRIPTTEXT"; document.write("SCRIPTTEXT");</script>
</head><body>
<header><div class="logo">Báo Nghệ An</div>
<nav class="menu"><ul><li><a href="/">Trang chủ MENUTEXT</a></li><li><a href="/thoi-su">Thời sự</a></li>
<li><a href="/kinh-te">Kinh tế</a></li><li><a href="/bien-gioi">Biên giới</a></li></ul></nav></header>
<main><article class="detail">
<h1>{title}</h1>
<div class="sapo">Đồn Biên phòng Nậm Cắn tổng kết công tác năm 2025.</div>
<div class="content">{paragraphs}{body}
<table class="data"><tr><th>Chỉ tiêu</th><th>Số vụ</th></tr><tr><td>Ma túy</td><td>12</td></tr></table>
</div></article>
<section class="comments"><h3>Bình luận</h3><div class="comment"><p>COMMENTTEXT Bài viết rất hay.</p></div></section>
<aside class="related"><h3>Tin liên quan</h3><ul><li><a href="/a">RELATEDTEXT Bắt 3 đối tượng</a></li></ul></aside>
</main>
<footer><p>FOOTERTEXT Bản quyền thuộc Báo Nghệ An. Giấy phép số 123/GP-BTTTT.</p></footer>
<script>console.log("SCRIPTTEXT")</script>
</body></html>"""


def zip_bytes(members: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def only(items):
    assert len(items) == 1, items
    return items[0]


# --- encodings --------------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_vietnamese_text_decodes_the_same_in_every_encoding(encoding):
    text = decode_text(ENCODINGS[encoding](ARTICLE))
    assert not text.startswith("\ufeff")
    assert nfc(text).replace("\r\n", "\n") == nfc(ARTICLE)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_re_encoded_files_read_as_the_clean_article(tmp_path, encoding):
    path = tmp_path / "bai-viet.txt"
    path.write_bytes(ENCODINGS[encoding](ARTICLE))
    doc = only(list(iter_documents([path])))
    assert isinstance(doc, Document)
    assert (doc.doc_id, doc.source) == ("bai-viet", str(path))
    assert nfc(doc.text).replace("\r\n", "\n") == nfc(ARTICLE)


@pytest.mark.parametrize("data", [
    ARTICLE.encode("utf-8"),                                       # hashed from the bytes as read
    b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"),                       # byte-order mark left out
    ARTICLE.encode("utf-8") + "ệ".encode("utf-8")[:2],             # cut short: U+FFFD hashed
    cp1258(ARTICLE),
], ids=["utf-8", "utf-8 with mark", "truncated", "windows-1258"])
def test_content_hash_is_the_sha256_of_the_text_as_read(tmp_path, data):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    doc = only(list(iter_documents([path])))
    assert doc.content_hash == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()


def test_text_is_returned_as_decoded_not_normalised():
    decomposed = unicodedata.normalize("NFD", ARTICLE)
    windows = decomposed.replace("\n", "\r\n")
    assert decode_text(windows.encode("utf-8")) == windows
    assert "\u0301" in decode_text(cp1258(ARTICLE))  # Windows-1258 tone marks stay combining


def test_a_character_cut_off_at_the_end_is_replaced_not_misread():
    data = ARTICLE.strip().encode("utf-8") + "ệ".encode("utf-8")[:2]
    assert decode_text(data) == ARTICLE.strip() + "\ufffd"


def test_valid_utf8_never_reaches_the_detector(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("detector called")

    monkeypatch.setattr(charset_normalizer, "from_bytes", refuse)
    (tmp_path / "a.txt").write_text(ARTICLE * 100, encoding="utf-8")
    assert isinstance(only(list(iter_documents([tmp_path]))), Document)


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary file (PNG image), not an article"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (PDF document), not an article"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary file (JPEG image), not an article"),
    (b"abc\x00\x01\x02\x03def\x00" * 50, "binary file (contains NUL bytes), not an article"),
    (b"\x01\x02\x03\x04\x05\x06xyz\x10\x11" * 50, "binary file (73% control characters), not an article"),
    (bytes(byte or 1 for byte in random.Random(0).randbytes(3000)),
     "text in an unknown character encoding, not read"),
    (b"\xef\xbb\xbfXin ch\xe0o",
     "not valid UTF-8 text despite its byte-order mark (bad bytes at offset 6), not read"),
])
def test_binary_and_undecodable_bytes_raise_a_clear_reason(data, reason):
    with pytest.raises(IngestError) as caught:
        decode_text(data)
    assert str(caught.value) == reason


# --- HTML -------------------------------------------------------------------


def test_html_page_reduces_to_article_text_with_metadata(tmp_path):
    path = tmp_path / "nam-can.html"
    path.write_text(news_page(), encoding="utf-8")
    doc = only(list(iter_documents([path])))
    assert doc.doc_id == "nam-can"
    assert doc.title == "Nậm Cắn: bắt giữ 12 vụ ma túy"
    assert doc.published == dt.date(2025, 11, 22)
    assert doc.url == doc.source == PAGE_URL
    lines = doc.text.splitlines()
    assert PARAGRAPH in lines  # paragraphs stay separate lines
    assert "Lực lượng chức năng tuyên truyền cho hơn 2.069 lượt người dân ở 20 bản biên giới." in lines
    assert "Ma túy" in doc.text  # the table inside the article is kept
    for junk in ("MENUTEXT", "SCRIPTTEXT", "STYLETEXT", "COMMENTTEXT", "FOOTERTEXT", "color: red"):
        assert junk not in doc.text


def test_html_page_in_windows_1258_decodes(tmp_path):
    path = tmp_path / "trang.htm"
    path.write_bytes(cp1258(news_page(charset="windows-1258")))
    doc = only(list(iter_documents([path])))
    assert PARAGRAPH in nfc(doc.text).splitlines()
    assert nfc(doc.title) == "Nậm Cắn: bắt giữ 12 vụ ma túy"


def test_html_without_metadata_keeps_its_path_as_source():
    paragraphs = [PARAGRAPH, *ARTICLE.splitlines()[1:]]
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>"
    doc = only(read_upload("bai.html", page.encode("utf-8")))
    assert (doc.source, doc.url, doc.published) == ("bai.html", None, None)
    assert doc.text.splitlines() == [p for p in paragraphs if p]


@pytest.mark.parametrize("page", [
    f'<html><body><div class="comments"><p>{PARAGRAPH}</p></div></body></html>',  # extractor finds nothing
    f"<div>{PARAGRAPH}</div>",  # a fragment the extractor's loader refuses
])
def test_html_falls_back_to_plain_text(page):
    assert only(read_upload("a.html", page.encode("utf-8"))).text.strip() == PARAGRAPH


@pytest.mark.parametrize("page", [
    "<html><head><script>var a = 1;</script><style>p {}</style></head><body><nav></nav></body></html>",
    "   \n  ",
])
def test_html_without_text_is_skipped(page):
    assert only(read_upload("a.html", page.encode("utf-8"))) == Skipped(
        "a.html", "no article text found in the HTML page")


# --- junk -------------------------------------------------------------------


def test_folder_mixing_good_and_bad_files(tmp_path):
    (tmp_path / "b_good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "a_good.html").write_text(news_page(), encoding="utf-8")
    (tmp_path / "sub" / "deeper" / "c_good.txt").write_bytes(cp1258(ARTICLE))
    (tmp_path / "sub" / "good.zip").write_bytes(zip_bytes({"z_good.txt": ARTICLE}))
    bad = {
        "empty.txt": b"",
        "blank.txt": b" \r\n\t\n",
        "photo.jpg": b"\xff\xd8\xff\xe0",
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "scan.pdf": b"%PDF-1.4",
        "program.txt": bytes(range(256)) * 4,
        "sub/notes": b"no extension",
        "sub/broken.zip": zip_bytes({"x.txt": ARTICLE})[:40],
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text(ARTICLE, encoding="utf-8")

    results = list(iter_documents([tmp_path]))

    docs = [r for r in results if isinstance(r, Document)]
    skipped = {r.source: r.reason for r in results if isinstance(r, Skipped)}
    assert sorted(d.doc_id for d in docs) == ["a_good", "b_good", "c_good", "z_good"]
    assert {nfc(d.text) for d in docs if d.doc_id != "a_good"} == {nfc(ARTICLE)}
    assert skipped == {
        str(tmp_path / "empty.txt"): "empty file",
        str(tmp_path / "blank.txt"): "empty file (only blank space)",
        str(tmp_path / "photo.jpg"): "not an article: .jpg files are not read",
        str(tmp_path / "image.txt"): "binary file (PNG image), not an article",
        str(tmp_path / "scan.pdf"): "not an article: .pdf files are not read",
        str(tmp_path / "program.txt"): "binary file (contains NUL bytes), not an article",
        str(tmp_path / "sub" / "notes"): "not an article: files without an extension are not read",
        str(tmp_path / "sub" / "broken.zip"): "not a readable zip archive (corrupt or truncated)",
    }
    assert [r.source for r in results] == [r.source for r in iter_documents([tmp_path])]
    assert [r.source for r in results][:2] == [str(tmp_path / name) for name in ("b_good.txt", "blank.txt")]


def test_missing_paths_and_single_files(tmp_path):
    (tmp_path / "a.TXT").write_text(ARTICLE, encoding="utf-8")
    results = list(iter_documents([tmp_path / "a.TXT", tmp_path / "missing.txt"]))
    assert results[0].doc_id == "a"
    assert results[1] == Skipped(str(tmp_path / "missing.txt"), "no such file or folder")
    assert only(list(iter_documents(str(tmp_path / "a.TXT")))).source == str(tmp_path / "a.TXT")


def test_uploads():
    assert only(read_upload("bai.txt", ARTICLE.encode("utf-16"))).text == ARTICLE
    assert only(read_upload("bai.docx", b"PK\x03\x04")) == Skipped(
        "bai.docx", "not an article: .docx files are not read")
    assert only(read_upload("big.txt", b"x" * 101, Limits(max_upload_bytes=100))) == Skipped(
        "big.txt", "upload too large (101 bytes > 100 bytes limit)")
    docs = read_upload("lo.zip", zip_bytes({"a.txt": ARTICLE, "b.html": news_page()}))
    assert [d.source for d in docs] == ["lo.zip!a.txt", PAGE_URL]


# --- zips -------------------------------------------------------------------


def test_zip_members_are_read_in_memory(tmp_path):
    archive = tmp_path / "bai.zip"
    archive.write_bytes(zip_bytes({
        "2025/11/bai-1.txt": ARTICLE,
        "2025/11/": b"",
        "__MACOSX/2025/._bai-1.txt": b"\x00\x05\x16\x07",
        "__MACOSX/bai-1.txt": ARTICLE,
        "2025/.DS_Store": b"\x00\x00\x00\x01Bud1",
        "anh.png": b"\x89PNG",
        "/etc/passwd.txt": ARTICLE,
        "../../thoat.txt": ARTICLE,
        "C:\\Windows\\bai.txt": ARTICLE,
        "bai-2.htm": news_page(),
    }))
    results = list(iter_documents([archive]))
    assert [(type(r).__name__, r.source) for r in results] == [
        ("Document", f"{archive}!2025/11/bai-1.txt"),
        ("Skipped", f"{archive}!anh.png"),
        ("Skipped", f"{archive}!/etc/passwd.txt"),
        ("Skipped", f"{archive}!../../thoat.txt"),
        ("Skipped", f"{archive}!C:\\Windows\\bai.txt"),
        ("Document", PAGE_URL),
    ]
    assert [r.doc_id for r in results if isinstance(r, Document)] == ["bai-1", "bai-2"]
    assert results[1].reason == "not an article: .png files are not read"
    assert {r.reason for r in results[2:5]} == {"unsafe member name (absolute path or '..'), not read"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bai.zip"]  # nothing extracted


def test_nested_zips_are_read_one_level_deep():
    deepest = zip_bytes({"c.txt": ARTICLE})
    inner = zip_bytes({"b.txt": ARTICLE, "deeper.zip": deepest})
    results = read_upload("outer.zip", zip_bytes({"a.txt": ARTICLE, "inner.zip": inner}))
    assert [r.source for r in results] == ["outer.zip!a.txt", "outer.zip!inner.zip!b.txt",
                                           "outer.zip!inner.zip!deeper.zip"]
    assert results[2].reason == "zip inside a nested zip, not read (one level of nesting only)"


def test_a_corrupt_member_is_skipped_and_the_rest_read():
    data = bytearray(zip_bytes({"a.txt": ARTICLE * 20, "b.txt": ARTICLE}))
    data[60:90] = b"\xff" * 30  # inside a.txt's compressed bytes
    results = read_upload("hong.zip", bytes(data))
    assert results[0].source == "hong.zip!a.txt"
    assert results[0].reason.startswith("corrupt zip member")
    assert results[1].text == ARTICLE


def test_windows_zip_names_stored_without_the_utf8_flag_are_repaired():
    class LegacyName(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):
            return self.filename.encode("utf-8"), self.flag_bits

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(LegacyName("Biên giới.txt"), ARTICLE)
    assert only(read_upload("w.zip", buffer.getvalue())).doc_id == "Biên giới"


def test_encrypted_members_are_skipped():
    data = bytearray(zip_bytes({"mat.txt": ARTICLE}))
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        data[data.find(signature) + flags_at] |= 0x1  # the "encrypted" flag
    assert only(read_upload("m.zip", bytes(data))) == Skipped(
        "m.zip!mat.txt", "encrypted zip member, not read")


@pytest.mark.timeout(20)
def test_compression_bomb_is_refused(tmp_path):
    path = tmp_path / "bom.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("bom.txt", "w") as member:
            for _ in range(50):
                member.write(b"0" * 1024 * 1024)
        archive.writestr("ok.txt", ARTICLE)
    bomb, ok = iter_documents([path])
    assert bomb.source == f"{path}!bom.txt"
    assert "exceeds the 100:1 limit; possible zip bomb, not read" in bomb.reason
    assert ok.text == ARTICLE


def test_too_many_members_is_refused():
    data = zip_bytes({f"{i}.txt": ARTICLE for i in range(51)})
    assert read_upload("n.zip", data, Limits(max_zip_members=50)) == [
        Skipped("n.zip", "zip archive has more than 50 members; possible zip bomb, not read")]
    assert len(read_upload("n.zip", data, Limits(max_zip_members=51))) == 51


def test_an_end_record_understating_the_member_count_is_caught():
    data = bytearray(zip_bytes({f"{i}.txt": ARTICLE for i in range(60)}))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8:end + 12] = struct.pack("<HH", 1, 1)
    assert read_upload("n.zip", bytes(data), Limits(max_zip_members=50)) == [
        Skipped("n.zip", "zip archive has more than 50 members; possible zip bomb, not read")]


def test_a_huge_member_directory_is_refused_before_it_is_indexed():
    single = zip_bytes({"a.txt": b"x"}, zipfile.ZIP_STORED)
    directory_at, end_at = single.find(b"PK\x01\x02"), single.find(b"PK\x05\x06")
    record, count = single[directory_at:end_at], 60_000
    data = (single[:directory_at] + record * count
            + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(record) * count,
                          directory_at, 0))
    tracemalloc.start()
    try:
        results = read_upload("dir.zip", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert results == [
        Skipped("dir.zip", "zip archive has more than 10,000 members; possible zip bomb, not read")]
    assert peak < 2 * 1024 * 1024  # an index of 60,000 members would take tens of MB


def test_declared_total_size_is_limited():
    limits = Limits(max_zip_total_bytes=2 * len(ARTICLE.encode("utf-8")))
    data = zip_bytes({f"{i}.txt": ARTICLE for i in range(3)})
    only_reason = only(read_upload("t.zip", data, limits)).reason
    assert only_reason.startswith("zip archive would expand to ")
    assert only_reason.endswith(" limit; possible zip bomb, not read")


def test_nested_zips_share_the_expansion_budget():
    size = len(ARTICLE.encode("utf-8"))
    inner = zip_bytes({"a.txt": ARTICLE, "b.txt": ARTICLE})
    limits = Limits(max_zip_total_bytes=len(inner) + size)
    results = read_upload("o.zip", zip_bytes({"inner.zip": inner}, zipfile.ZIP_STORED), limits)
    assert only(results).source == "o.zip!inner.zip"
    assert only(results).reason.startswith("zip archive would expand to")


@pytest.mark.timeout(20)
def test_a_header_understating_a_member_size_cannot_blow_memory():
    data = bytearray(zip_bytes({"lie.txt": b"1.2." * 5_000_000}))
    declared = struct.pack("<I", 1000)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        data[at + offset:at + offset + 4] = declared
    result = only(read_upload("lie.zip", bytes(data)))
    assert result.source == "lie.zip!lie.txt"
    assert result.reason.startswith("corrupt zip member")


def test_damaged_zips_never_raise():
    data = zip_bytes({"a.txt": ARTICLE, "b/c.html": news_page(), "d.zip": zip_bytes({"e.txt": ARTICLE})})
    rng = random.Random(1)
    for _ in range(300):
        damaged = bytearray(data)
        for _ in range(rng.randrange(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        cut = rng.choice([len(damaged), rng.randrange(len(damaged))])
        for result in read_upload("x.zip", bytes(damaged[:cut])):
            assert isinstance(result, (Document, Skipped))


# --- limits -----------------------------------------------------------------


def test_oversized_article_is_skipped_without_reading(tmp_path):
    path = tmp_path / "lon.txt"
    with open(path, "wb") as file:
        file.truncate(int(12.3 * 1024 * 1024))
    assert only(list(iter_documents([path]))) == Skipped(
        str(path), "file too large (12.3 MB > 5 MB limit)")


@pytest.mark.parametrize("grown_to, read", [(10, 10), (1000, 101)])
def test_a_file_grown_since_listed_is_read_on_up_to_the_limit(tmp_path, grown_to, read):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * grown_to)
    assert _read_head(path, max_bytes=100, size=4) == b"x" * read


def test_oversized_zip_member_is_skipped():
    limits = Limits(max_article_bytes=100)
    assert only(read_upload("z.zip", zip_bytes({"a.txt": "x" * 150}), limits)) == Skipped(
        "z.zip!a.txt", "file too large (150 bytes > 100 bytes limit)")


@pytest.mark.timeout(20)
def test_a_megabyte_of_digits_and_dots_reads_quickly(tmp_path):
    (tmp_path / "so.txt").write_bytes(b"1.2." * 262_144)
    (tmp_path / "so.html").write_bytes(b"<html><body><p>" + b"1.2." * 262_144 + b"</p></body></html>")
    text, page = iter_documents([tmp_path])
    assert len(text.text) == len(page.text.strip()) == 1024 * 1024


@pytest.mark.timeout(20)
@pytest.mark.parametrize("tag", ["div", "b", "p"])
def test_deeply_nested_html_finishes(tag):
    page = f"<html><body>{f'<{tag}>' * 100_000}{PARAGRAPH}{f'</{tag}>' * 100_000}</body></html>"
    assert isinstance(only(read_upload("sau.html", page.encode("utf-8"))), (Document, Skipped))


@pytest.mark.timeout(20)
def test_a_page_with_a_huge_number_of_elements_reads_as_plain_text():
    rows = "<tr><td>1</td><td>2</td></tr>" * 30_000
    page = news_page(body=f"<table>{rows}</table><p>{PARAGRAPH}</p>")
    started = time.perf_counter()
    doc = only(read_upload("lon.html", page.encode("utf-8")))
    assert time.perf_counter() - started < 2.5  # main-content extraction alone takes longer
    assert (doc.title, doc.published, doc.url) == ("Nậm Cắn: bắt giữ 12 vụ ma túy",
                                                   dt.date(2025, 11, 22), PAGE_URL)
    assert PARAGRAPH in doc.text.splitlines()
    for junk in ("MENUTEXT", "SCRIPTTEXT", "STYLETEXT", "FOOTERTEXT"):
        assert junk not in doc.text
