"""Folders: discovery and output names."""

import json
import os
from pathlib import Path

from pipeline.folders import InputFile, discover, plan_outputs

from .test_batch import make_tree


def test_discovery_is_recursive_sorted_and_says_what_it_passed_over(tmp_path):
    make_tree(tmp_path / "in")
    outside = tmp_path / "outside.txt"
    outside.write_text("خارج", encoding="utf-8")
    os.symlink(outside, tmp_path / "in" / "link-out.txt")
    os.symlink(tmp_path / "in" / "world", tmp_path / "in" / "link-dir")
    files, passed = discover([tmp_path / "in"])
    assert [f.rel for f in files] == ["a.md", "a.txt", "empty.txt", "world/europe/karabakh.txt", "موجز الأخبار.txt"]
    assert {(p.input, p.status) for p in passed} == {
        ("photo.jpg", "skipped"), ("link-out.txt", "skipped"), ("link-dir", "skipped")}


def test_a_named_pipe_is_passed_over_not_read(tmp_path):
    """Reading a FIFO waits for a writer forever: one pipe hung the whole batch."""
    make_tree(tmp_path / "in")
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    files, passed = discover([tmp_path / "in"])
    assert "pipe.txt" not in [f.rel for f in files] and "a.txt" in [f.rel for f in files]
    assert [(p.input, p.status, p.reason) for p in passed if p.input == "pipe.txt"] == [
        ("pipe.txt", "skipped", "not a regular file (a named pipe, socket or device): not read")]
    files, passed = discover([tmp_path / "in" / "pipe.txt"])  # named on the command line
    assert files == [] and [(p.status, p.reason) for p in passed] == [
        ("failed", "not a regular file (a named pipe, socket or device): not read")]


def test_output_names_never_collide():
    files = [InputFile(Path(f"/x/{rel}"), rel) for rel in ("a.txt", "a.md", "b.txt", "sub/a.txt", "c.docx", "c")]
    plan_outputs(files)
    assert [f.stem for f in files] == ["a.txt", "a.md", "b", "sub/a", "c.docx", "c"]


def _inputs(*rels: str) -> list[InputFile]:
    return [InputFile(Path(f"/x/{rel}"), rel) for rel in rels]


def _record(out: Path, name: str, source_path: str | None) -> None:
    """A record as Tarjama writes it, reduced to what names it (`document.source_path`)."""
    path = out / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"id": source_path, "source_sha256": "0" * 64, "format": "txt"}
    if source_path is not None:
        document["source_path"] = source_path
    path.write_text(json.dumps({"schema_version": 1, "document": document,
                                "paragraphs": [{"id": "p0001", "source": "بحث الرئيس الروسي."}]},
                               ensure_ascii=False), encoding="utf-8")


def plan(out: Path, *rels: str, reserved: tuple[str, ...] = ()) -> dict[str, str]:
    files = _inputs(*rels)
    plan_outputs(files, reserved, output_dir=out)
    assert len({f.stem.lower() for f in files}) == len(files)  # never one name for two inputs
    return {f.rel: f.stem for f in files}


def test_an_input_keeps_its_records_name_when_a_clash_appears(tmp_path):
    """k.txt, translated and reviewed as k, was renamed k.txt when k.md came beside it: a fresh
    k.txt.json without the editor's reviews, and the old k.json left to be published."""
    _record(tmp_path, "k", "k.txt")
    assert plan(tmp_path, "k.md", "k.txt") == {"k.md": "k.md", "k.txt": "k"}
    assert plan(tmp_path, "k.docx", "k.md", "k.txt") == {"k.docx": "k.docx", "k.md": "k.md", "k.txt": "k"}
    _record(tmp_path, "k", "k.md")  # whichever input the record is: that one keeps the plain stem
    assert plan(tmp_path, "k.md", "k.txt") == {"k.md": "k", "k.txt": "k.txt"}
    _record(tmp_path, "K", "K.txt")  # a name differing only in case is the same name
    named = plan(tmp_path, "K.txt", "k.md")
    assert sorted(n.lower() for n in named.values()) in (["k", "k.md"], ["k", "k.txt"])
    # the plain stem of an unrelated article (another folder's k.txt) is no claim
    _record(tmp_path, "k", "world/k.txt")
    assert plan(tmp_path, "k.md", "k.txt") == {"k.md": "k.md", "k.txt": "k.txt"}


def test_a_numbered_name_of_an_earlier_clash_is_kept_once_the_clash_is_gone(tmp_path):
    """LEAD.txt beside lead.txt made it lead.txt-2 (names differing only in case are one name);
    once LEAD.txt was deleted, lead.txt became lead, a fresh record without its reviews."""
    assert plan(tmp_path, "LEAD.txt", "lead.txt") == {"LEAD.txt": "LEAD.txt", "lead.txt": "lead.txt-2"}
    _record(tmp_path, "LEAD.txt", "LEAD.txt")
    _record(tmp_path, "lead.txt-2", "lead.txt")
    assert plan(tmp_path, "lead.txt") == {"lead.txt": "lead.txt-2"}
    assert plan(tmp_path, "LEAD.txt", "lead.txt") == {"LEAD.txt": "LEAD.txt", "lead.txt": "lead.txt-2"}
    _record(tmp_path, "lead", "lead.txt")  # its plain stem's record is its own too: the plain stem
    assert plan(tmp_path, "lead.txt") == {"lead.txt": "lead"}
    _record(tmp_path, "other-2", "other.md")  # another input's numbered record is no claim
    assert plan(tmp_path, "other.txt") == {"other.txt": "other"}


def test_an_input_named_in_an_earlier_clash_keeps_that_name_once_it_is_gone(tmp_path):
    """Deleting k.md flipped k.txt back to k, out of sight of the reviews in k.txt.docx."""
    _record(tmp_path, "k.txt", "k.txt")
    _record(tmp_path, "k.md", "k.md")
    assert plan(tmp_path, "k.txt") == {"k.txt": "k.txt"}
    _record(tmp_path, "k", "k.md")  # k.md's record of another time, left behind
    assert plan(tmp_path, "k.txt") == {"k.txt": "k.txt"}
    _record(tmp_path, "k", "k.txt")  # both its own: the plain stem
    assert plan(tmp_path, "k.txt") == {"k.txt": "k"}
    (tmp_path / "k.json").unlink()
    for damaged in ('{"document": {"source_path": "k.t', "\xff\xfe{}", '{"document": {}}', "[]"):
        (tmp_path / "k.txt.json").write_bytes(damaged.encode("latin-1"))  # unreadable or no field: no record
        assert plan(tmp_path, "k.txt") == {"k.txt": "k"}
    _record(tmp_path, "k.txt", None)
    assert plan(tmp_path, "k.txt") == {"k.txt": "k"}


def test_without_records_of_their_own_names_are_as_before(tmp_path):
    rels = ("a.txt", "a.md", "b.txt", "sub/a.txt", "c.docx", "c", "موجز الأخبار.txt", "_batch.txt")
    expected = ["a.txt", "a.md", "b", "sub/a", "c.docx", "c", "موجز الأخبار", "_batch-2"]
    assert list(plan(tmp_path / "absent", *rels, reserved=("_batch",)).values()) == expected
    assert list(plan(tmp_path, *rels, reserved=("_batch",)).values()) == expected
    _record(tmp_path, "a", "b.txt")
    _record(tmp_path, "b.txt", "a.txt")
    _record(tmp_path, "موجز الأخبار.txt", "موجز الأخبار.md")
    assert list(plan(tmp_path, *rels, reserved=("_batch",)).values()) == expected


def test_a_reserved_name_is_never_claimed(tmp_path):
    (tmp_path / "_batch.json").write_text('{"files": []}', encoding="utf-8")  # the run report
    assert plan(tmp_path, "_batch.txt", reserved=("_batch",)) == {"_batch.txt": "_batch-2"}
    _record(tmp_path, "_batch", "_batch.txt")  # even a record under it
    assert plan(tmp_path, "_batch.md", "_batch.txt", reserved=("_batch",)) == {
        "_batch.md": "_batch.md", "_batch.txt": "_batch.txt"}
    assert plan(tmp_path, "_batch.txt", reserved=("_batch",)) == {"_batch.txt": "_batch-2"}


def test_in_a_subfolder_the_records_a_run_wrote_keep_their_names(tmp_path):
    """The records a run writes name their input by its path in the input folder, subfolders
    and all: an article there keeps its record's name when another comes beside it, and after."""
    from .test_batch import runner

    make_tree(tmp_path / "in")
    europe = tmp_path / "in" / "world" / "europe"
    runner(tmp_path).run(*discover([tmp_path / "in"]))
    out = tmp_path / "out"
    record = json.loads((out / "world" / "europe" / "karabakh.json").read_text(encoding="utf-8"))
    assert record["document"]["source_path"] == "world/europe/karabakh.txt"
    (europe / "karabakh.md").write_text("بحث الرئيس الروسي فلاديمير بوتين.\n", encoding="utf-8")
    (tmp_path / "in" / "karabakh.md").write_text("# قره باغ\n", encoding="utf-8")  # no clash: another folder
    files, _ = discover([tmp_path / "in"])
    plan_outputs(files, ("_batch",), output_dir=out)
    stems = {f.rel: f.stem for f in files}
    assert (stems["world/europe/karabakh.txt"], stems["world/europe/karabakh.md"], stems["karabakh.md"]) == (
        "world/europe/karabakh", "world/europe/karabakh.md", "karabakh")
    assert (stems["a.txt"], stems["a.md"]) == ("a.txt", "a.md")  # clashed from the start: as they were
    (tmp_path / "in" / "a.md").unlink()
    files, _ = discover([tmp_path / "in"])
    plan_outputs(files, ("_batch",), output_dir=out)
    assert {f.rel: f.stem for f in files}["a.txt"] == "a.txt"


def test_a_killed_writers_temporary_goes_and_one_being_written_stays(tmp_path):
    """A kill -9 left `.a.json.xyz.part` files that re-runs kept for an hour. A writer holds a
    lock on its temporary until it is renamed: one nobody holds is removed at once."""
    import fcntl
    import time

    from pipeline.folders import remove_stale_temporaries

    killed, writing = tmp_path / ".a.json.k1.part", tmp_path / "sub" / ".b.docx.w2.part"
    writing.parent.mkdir()
    for path in (killed, writing):
        path.write_bytes(b"half")
        os.utime(path, (time.time() - 30, time.time() - 30))
    held = os.open(writing, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        remove_stale_temporaries(tmp_path)
        assert not killed.exists() and writing.exists()
    finally:
        os.close(held)
    fresh = tmp_path / ".c.json.f3.part"
    fresh.write_bytes(b"")  # just made: its writer may not hold it yet
    remove_stale_temporaries(tmp_path)
    assert fresh.exists() and not writing.exists()


def test_a_symbolic_link_in_a_loop_fails_alone_and_the_batch_goes_on(tmp_path):
    """Two links pointing at each other (`a.txt → b.txt → a.txt`) stopped the whole batch with a
    traceback before any article was read (pathlib's resolve raises RuntimeError on a loop). The
    link is now one failed file naming the loop; the rest of the folder is translated."""
    from .test_batch import runner

    make_tree(tmp_path / "in")
    os.symlink("loop-b.txt", tmp_path / "in" / "loop-a.txt")
    os.symlink("loop-a.txt", tmp_path / "in" / "loop-b.txt")
    report = runner(tmp_path).run(*discover([tmp_path / "in"]))
    results = {f.input: (f.status, f.reason) for f in report.files}
    assert results["loop-a.txt"] == results["loop-b.txt"] == (
        "failed", "cannot read file: Too many levels of symbolic links")
    assert results["world/europe/karabakh.txt"] == ("done", "")


def test_a_symbolic_link_in_a_loop_named_on_the_command_line_is_one_line(tmp_path):
    """Named on the command line, the same link was a traceback (the check that the output
    folder is not the input folder resolved it)."""
    from pipeline.batch import translate_paths
    from pipeline.config import load_settings

    from ..helpers import DictionaryTranslator
    from .test_batch import _empty_config

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("نص أول.\n", encoding="utf-8")
    os.symlink("loop-b.txt", tmp_path / "loop-a.txt")
    os.symlink("loop-a.txt", tmp_path / "loop-b.txt")
    settings = load_settings(_empty_config(tmp_path), ["memory.enabled=false"])
    report = translate_paths(settings, [tmp_path / "loop-a.txt", tmp_path / "in"], tmp_path / "out",
                             model=DictionaryTranslator())
    assert {(f.input, f.status, f.reason) for f in report.files} == {
        (str(tmp_path / "loop-a.txt"), "failed", "cannot read it: Too many levels of symbolic links"),
        ("in/a.txt", "done", "")}  # two paths: named from the folder they share


def test_an_article_named_like_the_run_report_keeps_its_record(tmp_path):
    """`_batch.txt` had its record written to `_batch.json`, then replaced by the run report: the
    article was translated again on every run and left out of export-tmx and publish."""
    from pipeline.export.record import read_record

    from .test_batch import runner

    (tmp_path / "in").mkdir()
    for name in ("_batch.txt", "other.txt"):
        (tmp_path / "in" / name).write_text("بحث الرئيس الروسي فلاديمير بوتين.\n", encoding="utf-8")
    report = runner(tmp_path).run(*discover([tmp_path / "in"]))
    out = tmp_path / "out"
    assert [(f.input, f.status, f.outputs[0]) for f in report.files] == [
        ("_batch.txt", "done", (out / "_batch-2.json").as_posix()), ("other.txt", "done", (out / "other.json").as_posix())]
    assert read_record(out / "_batch-2.json").document.source_path == "_batch.txt"
    assert "tarjama_version" in json.loads((out / "_batch.json").read_text(encoding="utf-8"))
    again = runner(tmp_path).run(*discover([tmp_path / "in"]))
    assert [f.status for f in again.files] == ["skipped", "skipped"]  # unchanged: not translated again


def test_an_earlier_runs_review_documents_in_a_folder_of_articles_are_not_translated(tmp_path):
    """`tarjama translate . -o out4` in a folder holding the outputs of earlier runs translated
    their review DOCX as articles — 648 rows of Arabic and English for one 13-paragraph article,
    each as a new 'article'. They are passed over and named."""
    from .test_batch import runner

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("بحث الرئيس الروسي فلاديمير بوتين.\n", encoding="utf-8")
    runner(tmp_path).run(*discover([tmp_path / "in"]))  # out/a.docx: a review document
    (tmp_path / "in" / "earlier").mkdir()
    (tmp_path / "in" / "earlier" / "a.docx").write_bytes((tmp_path / "out" / "a.docx").read_bytes())
    report = runner(tmp_path).run(*discover([tmp_path / "in"]))
    assert [(f.input, f.status, f.reason) for f in report.files] == [
        ("a.txt", "skipped", "unchanged since its outputs were written (--force redoes it)"),
        ("earlier/a.docx", "skipped", "a Tarjama review document (the output of a run), not an article: translate the "
                                      "article it was made from")]
    # Saved again by a tool that drops the core properties (an online editor): still the review
    # table, still passed over (it was translated: the subject was all that told it).
    import zipfile

    with zipfile.ZipFile(tmp_path / "out" / "a.docx") as original, \
            zipfile.ZipFile(tmp_path / "in" / "earlier" / "a.docx", "w") as resaved:
        for info in original.infolist():
            if info.filename == "docProps/core.xml":
                continue
            data = original.read(info.filename)
            if info.filename in ("[Content_Types].xml", "_rels/.rels"):
                data = data.replace(b"docProps/core.xml", b"docProps/none.xml")
            resaved.writestr(info, data)
    report = runner(tmp_path).run(*discover([tmp_path / "in"]))
    assert [(f.input, f.status) for f in report.files] == [("a.txt", "skipped"), ("earlier/a.docx", "skipped")]
    assert "a Tarjama review document" in report.files[1].reason


# --- one tree root: the input folder, else the folder several paths share ----------------------

NTREX = Path(__file__).resolve().parent.parent / "data" / "ntrex-dev" / "articles"


def _newsroom(root: Path) -> None:
    """input/ with world/x.txt, top.txt and a photo; real articles (NTREX, Arabic)."""
    (root / "world").mkdir(parents=True)
    (root / "world" / "x.txt").write_bytes((NTREX / "bbc.381646.ar.txt").read_bytes())
    (root / "world" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (root / "top.txt").write_bytes((NTREX / "abcnews.306755.ar.txt").read_bytes())


def test_inside_the_input_folder_every_name_is_relative_to_it(tmp_path, monkeypatch):
    """input/world/ named alone wrote output/x.json beside the output/world/x.json of the whole
    folder's run (without its reviews); input/world/x.txt compared itself with output/x.json."""
    _newsroom(tmp_path / "input")
    root = tmp_path / "input"
    whole, _ = discover([root], root=root)
    assert [f.rel for f in whole] == ["top.txt", "world/x.txt"]
    files, passed = discover([root / "world"], root=root)
    assert [f.rel for f in files] == ["world/x.txt"]
    assert [(p.input, p.status) for p in passed] == [("world/photo.jpg", "skipped")]  # messages say it too
    files, _ = discover([root / "world" / "x.txt"], root=root)
    assert [(f.rel, f.explicit) for f in files] == [("world/x.txt", True)]
    monkeypatch.chdir(tmp_path)  # as typed on the command line: relative, the setting absolute
    files, _ = discover([Path("input/world"), Path("input/top.txt")], root=root)
    assert [f.rel for f in files] == ["world/x.txt", "top.txt"]
    files, _ = discover([Path("input"), Path("input/world")], root=root)  # one file named twice: read once
    assert [f.rel for f in files] == ["top.txt", "world/x.txt"]


def test_several_paths_outside_it_are_named_from_the_folder_they_share(tmp_path):
    """in/politics and in/sports, each with a story.txt, were story.txt and story.txt-2 in
    command-line order (both records' source_path "story.txt"); in/arts reshuffled them."""
    texts = {"politics": "abcnews.306755.ar.txt", "sports": "abcnews.306758.ar.txt", "arts": "bbc.381646.ar.txt"}
    for desk, name in texts.items():
        (tmp_path / "in" / desk).mkdir(parents=True)
        (tmp_path / "in" / desk / "story.txt").write_bytes((NTREX / name).read_bytes())
    elsewhere = tmp_path / "input"
    elsewhere.mkdir()
    desks = [tmp_path / "in" / desk for desk in ("sports", "politics")]
    files, _ = discover(desks, root=elsewhere)
    assert [f.rel for f in files] == ["sports/story.txt", "politics/story.txt"]
    files, _ = discover([tmp_path / "in" / "arts", *desks], root=elsewhere)
    assert [f.rel for f in files] == ["arts/story.txt", "sports/story.txt", "politics/story.txt"]
    files, _ = discover([tmp_path / "in" / "arts" / "story.txt", tmp_path / "in" / "sports"], root=elsewhere)
    assert [f.rel for f in files] == ["arts/story.txt", "sports/story.txt"]  # a file: from its folder


def test_one_path_outside_it_is_its_own_root(tmp_path):
    _newsroom(tmp_path / "elsewhere")
    (tmp_path / "input").mkdir()
    files, passed = discover([tmp_path / "elsewhere" / "world"], root=tmp_path / "input")
    assert [f.rel for f in files] == ["x.txt"] and [p.input for p in passed] == ["photo.jpg"]
    files, _ = discover([tmp_path / "elsewhere" / "world" / "x.txt"], root=tmp_path / "input")
    assert [f.rel for f in files] == ["x.txt"]
    files, _ = discover([tmp_path / "elsewhere" / "world", tmp_path / "nowhere"], root=tmp_path / "input")
    assert [f.rel for f in files] == ["x.txt"]  # a typo beside it renames nothing
