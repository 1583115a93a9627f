"""The message catalogues: Simplified Chinese complete, Traditional Chinese generated from it."""

import importlib.util
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "translations.py"
# Python and brace placeholders: %(name)s, %s, %d, {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


@pytest.fixture(scope="module")
def translations():
    """scripts/translations.py, loaded as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("keguan_translations_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def simplified(translations):
    return polib.pofile(str(translations.SIMPLIFIED))


@pytest.fixture(scope="module")
def traditional(translations):
    return polib.pofile(str(translations.TRADITIONAL))


def msgstr(po: polib.POFile, msgid: str) -> str:
    entry = po.find(msgid)
    assert entry is not None, f"{msgid!r} is not in {po.fpath}"
    return entry.msgstr or entry.msgstr_plural.get(0, "")


def test_the_simplified_catalogue_has_no_untranslated_or_fuzzy_entry(translations, simplified):
    assert translations.catalogue_problems(simplified) == []


def test_the_simplified_catalogue_declares_its_language_and_plural_forms(simplified):
    assert simplified.metadata["Language"] == "zh_Hans"
    assert simplified.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "charset=UTF-8" in simplified.metadata["Content-Type"]


def test_the_traditional_catalogue_is_exactly_what_the_script_generates(translations):
    committed = translations.TRADITIONAL.read_text(encoding="utf-8")
    assert committed == translations.generate(translations.SIMPLIFIED)


def test_the_check_passes_on_the_committed_catalogues(translations):
    assert translations.check() == []


def test_the_check_names_a_fuzzy_entry_and_a_stale_traditional_catalogue(
    translations, simplified, tmp_path
):
    source = tmp_path / "zh_Hans.po"
    target = tmp_path / "zh_Hant.po"
    target.write_text(translations.generate(translations.SIMPLIFIED), encoding="utf-8")
    changed = polib.pofile(str(translations.SIMPLIFIED))
    changed.find("Save").flags.append("fuzzy")
    changed.save(str(source))

    failures = translations.check(source, target)

    assert any("fuzzy: 'Save'" in failure for failure in failures)
    assert any("is not what zh_Hans generates" in failure for failure in failures)


def test_the_traditional_catalogue_declares_zh_hant_and_keeps_the_simplified_dates(
    simplified, traditional
):
    assert traditional.metadata["Language"] == "zh_Hant"
    for key in ("POT-Creation-Date", "PO-Revision-Date", "Plural-Forms"):
        assert traditional.metadata[key] == simplified.metadata[key]


def test_both_catalogues_hold_the_same_messages(simplified, traditional):
    def ids(po):
        return [(e.msgctxt, e.msgid, e.msgid_plural) for e in po if not e.obsolete]

    assert ids(traditional) == ids(simplified)


@pytest.mark.parametrize(
    ("msgid", "hans", "hant"),
    [
        ("Organizations", "单位", "單位"),
        ("Audit trail", "审计日志", "審計日誌"),
        ("Liaison officer", "科技联络员", "科技聯絡員"),
        ("Unified social credit code", "统一社会信用代码", "統一社會信用代碼"),
    ],
)
def test_sample_messages_are_written_in_simplified_and_in_traditional_characters(
    simplified, traditional, msgid, hans, hant
):
    assert hans in msgstr(simplified, msgid)
    assert hant in msgstr(traditional, msgid)
    assert msgstr(simplified, msgid) != msgstr(traditional, msgid)


def test_every_translation_keeps_the_placeholders_of_its_source(simplified, traditional):
    def placeholders(text):
        return sorted(PLACEHOLDER.findall(text))

    for po in (simplified, traditional):
        for entry in po:
            if entry.obsolete:
                continue
            expected = placeholders(entry.msgid)
            if entry.msgstr:
                assert placeholders(entry.msgstr) == expected, (
                    po.metadata["Language"],
                    entry.msgid,
                )
            # Chinese has one plural form, used for every count: it may keep the plural
            # source's placeholders (the count) as well as the singular's.
            either = (expected, placeholders(entry.msgid_plural or ""))
            for text in entry.msgstr_plural.values():
                if text:
                    assert placeholders(text) in either, (po.metadata["Language"], entry.msgid)
