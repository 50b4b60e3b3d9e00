"""Sentences and related-news blocks."""
import pytest

from extract.normalize import normalize
from extract.segment import paragraphs, sentences


def split(text):
    text = normalize(text).text
    return [text[s.start:s.end] for p in paragraphs(text) for s in sentences(text, p)]


@pytest.mark.parametrize("text,expected", [
    ("TP. Lạng Sơn có 1.250 hộ. ThS. Nguyễn Văn An cho biết thêm.",
     ["TP. Lạng Sơn có 1.250 hộ.", "ThS. Nguyễn Văn An cho biết thêm."]),
    ("Kim ngạch đạt 41,57 triệu USD. Tăng 12,5% so với cùng kỳ!",
     ["Kim ngạch đạt 41,57 triệu USD.", "Tăng 12,5% so với cùng kỳ!"]),
    ("Hội nghị tổng kết năm 2023.Hội nghị triển khai nhiệm vụ năm 2024",
     ["Hội nghị tổng kết năm 2023.", "Hội nghị triển khai nhiệm vụ năm 2024"]),
    ("Đón 1.500 lượt khách… Cửa khẩu Cầu Treo hoạt động bình thường.",
     ["Đón 1.500 lượt khách…", "Cửa khẩu Cầu Treo hoạt động bình thường."]),
    ("Dòng một\nDòng hai có 3.000 người", ["Dòng một", "Dòng hai có 3.000 người"]),
])
def test_sentences(text, expected):
    assert split(text) == expected


def test_related_news_block_groups_headline_and_lead():
    text = ("Bài chính về Cao Bằng.\n\nTin liên quan\n\nAn Giang: mở lối thông quan\n"
            "Tỉnh An Giang vừa đề xuất mở thêm một lối thông quan tại khu vực biên giới.\n"
            "Kon Tum đón khách\nTỉnh Kon Tum đón 2.000 lượt khách qua cửa khẩu quốc tế Bờ Y trong tháng.")
    paras = paragraphs(normalize(text).text)
    assert [p.teaser for p in paras] == [None, -1, 0, 0, 1, 1]


def test_no_marker_no_teasers():
    assert all(p.teaser is None for p in paragraphs("Một.\nHai có tin liên quan đến biên giới.\n"))
