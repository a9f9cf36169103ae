"""``{% table_rows rows %}`` draws a plain table's rows as the template engine would, cell by
cell: every cell escaped, safe text kept, numbers and lazy translations as text."""

from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

ROWS = [
    ["<script>alert(1)</script>", 12, None],
    [mark_safe("<b>đậm</b>"), gettext_lazy("Ghi chú"), "Trần & Lê"],
]


def test_the_tag_draws_what_the_loops_draw():
    loops = Template(
        "{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>"
        "{% endfor %}"
    ).render(Context({"rows": ROWS}))
    tag = Template("{% table_rows rows %}").render(Context({"rows": ROWS}))
    assert tag == loops
    assert "&lt;script&gt;" in tag and "<b>đậm</b>" in tag and "Trần &amp; Lê" in tag


def test_no_rows_draw_nothing():
    assert Template("{% table_rows rows %}").render(Context({"rows": []})) == ""
