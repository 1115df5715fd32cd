"""Does the fetcher fill a data directory from a mirror, verify every byte, and say clearly what went wrong?"""

import shutil

import pytest

import workshop_data
from workshop_data import fetch

SMALL = "natural_earth_nordic"  # two files, about 380 kB: enough to exercise every path quickly


@pytest.fixture
def mirror(tmp_path, data_dir):
    """A writable copy of one dataset of the real mirror."""
    m = tmp_path / "mirror"
    shutil.copytree(data_dir / SMALL, m / SMALL)
    return m


def run(dest, mirror, capsys, **kw):
    rc = fetch.run(dest, mirror, only=[SMALL], **kw)
    return rc, capsys.readouterr().out


def test_manifest_matches_the_whole_mirror(data_dir, tmp_path, capsys):
    """Does every file of the real mirror match the manifest's sha256 (so the manifest is not stale)?"""
    rc = fetch.run(data_dir, check=True)
    out = capsys.readouterr().out
    assert rc == 0, out
    assert f"{len(workshop_data.manifest()['files'])} verified" in out


def test_fetch_is_verified_atomic_and_idempotent(tmp_path, mirror, capsys):
    """Does a first run copy everything, leave no temp files, and a second run skip every verified file?"""
    dest = tmp_path / "dest"
    rc, out = run(dest, mirror, capsys)
    assert rc == 0 and "2 mirror" in out, out
    assert not list(dest.rglob("*.part"))
    mtimes = {p: p.stat().st_mtime_ns for p in dest.rglob("*.geojson")}
    rc, out = run(dest, mirror, capsys)
    assert rc == 0 and "2 verified" in out, out
    assert mtimes == {p: p.stat().st_mtime_ns for p in dest.rglob("*.geojson")}


def test_changed_byte_gives_checksum_error_naming_the_file(tmp_path, mirror, capsys):
    """Does one flipped byte in the mirror stop that file with a checksum error that names it?"""
    victim = mirror / SMALL / "norway_10m.geojson"
    data = bytearray(victim.read_bytes())
    data[1000] ^= 0x01
    victim.write_bytes(bytes(data))
    dest = tmp_path / "dest"
    rc, out = run(dest, mirror, capsys)
    assert rc == 1
    assert "checksum mismatch for natural_earth_nordic/norway_10m.geojson" in out
    assert not (dest / SMALL / "norway_10m.geojson").exists(), "a corrupt file must not be installed"
    assert not list(dest.rglob("*.part"))
    assert (dest / SMALL / "nordic_countries_50m.geojson").is_file(), "the good file is still fetched"


def test_missing_file_names_dataset_and_where_it_looked(tmp_path, mirror, capsys):
    """Does a file absent from the mirror produce an error naming the dataset and the path looked at?"""
    (mirror / SMALL / "nordic_countries_50m.geojson").unlink()
    rc, out = run(tmp_path / "dest", mirror, capsys)
    assert rc == 1
    assert "missing file 'nordic_countries_50m.geojson' of dataset 'natural_earth_nordic'" in out
    assert str(mirror / SMALL / "nordic_countries_50m.geojson") in out


def test_check_mode_reports_a_corrupted_installed_file(tmp_path, mirror, capsys):
    """Does --check find a file changed after installation?"""
    dest = tmp_path / "dest"
    run(dest, mirror, capsys)
    target = dest / SMALL / "nordic_countries_50m.geojson"
    target.write_bytes(target.read_bytes() + b" ")
    rc, out = run(dest, None, capsys, check=True)
    assert rc == 1 and "checksum mismatch for natural_earth_nordic/nordic_countries_50m.geojson" in out


def test_data_helper_names_where_it_looked(tmp_path, monkeypatch):
    """Do the notebooks' helpers name the data directory and the missing file when data is absent?"""
    monkeypatch.setenv("GLACIER_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(workshop_data.DataNotFoundError, match="nowhere.*GLACIER_DATA_DIR"):
        workshop_data.data_dir()
    monkeypatch.setenv("GLACIER_DATA_DIR", str(tmp_path))
    with pytest.raises(workshop_data.DataNotFoundError, match=r"'norway_10m.geojson' of dataset 'natural_earth_nordic'"):
        workshop_data.path(SMALL, "norway_10m.geojson")
    with pytest.raises(KeyError, match="no file"):
        workshop_data.path(SMALL, "norway.geojson")


def test_cli_requires_a_source(tmp_path):
    """Does the CLI refuse to run without a mirror, --upstream or --check?"""
    with pytest.raises(SystemExit):
        fetch.main(["--dest", str(tmp_path)])


def test_upstream_download_is_verified(tmp_path, mirror, monkeypatch, capsys):
    """Is a file fetched from its upstream URL (here a file:// URL) checked like a mirror copy, naming the URL on a mismatch?"""
    rec = dict(next(r for r in workshop_data.manifest()["files"] if r["dataset"] == SMALL))
    src = mirror / SMALL / rec["path"]
    rec["url"] = src.as_uri()
    assert fetch.fetch_one(rec, tmp_path / "dest", mirror=None, upstream=True) == "upstream"
    assert workshop_data.sha256_of(tmp_path / "dest" / SMALL / rec["path"]) == rec["sha256"]
    src.write_bytes(src.read_bytes()[:-1])
    with pytest.raises(fetch.ChecksumError, match=f"checksum mismatch .* from {src.as_uri()}"):
        fetch.fetch_one(rec, tmp_path / "dest2", mirror=None, upstream=True)
    assert not (tmp_path / "dest2" / SMALL / rec["path"]).exists()
