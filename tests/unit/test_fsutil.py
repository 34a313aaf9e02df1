"""Atomic writes: an error names the file the user asked for, never the hidden temporary."""

import errno
import os

import pytest

from pipeline import fsutil


def test_a_write_error_names_the_target_not_the_temporary(tmp_path, monkeypatch):
    target = tmp_path / "junit.xml"
    real_mkstemp = fsutil.tempfile.mkstemp

    def read_only(*args, dir, prefix, suffix):
        raise OSError(errno.EROFS, "Read-only file system", os.path.join(dir, f"{prefix}g6f20few{suffix}"))

    monkeypatch.setattr(fsutil.tempfile, "mkstemp", read_only)
    with pytest.raises(OSError) as raised:
        fsutil.atomic_write_text(target, "x")
    assert (raised.value.errno, raised.value.filename) == (errno.EROFS, str(target))
    monkeypatch.setattr(fsutil.tempfile, "mkstemp", real_mkstemp)

    def disk_full(handle):  # a write or flush that fails names no file at all
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fsutil.os, "fsync", disk_full)
    with pytest.raises(OSError) as raised:
        fsutil.atomic_write_text(target, "x")
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, str(target))
    monkeypatch.undo()

    def refused(source, destination):
        raise PermissionError(errno.EACCES, "Permission denied", source, destination)

    monkeypatch.setattr(fsutil.os, "replace", refused)
    with pytest.raises(PermissionError) as raised:  # the kind of error is kept, for callers that catch it
        fsutil.atomic_write_text(target, "x")
    assert raised.value.filename == str(target)
    assert os.listdir(tmp_path) == []  # no temporary left behind


def test_an_error_that_names_another_file_is_left_as_it_is(tmp_path, monkeypatch):
    def elsewhere(source, destination):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "/somewhere/else")

    monkeypatch.setattr(fsutil.os, "replace", elsewhere)
    with pytest.raises(FileNotFoundError) as raised:
        fsutil.atomic_write_text(tmp_path / "a.json", "x")
    assert raised.value.filename == "/somewhere/else"


def test_a_name_as_long_as_the_file_system_takes_is_written(tmp_path):
    """An article named with 240 letters (or 120 Arabic ones, two bytes each) has outputs the file
    system takes (245 of its 255 bytes), but their temporaries, `.NAME.xxxxxxxx.part`, were 15 bytes
    longer: the article failed, `File name too long`. The temporary's name is cut to fit."""
    for name in ("a" * 250 + ".json", "خ" * 125 + ".json"):
        assert len(name.encode("utf-8")) == 255
        fsutil.atomic_write_text(tmp_path / name, "x")
        assert (tmp_path / name).read_text(encoding="utf-8") == "x"
    assert sorted(os.listdir(tmp_path)) == sorted(["a" * 250 + ".json", "خ" * 125 + ".json"])


def test_a_terms_file_is_parsed_once_per_version(tmp_path):
    """translate built its stages twice (a check of the settings' files before the output folder
    is made, then the run's own): every terms and house-style file was parsed twice (a code review)."""
    from pipeline.config import load_settings
    from pipeline.glossary import load_glossary
    from pipeline.stages import Stages

    terms = tmp_path / "terms.yaml"
    terms.write_text("terms:\n  - {ar: بوتين, en: Putin}\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(f"review:\n  glossary: {terms}\n", encoding="utf-8")
    settings = load_settings(config)
    assert Stages(settings).glossary is Stages(settings).glossary
    terms.write_text("terms:\n  - {ar: بوتين, en: [Poutine]}\n", encoding="utf-8")  # edited at once: read again
    assert load_glossary(terms).terms[0].renderings == ("Poutine",)
