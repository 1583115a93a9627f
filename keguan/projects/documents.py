"""Word documents keguan writes: the recommendation letter (推荐函) sent upward."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from keguan.core.templatetags.keguan import wan
from keguan.projects.models import Application

FONT = "SimSun"  # 宋体: what the receiving office's Word has; Noto CJK is the fallback


def _style(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def recommendation_letter(application: Application) -> bytes:
    """The letter with which the bureau recommends APPLICATION to the program's body.

    Its text is the recommendation the officer wrote when recommending upward, followed
    by the application's key facts, the bureau's name and the date.
    """
    call = application.call
    program = call.program
    document = Document()
    _style(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_("Recommendation letter"))
    run.bold = True
    run.font.size = Pt(22)
    document.add_paragraph(f"{program.body}:")
    for paragraph in (application.recommendation_letter or "").splitlines():
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())
    leader = application.leader()
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    facts = [
        (_("Program"), f"{program.name} ({program.get_level_display()})"),
        (_("Call"), call.title),
        (_("Project"), application.title),
        (_("Organization"), application.organization.name),
        (_("Project leader"), leader.name if leader else "—"),
        (_("Requested (10,000 yuan)"), wan(application.requested_total)),
        (_("Self-raised (10,000 yuan)"), wan(application.self_raised_total)),
    ]
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text = str(label)
        cells[1].text = str(value)
    document.add_paragraph()
    for line in (application.bureau.name, timezone.localdate().strftime("%Y-%m-%d")):
        signature = document.add_paragraph(line)
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
