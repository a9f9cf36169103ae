"""The queue table's rows drawn in Python (``templatetags/queue_rows``) are the HTML the
template's loop drew (``queues.html``): on rows of every kind — with and without the bulk check
box, overdue, due today, finished late or on time, filed online or at the desk — with text to
escape, in both languages."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import timezone, translation

from congso.catalog.choices import Channel

#: The loop as ``queues.html`` wrote it before the tag.
LOOP = """{% load i18n vn %}{% for row in rows %}{% with d=row.dossier %}
    <tr{% if row.urgency == "overdue" %} class="row--overdue"{% elif row.urgency == "due_today" %} class="row--due-today"{% endif %}>
      {% if bulk %}<td><input type="checkbox" name="codes" value="{{ d.code }}" id="pick-{{ d.pk }}" aria-label="{% blocktranslate with code=d.code %}Chọn hồ sơ {{ code }}{% endblocktranslate %}"><input type="hidden" name="revision-{{ d.code }}" value="{{ d.revision }}"></td>{% endif %}
      <td><a href="{% url 'onestop:dossier' d.code %}">{{ d.code }}</a><br><span class="meta">{{ d.get_channel_display }}{% if d.channel == "online" %} · {% blocktranslate with t=d.filed_at|vndatetime %}nộp lúc {{ t }}{% endblocktranslate %}{% endif %}</span></td>
      <td>{{ d.applicant_name }}</td>
      <td>{{ d.procedure__name }}</td>
      <td data-state="{{ d.state }}">{{ row.state }} <span class="meta">({{ row.national }})</span><br><span class="meta">{{ d.current_unit__name }}</span></td>
      <td>{{ d.due_at|vndatetime }}</td>
      <td>{% if row.urgency %}<span class="tag {% if row.urgency == "overdue" %}tag--overdue{% else %}tag--due-today{% endif %}" data-urgency="{{ row.urgency }}">{{ row.urgency_label }}</span>{% elif row.timeliness %}<span class="tag {% if row.late %}tag--overdue{% else %}tag--ontime{% endif %}" data-late="{{ row.late|yesno:'1,0' }}">{{ row.timeliness }}</span>{% endif %}</td>
    </tr>
  {% endwith %}{% endfor %}"""  # noqa: E501
TAG = "{% load queue_rows %}{% queue_rows rows bulk %}"

NOW = timezone.make_aware(dt.datetime(2026, 12, 3, 9, 30))


def _dossier(n: int, **fields):
    channel = fields.pop("channel", "desk")
    values = {
        "pk": n,
        "code": f"000.22.29.H41-261203-{n:04d}",
        "revision": 3 + n,
        "channel": channel,
        "get_channel_display": lambda: Channel(channel).label,
        "filed_at": NOW - dt.timedelta(days=n),
        "applicant_name": f'Nguyễn Văn <b>{n}</b> & "con"',
        "procedure__name": "Đăng ký khai sinh <kết hợp>",
        "state": "processing",
        "current_unit__name": "Phòng Tư pháp & Hộ tịch",
        "due_at": NOW + dt.timedelta(hours=n),
    }
    return SimpleNamespace(**(values | fields))


def _rows() -> list[dict]:
    base = {"state": "Đang xử lý", "national": "3", "late": False, "timeliness": ""}
    kinds = [
        {"urgency": "overdue", "urgency_label": "Quá hạn"},
        {"urgency": "due_today", "urgency_label": "Đến hạn hôm nay"},
        {"urgency": None, "urgency_label": "", "timeliness": "Trễ hạn", "late": True},
        {"urgency": None, "urgency_label": "", "timeliness": "Đúng hạn <sớm>"},
        {"urgency": None, "urgency_label": "", "due_at": None},
    ]
    rows = []
    for n, kind in enumerate(kinds, start=1):
        fields = {"channel": "online" if n % 2 else "desk"}
        if "due_at" in kind:
            fields["due_at"] = kind.pop("due_at")
        rows.append(base | kind | {"dossier": _dossier(n, **fields)})
    return rows


def _render(source: str, context: dict) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("bulk", [(), (("accept", "Tiếp nhận"),)])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_tag_draws_what_the_loop_drew(bulk, language):
    context = {"rows": _rows(), "bulk": bulk}
    with translation.override(language):
        assert _render(TAG, context) == _render(LOOP, context)


def test_text_is_escaped():
    html = _render(TAG, {"rows": _rows(), "bulk": ()})
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "Phòng Tư pháp &amp; Hộ tịch" in html
