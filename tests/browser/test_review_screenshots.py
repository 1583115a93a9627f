"""Expert review in the browser, on the full demo, in Chinese.

An expert called in from the reserves signs the pledge and scores; the officer reads the
round, the draw log with its exclusions, the ranked list and the check of the draws; the
leader reads the decision meeting; the inspector the reported approaches. Each page is
captured at both sizes and checked like the project pages (axe, sideways scrolling).
"""

import re

from playwright.sync_api import expect

from keguan.review.models import Assignment, Meeting, Round
from tests.browser.helpers import sign_in
from tests.browser.test_project_screenshots import capture, sign_out


def test_an_expert_pledges_and_scores_and_the_bureau_reads_the_review(
    page, demo_county_with_projects
):
    invited = (
        Assignment.objects.filter(
            state=Assignment.State.INVITED, round__state=Round.State.REVIEWING
        )
        .select_related("expert__user", "application")
        .first()
    )
    assert invited is not None, "the demo's open round has an expert still to pledge"
    sign_in(page, invited.expert.user.username)
    capture(page, "review-expert-workbench")
    page.goto("/review/mine/")
    page.get_by_role("link", name=invited.application.title).click()
    expect(page.locator("#main")).not_to_contain_text("Budget")
    capture(page, "review-expert-pledge")
    page.locator("form", has=page.locator("input[value=pledge]")).get_by_role("button").click()
    page.wait_for_load_state()
    for field in page.locator("input[name^=score_]").all():
        field.fill("8")
    page.locator("select[name=recommendation]").select_option("fund")
    page.locator("textarea[name=comment]").fill("技术路线清晰，示范带动作用明显。")
    capture(page, "review-expert-score-sheet")
    page.locator("button[name=submit]").click()
    page.wait_for_load_state()
    invited.refresh_from_db()
    assert invited.state == Assignment.State.SUBMITTED
    assert str(invited.total) == "80.00"
    sign_out(page)

    closed = Round.objects.get(state=Round.State.CLOSED)
    sign_in(page, "officer")
    page.goto("/review/")
    capture(page, "review-round-list")
    page.goto(f"/review/rounds/{closed.pk}/")
    capture(page, "review-round-detail")
    page.goto(f"/review/rounds/{closed.pk}/draws/")
    page.locator("summary").first.click()
    capture(page, "review-draw-log")
    page.goto(f"/review/rounds/{closed.pk}/ranking/")
    capture(page, "review-ranking")
    page.goto(f"/review/rounds/{closed.pk}/verify/")
    expect(page.locator("#main")).to_contain_text(re.compile(str(closed.draws.count())))
    capture(page, "review-verify")
    page.goto("/review/experts/")
    capture(page, "review-expert-list")
    page.locator("#main table a[href*='/review/experts/']").first.click()
    page.wait_for_load_state()
    capture(page, "review-expert-detail")
    sign_out(page)

    meeting = Meeting.objects.filter(state=Meeting.State.RELEASED).order_by("-held_on").first()
    sign_in(page, "leader")
    capture(page, "review-leader-workbench")
    page.goto(f"/review/meetings/{meeting.pk}/")
    capture(page, "review-meeting-detail")
    sign_out(page)

    sign_in(page, "inspector")
    page.goto("/review/approaches/")
    capture(page, "review-approach-reports")
