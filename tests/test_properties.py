"""Properties of number reading and figure offsets, on generated input."""
import math

from hypothesis import HealthCheck, example, given, settings, strategies as st

from extract import extract_text
from extract.numbers import read_number

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = [
    "xuất cảnh", "nhập cảnh", "qua lại", "lượt người", "lượt khách", "lượt", "người", "nhân khẩu",
    "phương tiện", "xe", "hồ sơ", "tờ rơi", "tân binh", "bánh heroin", "cột mốc", "mốc", "xã", "bản",
    "trên", "hơn", "vượt", "gần", "dưới", "chưa đến", "khoảng", "xấp xỉ", "chừng", "ước tính", "ước đạt",
    "hàng", "chục", "trăm", "nghìn", "ngàn", "triệu", "tỷ", "tỉ", "đồng", "VNĐ", "USD", "nhân dân tệ", "kíp",
    "tấn", "kg", "gam", "km", "km2", "ha", "hộ", "vụ", "vụ án", "tấn/ngày", "từ", "đến", "so với",
    "cùng kỳ", "tương đương", "đạt", "tỷ lệ", "năm", "tháng", "quý", "ngày", "lúc", "giờ", "số", "thứ",
    "khóa", "XV", "tỉnh", "Lạng Sơn", "cửa khẩu", "Hữu Nghị", "Đồn Biên phòng", "Tin liên quan",
]
PUNCTUATION = [".", ",", "%", "/", "-", "–", "(", ")", ":", ";"]


@st.composite
def vietnamese_numbers(draw) -> tuple[str, float]:
    """A number and its Vietnamese spelling: dots between thousands, a comma before 1–3 decimals."""
    whole = draw(st.integers(min_value=0, max_value=10**12))
    decimals = draw(st.integers(min_value=0, max_value=3))
    fraction = draw(st.integers(min_value=0, max_value=10**decimals - 1))
    digits = str(whole)
    groups = [digits[max(0, i - 3):i] for i in range(len(digits), 0, -3)][::-1]
    text = ".".join(groups) + (f",{fraction:0{decimals}d}" if decimals else "")
    return text, whole + fraction / 10**decimals


TOKENS = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(PUNCTUATION),
    st.from_regex(r"[0-9]{1,5}", fullmatch=True),
    vietnamese_numbers().map(lambda pair: pair[0]),
)
TEXTS = st.lists(st.tuples(TOKENS, st.sampled_from([" ", " ", "", ", ", "\n"])), max_size=30).map(
    lambda parts: "".join(token + sep for token, sep in parts))


@SETTINGS
@given(st.text())
@example("9" * 400)
@example("1.000.000,")
@example("nan")
def test_read_number_never_raises(token):
    value = read_number(token)
    assert value is None or (isinstance(value, float) and math.isfinite(value)), \
        f"read_number({token!r}) gave {value!r}: expected None or a finite float"


@SETTINGS
@given(vietnamese_numbers())
@example(("1.036", 1036.0))
@example(("333,403", 333.403))
@example(("12.560,5", 12560.5))
def test_read_number_reads_vietnamese_spelling(pair):
    text, value = pair
    got = read_number(text)
    assert got is not None and math.isclose(got, value, rel_tol=1e-9), \
        f"read_number({text!r}) gave {got!r}, expected {value!r}"


@SETTINGS
@given(TEXTS)
def test_every_figure_text_is_at_its_offsets(text):
    for row in extract_text(text, "generated").to_dict("records"):
        start, end = int(row["start"]), int(row["end"])
        assert 0 <= start < end <= len(text), f"offsets {start}:{end} outside a text of {len(text)} characters"
        assert text[start:end] == row["text"], \
            f"row text {row['text']!r} but {start}:{end} holds {text[start:end]!r} in {text!r}"
