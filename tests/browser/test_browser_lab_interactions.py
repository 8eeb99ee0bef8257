"""A learner uses the widgets in real JupyterLab: each control changes what is on screen.

Each notebook is opened and run once per session (``lab_notebook``); tests find it
by the widget call in its code cells, and skip (saying why) while that notebook
has not landed. The widget check, the muscle chooser and the assessment app are found by
their ``lbp-...`` classes (``widget.add_class``), never by their wording; the model demos
still by a piece of their visible text.
"""

from __future__ import annotations

import re

import jupyter_harness as h
import pytest


def _notebook(call: str) -> str:
    nb = h.notebook_calling(call)
    if nb is None:
        pytest.skip(f"no notebook calls {call}() yet")
    return nb


@pytest.mark.browser
def test_widget_check_slider_changes_its_line(lab_notebook, screenshot):
    """Notebook 01's widget check: two arrow keys on the slider (3 -> 5) rewrite the line."""
    o = lab_notebook(_notebook("widget_check"))
    view = o.page.locator(f"{o.root} .lbp-widget-check").first
    view.scroll_into_view_if_needed()
    # JupyterLab renders cells lazily: wait until the line is really drawn, then read it.
    o.page.wait_for_function("(el) => el.innerText.includes('You picked 3')",
                             arg=view.element_handle(), timeout=60_000)
    handle = view.locator(".noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    handle.press("ArrowRight")
    o.page.wait_for_function("(el) => el.innerText.includes('You picked 5')",
                             arg=view.element_handle(), timeout=60_000)
    screenshot(view, "view")
    screenshot(o.page)
    h.assert_console_clean(o.page)


@pytest.mark.browser
def test_muscle_chooser_shows_the_chosen_muscle(lab_notebook, screenshot):
    """Notebook 02's chooser: picking another muscle replaces the card with that muscle's."""
    o = lab_notebook(_notebook("muscle_chooser"))
    view = o.page.locator(f"{o.root} .lbp-muscle-chooser").first
    view.scroll_into_view_if_needed()
    muscle = view.locator(".lbp-muscle-select select").first
    muscle.wait_for(state="visible")
    # Read the options in the page, once the drop-down has them all (the group filter fills it).
    o.page.wait_for_function("(el) => el.options.length > 1", arg=muscle.element_handle(),
                             timeout=60_000)
    options = muscle.evaluate(
        "(el) => [...el.options].map(o => [o.value, o.textContent, o.selected])")
    target_value, target_text, _ = next(opt for opt in options if not opt[2])
    target_label = target_text.replace("\xa0", " ").strip()
    card = view.locator(".lbp-muscle-card").first
    before = card.inner_text()
    # By value: ipywidgets shows an option's spaces as no-break spaces, so matching by the
    # muscle's name as a label can fail; the value is what the kernel receives.
    muscle.select_option(value=target_value)
    o.page.wait_for_function("([el, b]) => el.innerText !== b", arg=[card.element_handle(), before],
                             timeout=60_000)
    after = card.inner_text().replace("\xa0", " ")
    assert target_label.split(" (")[0].lower() in after.lower(), (target_label, after[:300])
    screenshot(view, "view")
    screenshot(o.page)
    h.assert_console_clean(o.page)


@pytest.mark.browser
def test_model_demo_slider_moves_the_figure(lab_notebook, screenshot):
    """Notebook 03's model demo: three arrow keys on the SLR slider redraw the stick figure
    (new image bytes, not only a new URL) and change the readout."""
    o = lab_notebook(_notebook("model_demo"))
    view = o.view("load a client's SLR")
    view.scroll_into_view_if_needed()
    img = view.locator("img").first
    before_digest = h.image_digest(img)
    before_src = img.get_attribute("src")
    readout = view.locator(".widget-html", has_text="lumbar").first
    before_text = readout.inner_text()
    handle = view.locator(".noUi-handle").first  # first slider: hamstring flexibility (SLR)
    handle.focus()
    for _ in range(3):
        handle.press("ArrowRight")
    after_digest = h.wait_settled(o.page, img, before_src)
    assert after_digest != before_digest, "the image URL changed but the picture did not"
    assert readout.inner_text() != before_text
    assert re.search(r"hip \d+°", readout.inner_text())
    screenshot(view, "view")
    screenshot(o.page)
    h.assert_console_clean(o.page)


@pytest.mark.browser
def test_compare_demo_bend_slider_moves_both_figures(lab_notebook, screenshot):
    """Notebook 03's comparison: the shared bend slider redraws the side-by-side picture."""
    o = lab_notebook(_notebook("compare_demo"))
    view = o.view("knee bend (both)")
    view.scroll_into_view_if_needed()
    img = view.locator("img").first
    before_digest = h.image_digest(img)
    before_src = img.get_attribute("src")
    handle = view.locator(".noUi-handle").first  # forward bend
    handle.focus()
    for _ in range(10):
        handle.press("ArrowLeft")
    assert h.wait_settled(o.page, img, before_src) != before_digest
    screenshot(view, "view")
    h.assert_console_clean(o.page)


# ----------------------------------------------------------------------------- assessment app


def _field(path: str) -> str:
    """The class the app puts on every control of a field (``assessment_app.field_class``)."""
    return "lbp-field-" + path.replace(".", "-")


class App:
    """The assessment app on a page, found by its ``lbp-assessment-app`` class; its parts by
    their ``lbp-...`` classes (banner, phase card, plan, chart, tabs, one class per field)."""

    def __init__(self, o) -> None:
        self.page = o.page
        self.root = o.page.locator(f"{o.root} .lbp-assessment-app").first
        self.root.scroll_into_view_if_needed()
        self.chart = self.root.locator("img.lbp-deficit-chart").first
        self.banner = self.root.locator(".lbp-banner").first
        self.phase_card = self.root.locator(".lbp-phase-card").first
        self.plan = self.root.locator(".lbp-plan").first
        self.whatif = self.root.locator(".lbp-whatif").first

    def tab(self, words: str) -> None:
        self.root.locator(".lbp-tabs .lm-TabBar-tab", has_text=words).first.click()

    def box(self, path: str):
        """The text box of one field, e.g. ``"flexibility.slr_deg.left"``."""
        return self.root.locator(f".{_field(path)} input").first

    def message(self, path: str):
        """The message line beside a field's control."""
        return self.root.locator(
            f".widget-vbox:has(.{_field(path)}) > .lbp-field-message").first

    def enter(self, path: str, value: str) -> None:
        box = self.box(path)
        box.fill(value)
        box.press("Enter")

    def shows(self, text):
        """Elements whose text contains ``text`` (a str: case-insensitive; a compiled
        regex: as written)."""
        return self.root.get_by_text(text, exact=False)

    def load_example(self, name: str = "runner_sam") -> None:
        """Reset through the app's own controls: Example drop-down + "Load example"."""
        self.root.locator("select").filter(
            has=self.page.locator(f"option:text-is('{name}')")).first.select_option(label=name)
        self.root.get_by_role("button", name="Load example").click()
        self.page.wait_for_function(
            "(el) => el.innerText.includes('Loaded example')", arg=self.root.element_handle())

    def text(self) -> str:
        return self.root.inner_text()

    def phase_card_text(self) -> str:
        return self.phase_card.inner_text()


def _app(lab_notebook) -> App:
    """The app, reset to runner_sam, with its chart settled.

    Widget models update independently in the browser, so "Loaded example" can show
    before the chart's new picture has arrived: wait until the image stays put."""
    o = lab_notebook(_notebook("assessment_app"))
    app = App(o)
    app.load_example("runner_sam")
    h.image_digest(app.chart)
    last = app.chart.get_attribute("src")
    while True:
        app.page.wait_for_timeout(1000)
        now = app.chart.get_attribute("src")
        if now == last:
            return app
        last = now


def _wait_text(app: App, fn_js: str, arg=None, where=None) -> None:
    el = (where if where is not None else app.root).element_handle()
    app.page.wait_for_function(fn_js, arg=[el, arg], timeout=120_000)


@pytest.mark.browser
def test_assessment_app_flexibility_changes_chart_and_pain_changes_phase(lab_notebook, screenshot):
    """A new left SLR redraws the deficit chart and its findings row; a higher pain moves the
    phase card from phase 2 to phase 1 (runner_sam: phase 2, SLR left 62 deg, pain 3/10).

    The phase gates read pain, control and endurance only, so a flexibility value cannot
    change the phase card by itself (rules/phase.py); pain is the field that can. The chart
    is shown large (800-880 px wide, or the whole app's width if that is less).
    """
    app = _app(lab_notebook)
    card = app.phase_card_text()
    assert "Phase 2 · Trunk strengthening" in card
    assert "The gates read pain" in card and "<=" not in card
    width = app.chart.bounding_box()["width"]
    assert width >= min(800, app.root.bounding_box()["width"] - 2), width
    before_digest = h.image_digest(app.chart)
    before_src = app.chart.get_attribute("src")
    app.tab("Flexibility")
    app.enter("flexibility.slr_deg.left", "85")  # past the cut-off -> normal
    after = h.wait_settled(app.page, app.chart, before_src)
    assert after != before_digest, "the deficit chart did not change"
    _wait_text(app, "([el, v]) => el.innerText.includes(v)", "85 deg")
    assert app.phase_card_text() == card  # flexibility alone does not move the phase
    app.chart.scroll_into_view_if_needed()
    screenshot(app.page, "flexibility-chart")
    screenshot(app.chart, "chart")

    app.tab("Pain")
    app.enter("pain.now", "6")
    _wait_text(app, "([el]) => /Phase 1/.test(el.innerText)", where=app.phase_card)
    card = app.phase_card_text()
    assert "Phase 1 · Gentle stabilisation" in card
    # rules.json: the phase-2 pain gate is "pain now at most 3/10"; Sam now reads 6
    assert re.search(r"Pain now at most 3 out of 10 — sam: 6\s*✗ not met", card), card[:600]
    app.phase_card.scroll_into_view_if_needed()
    screenshot(app.page, "phase-card")
    screenshot(app.phase_card, "phase-card-only")
    h.assert_console_clean(app.page)


@pytest.mark.browser
def test_assessment_app_invalid_entry_is_explained_and_the_rest_stays(lab_notebook, screenshot):
    """'sixty' in the SLR box: a message beside it; the chart, phase card and plan stay."""
    app = _app(lab_notebook)
    digest = h.image_digest(app.chart)
    src = app.chart.get_attribute("src")
    phase = app.phase_card_text()
    app.tab("Flexibility")
    app.enter("flexibility.slr_deg.left", "sixty")
    message = app.message("flexibility.slr_deg.left")
    _wait_text(app, "([el]) => el.innerText.includes('is not a number')", where=message)
    assert message.is_visible() and "sixty" in message.inner_text()
    assert "0 to 130" in message.inner_text()  # the accepted range, beside the box
    assert app.box("flexibility.slr_deg.left").input_value() == "sixty"  # the entry is kept
    assert app.root.locator(".lbp-status", has_text="An entry needs fixing").first.is_visible()
    app.page.wait_for_timeout(1500)  # give a wrong redraw the time to show up
    assert app.chart.get_attribute("src") == src
    assert h.image_digest(app.chart) == digest
    assert app.phase_card_text() == phase
    assert app.plan.is_visible() and "Exercise plan for phase" in app.plan.inner_text()
    message.scroll_into_view_if_needed()
    screenshot(app.page, "invalid-message")
    h.assert_console_clean(app.page)


@pytest.mark.browser
def test_assessment_app_red_flag_shows_referral_and_hides_plan(lab_notebook, screenshot):
    """Ticking a red flag: the REFER banner appears, training goes on hold, the plan goes."""
    app = _app(lab_notebook)
    assert "No referral needed" in app.banner.inner_text()
    assert app.plan.is_visible()
    app.tab("Screening")
    flag = app.root.locator(f".{_field('screening.red_flags')} input[type=checkbox]").first
    flag.check()
    _wait_text(app, "([el]) => el.innerText.includes('REFER — ')", where=app.banner)
    assert app.banner.is_visible() and "No referral needed" not in app.banner.inner_text()
    card = app.phase_card_text()
    assert "Training on hold until cleared" in card
    for word in ("Phase 1", "Phase 2", "Phase 3", "Trunk strengthening", "Gates"):
        assert word not in card, word
    assert app.plan.is_hidden() and app.whatif.is_hidden()
    flag.scroll_into_view_if_needed()
    screenshot(app.page, "red-flag-ticked")
    app.banner.scroll_into_view_if_needed()
    screenshot(app.page, "referral-banner")
    h.assert_console_clean(app.page)


@pytest.mark.browser
def test_assessment_app_summary_button_downloads_the_pdf(lab_notebook, screenshot):
    """'Client summary (HTML + PDF)': the paths appear beside the buttons and the PDF link
    downloads a PDF (a data URL, no server path), named after the client's summary file."""
    app = _app(lab_notebook)
    app.root.locator(".lbp-summary-button").first.click()
    link = app.root.locator(".lbp-summary-links a.lbp-summary-pdf").first
    link.wait_for(timeout=120_000)
    message = app.root.locator(".lbp-files-message").first.inner_text()
    assert "Client summary of sam" in message and ".pdf" in message
    with app.page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.startswith("summary_sam_")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    link.scroll_into_view_if_needed()
    screenshot(app.page, "summary-links")
    h.assert_console_clean(app.page)


@pytest.mark.browser
def test_assessment_app_file_box_exports_then_deletes_a_saved_client(lab_notebook, screenshot):
    """Issue 10: save, export (the CSV link downloads the client's rows), then delete, which
    asks first ("Yes, delete sam") and removes the client from the list."""
    app = _app(lab_notebook)
    app.root.get_by_role("button", name="Save client").click()
    _wait_text(app, "([el]) => el.innerText.includes('Saved client sam')")
    app.root.locator("select").filter(
        has=app.page.locator("option:text-is('sam')")).first.select_option(label="sam")
    app.root.get_by_role("button", name="Export client (CSV + JSON)").click()
    link = app.root.locator(".lbp-export-links a.lbp-export-csv").first
    link.wait_for(timeout=120_000)
    with app.page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.startswith("sam-")
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as handle:
        assert handle.readline().startswith("schema,client.id,date")
        assert ",sam," in handle.readline()
    app.root.get_by_role("button", name="Delete client…").click()
    confirm = app.root.get_by_role("button", name="Yes, delete sam")
    confirm.wait_for(timeout=60_000)
    # The button and the message are two widgets updated by two messages: wait for both.
    _wait_text(app, "([el]) => el.innerText.includes('cannot be undone')",
               where=app.root.locator(".lbp-files-message").first)
    confirm.scroll_into_view_if_needed()
    screenshot(app.page, "delete-confirm")
    confirm.click()
    _wait_text(app, "([el]) => el.innerText.includes('Deleted sam')")
    assert confirm.is_hidden()
    h.assert_console_clean(app.page)
