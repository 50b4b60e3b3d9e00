"""What the faster context reading rests on: period mentions come in text order, sentences lie in
their paragraph and figures start inside their sentence."""
from pathlib import Path

import pytest

from extract.document import Document
from extract.pipeline import _Article
from extract.quantities import find_quantities
from extract.segment import sentences

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests/cases/articles").glob("*.txt"))
DENSE = ("Trong năm 2023, quý I/2023 và 6 tháng đầu năm 2024, từ ngày 1/1 đến 30/6/2024, "
         "tháng 5 năm nay; trong thời gian này có 12 vụ, năm ngoái 7 vụ. Trong đó, quý II có 3 vụ.\n"
         "Trong đó, 5 vụ trong tháng 3. Phấn đấu năm 2025 giảm 10 vụ; cùng kỳ năm trước có 4 vụ.")


def _articles():
    for path in TEXTS:
        yield _Article.read(Document(doc_id=path.stem, text=path.read_text(encoding="utf-8"), source=str(path)))
    yield _Article.read(Document(doc_id="dense", text=DENSE, source="dense"))


@pytest.mark.parametrize("article", list(_articles()), ids=lambda a: a.doc.doc_id)
def test_context_reading_rests_on_order_and_nesting(article):
    """`mentions_in` bisects the mentions' starts; a sentence's mentions are the article's inside it;
    a sentence's plan and placeless words include those before any of its figures."""
    starts = [m.start for m in article.mentions]
    assert starts == sorted(set(starts)) == article.mention_starts
    text = article.norm.text
    chosen = [s for p in article.paras if p.index in article.holding for s in sentences(text, p)]
    for s in chosen:
        p = article.paras[s.paragraph]
        assert p.start <= s.start <= s.end <= p.end
    for s, figures in zip(chosen, find_quantities(text, article.low, chosen, article.numbers)):
        assert all(s.start <= q.start < s.end for q in figures)


def test_the_dense_text_has_mentions_and_figures():
    article = list(_articles())[-1]
    assert len(article.mentions) >= 5 and len(article.holding) == 2
