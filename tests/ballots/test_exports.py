"""The Word files of a 民主测评 as readers get them: the QR slips, the paper form and the
测评结果统计表 — their text, and the layout that keeps them usable on paper."""

import io

import docx
from docx.oxml.ns import qn

from ballots import exporting
from ballots.domain import tokens
from ballots.models import Token
from ballots.selectors.results import ballot_results
from ballots.services import setup, voting


def _texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_slips_one_per_unused_code_with_its_category_and_no_name(open_ballot):
    w = open_ballot
    category = w["categories"][0]
    used, *unused = Token.objects.filter(category=category)
    voting.vote_cast(code=used.code, submitted={})
    data = exporting.slips_docx(ballot=w["ballot"], category=category, address="http://10.0.0.5:8000/")
    document = docx.Document(io.BytesIO(data))
    (table,) = document.tables
    cells = [cell for row in table.rows for cell in row.cells if cell.text]
    assert [c.text.split("\n")[3] for c in cells] == [tokens.display(t.code) for t in unused]
    first = cells[0].text.split("\n")
    assert first[0] == "民主测评" and first[4] == category.name
    assert first[5] == "扫码或打开 http://10.0.0.5:8000/v/ 输入测评码"
    assert tokens.display(used.code) not in "".join(c.text for c in cells)
    assert not any(s.name in c.text for s in w["subjects"] for c in cells)  # no name of anyone
    heights = {row._tr.trPr.find(qn("w:trHeight")).get(qn("w:hRule")) for row in table.rows}
    assert heights == {"exact"}  # slips cut apart alike, five a page


def test_paper_form_rows_of_people_columns_of_options_boxes_for_categories(ballot_world):
    w = ballot_world
    document = docx.Document(io.BytesIO(exporting.paper_form_docx(w["ballot"])))
    text = [p.text for p in document.paragraphs]
    assert "□ 县级领导干部\u3000□ 乡镇和县直部门主要负责人\u3000□ 党代表和群众代表" in text
    assert "序号：__________（由工作人员填写）" in text
    (table,) = document.tables
    rows = _texts(table)
    assert rows[0] == ["编号", "单位", "姓名及职务", "好", "较好", "一般", "差"]
    assert rows[1] == ["1", "城关镇", "书记1 城关镇党委书记", "", "", "", ""]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on a second page


def test_results_table_one_block_per_subject_by_rank(open_ballot):
    w = open_ballot
    first, second, _third = w["subjects"]
    for token, mark in zip(
        Token.objects.filter(category=w["categories"][0]), ["好", "一般", "较好"], strict=True
    ):
        voting.vote_cast(code=token.code, submitted={str(first.pk): mark, str(second.pk): "好"})
    setup.ballot_close(ballot=w["ballot"], user=w["admin"])
    document = docx.Document(io.BytesIO(exporting.results_docx(ballot_results(w["ballot"]))))
    assert document.paragraphs[0].text == "测评结果统计表"
    (table,) = document.tables
    rows = _texts(table)
    assert rows[0][:4] == ["名次", "单位", "姓名", "测评人类别"] and rows[0][-3:] == [
        "有效",
        "好评率(%)",
        "得分",
    ]
    # 河口乡 (all 好: 100) before 城关镇 (好, 一般, 较好: 80); 名次, 单位, 姓名 merged down each block
    assert rows[1][:4] == ["1", "河口乡", "书记2", "县级领导干部"] and rows[4][:4] == [
        "1",
        "河口乡",
        "书记2",
        "合计",
    ]
    assert rows[4][-2:] == ["100.00", "100.00"]
    assert rows[8][:4] == ["2", "城关镇", "书记1", "合计"] and rows[8][-2:] == ["66.67", "80.00"]
    assert rows[9][:4] == ["—", "县教育局", "书记3", "县级领导干部"]
    assert "实到人数未填写完整" in "".join(p.text for p in document.paragraphs)
