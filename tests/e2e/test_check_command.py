"""`tarjama check SOURCE TARGET`: QA of an existing translation."""

import json

from ..helpers import DATA, ROOT, run_cli

ARTICLE = DATA / "ntrex-dev" / "articles" / "bbc.381646"


def test_a_clean_human_translation_prints_a_summary(tmp_path):
    result = run_cli("check", f"{ARTICLE}.ar.txt", f"{ARTICLE}.en.txt")
    assert result.returncode == 0, result.stderr
    # The dialect check's one false alarm here (an MSA sentence the model alone scored spoken) is gone (docs/checks.md:
    # no clean NTREX paragraph flagged); what is left is information, nothing to review.
    assert result.stdout.splitlines()[-1].startswith("tarjama: 14 paragraphs checked, 0 need review (")
    # which settings were in force: a run from another folder has no glossary, and says so
    assert result.stdout.splitlines()[-1].endswith(f"; config: {ROOT / 'config.yaml'}")
    elsewhere = run_cli("check", f"{ARTICLE}.ar.txt", f"{ARTICLE}.en.txt", "--json", cwd=tmp_path)
    assert json.loads(elsewhere.stdout)["config"] == "built-in defaults"


def test_faults_are_listed_per_line_and_as_json(tmp_path):
    english = f"{ARTICLE}.en.txt"
    lines = open(english, encoding="utf-8").read().splitlines()
    lines[1] = lines[1].replace("24-year-old", "42-year-old")    # a number changed
    lines[3] = ""                                                 # a paragraph left untranslated
    faulty = tmp_path / "faulty.en.txt"
    faulty.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("check", f"{ARTICLE}.ar.txt", str(faulty), "--strict")
    assert result.returncode == 1
    assert f"{faulty}:2: p0002 warning: number_changed: 24 in the Arabic but 42 in the English" in result.stdout
    assert f"{faulty}:4: p0004 error: empty_target: there is no English for this paragraph" in result.stdout
    data = json.loads(run_cli("check", f"{ARTICLE}.ar.txt", str(faulty), "--json").stdout)
    assert [p["status"] for p in data["paragraphs"]].count("needs_review") == 2
    assert data["paragraphs"][1]["flags"][0] == {"code": "number_changed", "severity": "warning",
                                                 "message": "24 in the Arabic but 42 in the English",
                                                 "evidence": {"missing": ["24"], "extra": ["42"]}}
    assert data["summary"]["flagged"] == 2


def test_glossary_option(tmp_path):
    source = tmp_path / "a.ar.txt"
    target = tmp_path / "a.en.txt"
    source.write_text("وقّع الرئيس الأذربيجاني إلهام علييف ورئيس الوزراء الأرمني نيكول باشينيان على بيان مشترك.\n", encoding="utf-8")
    target.write_text("Azerbaijani President Ilham Aliyev and Armenian Prime Minister Nikol Pashinian signed a joint statement.\n",
                      encoding="utf-8")
    result = run_cli("check", str(source), str(target), "--glossary", str(ROOT / "docs" / "glossary.example.yaml"))
    assert "warning: glossary: «باشينيان» should be rendered as Pashinyan" in result.stdout
    assert "glossary: glossary:" not in result.stdout


def test_mismatched_line_counts_are_a_clear_error(tmp_path):
    target = tmp_path / "short.en.txt"
    target.write_text("Only one line.\n", encoding="utf-8")
    result = run_cli("check", f"{ARTICLE}.ar.txt", str(target))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"tarjama: error: {ARTICLE}.ar.txt has 14 lines but {target} has 1 line: "
                                     "the files must be line-aligned, one paragraph per line")


def test_empty_last_english_lines_are_empty_targets_not_a_misalignment(tmp_path):
    lines = open(f"{ARTICLE}.en.txt", encoding="utf-8").read().splitlines()
    target = tmp_path / "unfinished.en.txt"
    target.write_text("\n".join(lines[:12] + ["", ""]) + "\n", encoding="utf-8")   # the last two left empty
    result = run_cli("check", f"{ARTICLE}.ar.txt", str(target))
    assert result.returncode == 0, result.stderr
    assert f"{target}:13: p0013 error: empty_target: there is no English for this paragraph" in result.stdout
    assert f"{target}:14: p0014 error: empty_target: there is no English for this paragraph" in result.stdout
    # English text beyond the Arabic's last line is a misalignment
    target.write_text("\n".join(lines + ["An extra line."]) + "\n", encoding="utf-8")
    result = run_cli("check", f"{ARTICLE}.ar.txt", str(target))
    assert result.returncode == 2 and "has 14 lines but" in result.stderr and "has 15" in result.stderr


def test_english_opposite_a_blank_arabic_line_is_a_misalignment_and_lines_are_newlines(tmp_path):
    arabic, english = tmp_path / "a.ar.txt", tmp_path / "a.en.txt"
    arabic.write_text("قتل ثلاثة أشخاص.\n\nأصيب خمسة آخرون.\n", encoding="utf-8")
    english.write_text("Three people were killed.\nTwo people were killed.\nFive others were hurt.\n", encoding="utf-8")
    result = run_cli("check", str(arabic), str(english))          # the middle line would vanish unseen
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert f"{english}:2 has English where {arabic} has a blank line" in result.stderr
    # … a blank last line too, as `wc -l` counts it (a newcomer's trial: it read "has 1 lines")
    arabic.write_text("قتل ثلاثة أشخاص.\n\n", encoding="utf-8")
    english.write_text("Three were killed.\nExtra.\n", encoding="utf-8")
    result = run_cli("check", str(arabic), str(english))
    assert result.returncode == 2 and f"{english}:2 has English where {arabic} has a blank line" in result.stderr
    english.write_text("Three were killed.\n", encoding="utf-8")
    result = run_cli("check", str(arabic), str(english))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("tarjama: 1 paragraph checked, ")
    # a U+2028 or a form feed inside a line is not a line of its own (as wc -l counts), and a
    # review sheet can hold it (a form feed was a traceback)
    arabic.write_text("قتل ثلاثة أشخاص.\nأصيب خمسة آخرون.\n", encoding="utf-8")
    english.write_text("Three people\u2028were killed.\nFive others\x0cwere hurt.\n", encoding="utf-8")
    result = run_cli("check", str(arabic), str(english), "--json")
    assert result.returncode == 0, result.stderr
    assert [p["line"] for p in json.loads(result.stdout)["paragraphs"]] == [1, 2]
    arabic.write_text("قتل ثلاثة\x0cأشخاص.\nأصيب خمسة آخرون.\n", encoding="utf-8")
    sheet = run_cli("check", str(arabic), str(english), "--docx", str(tmp_path / "s.docx"))
    assert sheet.returncode == 0 and sheet.stderr.count("\n") == 1, sheet.stderr


def test_output_piped_into_head_ends_quietly(tmp_path):
    import sys

    from ..helpers import run_process

    for side in ("ar", "en"):  # 1,000 NTREX line pairs: 150 kB of JSON, more than a pipe holds
        lines = (DATA / "ntrex-dev" / f"ntrex.dev.{side}").read_text(encoding="utf-8").splitlines()[:1000]
        (tmp_path / f"pairs.{side}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = f"{sys.executable} -m pipeline check {tmp_path}/pairs.ar {tmp_path}/pairs.en --json | head -n 2"
    result = run_process(["bash", "-c", command])
    assert result.stdout.splitlines() == ["{", f'  "source": "{tmp_path}/pairs.ar",']
    assert result.stderr == ""                                   # no BrokenPipeError traceback


def test_a_human_translation_gets_the_same_review_sheet_and_round_trip(tmp_path):
    import docx

    from pipeline.export.docx.layout import ENGLISH, STATUS

    from ..editor import Editor
    from ..helpers import validate_record

    sheet = tmp_path / "review" / "bbc.docx"
    result = run_cli("check", f"{ARTICLE}.ar.txt", f"{ARTICLE}.en.txt", "--docx", str(sheet))
    assert result.returncode == 0, result.stderr
    record = json.loads(sheet.with_suffix(".json").read_text(encoding="utf-8"))
    validate_record(record)
    assert record["model"]["backend"] == "human" and len(record["paragraphs"]) == 14
    english = open(f"{ARTICLE}.en.txt", encoding="utf-8").read().splitlines()
    rows = docx.Document(str(sheet)).tables[-1].rows[1:]
    assert [row.cells[ENGLISH].text for row in rows] == english[:14]
    editor = Editor(sheet)
    editor.set_english("p0002", english[1].replace("24-year-old", "24-year-old Scottish"))
    editor.set_status("p0002", "approved")
    editor.save()
    imported = run_cli("import-review", str(sheet))
    assert imported.returncode == 0, imported.stderr
    paragraphs = json.loads(sheet.with_suffix(".json").read_text(encoding="utf-8"))["paragraphs"]
    review = paragraphs[1]["review"]
    assert review["status"] == "approved" and "24-year-old Scottish" in review["editor_target"]
    assert len(rows[0].cells) > STATUS
    # the rows the editor left alone are the translator's English, not an editor's edit
    assert "1 approved, 0 rejected, 1 edited" in imported.stdout
    assert [p["id"] for p in paragraphs if (p.get("review") or {}).get("editor_target")] == ["p0002"]

    # An approval is of the English the editor saw: when the translator revises that line later,
    # the approved English stays (as the editor's), never the approval on text nobody reviewed.
    revised = tmp_path / "revised.en.txt"
    lines = english[:]
    lines[2] = "REVISED BY THE TRANSLATOR: " + lines[2]
    revised.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kept = tmp_path / "kept" / "bbc.docx"
    assert run_cli("check", f"{ARTICLE}.ar.txt", str(revised), "--docx", str(kept)).returncode == 0
    editor = Editor(kept)
    editor.set_status("p0003", "approved")
    editor.save()
    assert run_cli("import-review", str(kept)).returncode == 0
    later = tmp_path / "later.en.txt"
    lines[2] = "REVISED AGAIN: " + english[2]
    later.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_cli("check", f"{ARTICLE}.ar.txt", str(later), "--docx", str(kept)).returncode == 0
    review = json.loads(kept.with_suffix(".json").read_text(encoding="utf-8"))["paragraphs"][2]["review"]
    assert review["status"] == "approved" and review["editor_target"].startswith("REVISED BY THE TRANSLATOR: ")

    # The same command again: the imported review stays, in the record and in the new sheet.
    again = run_cli("check", f"{ARTICLE}.ar.txt", f"{ARTICLE}.en.txt", "--docx", str(sheet))
    assert again.returncode == 0, again.stderr
    record = json.loads(sheet.with_suffix(".json").read_text(encoding="utf-8"))
    validate_record(record)
    review = record["paragraphs"][1]["review"]
    assert review["status"] == "approved" and "24-year-old Scottish" in review["editor_target"]
    assert "24-year-old Scottish" in docx.Document(str(sheet)).tables[-1].rows[2].cells[ENGLISH].text

    # An edit not imported yet is never overwritten: one line, both files untouched.
    editor = Editor(sheet)
    editor.set_status("p0003", "rejected")
    editor.save()
    before = {path.name: path.read_bytes() for path in sheet.parent.iterdir() if path.is_file()}
    refused = run_cli("check", f"{ARTICLE}.ar.txt", f"{ARTICLE}.en.txt", "--docx", str(sheet))
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "bbc.docx was changed after Tarjama wrote it" in refused.stderr
    assert {path.name: path.read_bytes() for path in sheet.parent.iterdir() if path.is_file()} == before


def test_a_missing_unreadable_or_empty_file_is_exit_2_not_strict_s_1(tmp_path):
    """`--strict` exits 1 for "needs review"; a job whose file is missing, binary or empty must
    not look like that to CI."""
    empty = tmp_path / "empty.ar.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    binary = tmp_path / "picture.en.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    cases = [(f"{ARTICLE}.ar.txt", str(tmp_path / "nope.en.txt"), f"{tmp_path / 'nope.en.txt'}: no such file"),
             (str(empty), str(empty), f"{empty}: empty (no paragraph to check)"),
             (f"{ARTICLE}.ar.txt", str(binary), f"{binary}: ")]
    for source, target, message in cases:
        result = run_cli("check", source, target, "--strict")
        assert result.returncode == 2, (source, target, result.stderr)
        assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"tarjama: error: {message}")


def test_a_review_sheet_name_that_is_not_docx_is_refused_before_any_file_is_written(tmp_path):
    """`--docx chk/out.txt` (a slip for .docx) wrote a DOCX named out.txt and rewrote chk/out.json,
    the record of the sheet chk/out.docx an editor had already imported."""
    sheet = tmp_path / "chk" / "out.docx"
    assert run_cli("check", f"{ARTICLE}.ar.txt", f"{ARTICLE}.en.txt", "--docx", str(sheet)).returncode == 0
    record = sheet.with_suffix(".json").read_bytes()
    for wrong in (tmp_path / "chk" / "out.txt", tmp_path / "chk"):
        result = run_cli("check", f"{ARTICLE}.ar.txt", f"{ARTICLE}.en.txt", "--docx", str(wrong))
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert f"{wrong}: --docx takes the review sheet's file name, ending .docx" in result.stderr
    assert sorted(p.name for p in sheet.parent.iterdir()) == ["out.docx", "out.json"]
    assert sheet.with_suffix(".json").read_bytes() == record
