"""Does the settings file stop start-up on every mistake, naming the key and the fix?"""

import pytest

from workshop_hub.settings import SETTING_NAMES, SettingsError, documentation, load_settings, settings_from_dict

IMAGE = "glacier-workshop/notebook:2026.11.0"


def test_defaults_fill_everything_but_the_image():
    s = settings_from_dict({"notebook_image": IMAGE})
    assert s.course_id == "glaciers-ml"
    assert s.auth_mode == "password"
    assert s.gpu_mode == "none"
    assert s.data_host_path == "/srv/workshop/data"
    assert s.roster_file == "/etc/workshop/roster.csv"


def test_misspelled_key_names_the_key_and_the_closest_valid_one():
    with pytest.raises(SettingsError) as e:
        settings_from_dict({"notebook_image": IMAGE, "corse_id": "x"})
    assert "corse_id" in str(e.value)
    assert "did you mean 'course_id'" in str(e.value)


def test_settings_error_stops_start_up():
    assert issubclass(SettingsError, SystemExit)


def test_unknown_key_without_a_close_match_lists_the_valid_keys():
    with pytest.raises(SettingsError) as e:
        settings_from_dict({"notebook_image": IMAGE, "zzzz": 1})
    assert "zzzz" in str(e.value) and "course_id" in str(e.value)


def test_missing_required_key_is_named():
    with pytest.raises(SettingsError) as e:
        settings_from_dict({})
    assert "notebook_image: required setting is missing" in str(e.value)


def test_all_problems_are_reported_at_once():
    with pytest.raises(SettingsError) as e:
        settings_from_dict({"notebook_image": "img", "gpu_mode": "all", "mem_limit": "lots"})
    msg = str(e.value)
    assert "notebook_image" in msg and "gpu_mode" in msg and "mem_limit" in msg


@pytest.mark.parametrize("image", ["glacier-workshop/notebook", "glacier-workshop/notebook:latest", ""])
def test_unpinned_image_is_refused(image):
    with pytest.raises(SettingsError, match="notebook_image"):
        settings_from_dict({"notebook_image": image})


def test_image_with_registry_port_but_no_tag_is_refused():
    with pytest.raises(SettingsError, match="no tag"):
        settings_from_dict({"notebook_image": "registry:5000/notebook"})


def test_digest_pinned_image_is_accepted():
    settings_from_dict({"notebook_image": "glacier-workshop/notebook@sha256:" + "a" * 64})


@pytest.mark.parametrize("course_id", ["Glaciers", "a", "x_y", "-abc", "has space"])
def test_bad_course_id_is_refused(course_id):
    with pytest.raises(SettingsError, match="course_id"):
        settings_from_dict({"notebook_image": IMAGE, "course_id": course_id})


def test_per_user_gpus_need_gpu_ids():
    with pytest.raises(SettingsError, match="gpu_ids: required when gpu_mode is 'per-user'"):
        settings_from_dict({"notebook_image": IMAGE, "gpu_mode": "per-user"})


def test_gpu_ids_are_strings():
    s = settings_from_dict({"notebook_image": IMAGE, "gpu_mode": "per-user", "gpu_ids": [0, 1]})
    assert s.gpu_ids == ["0", "1"]


def test_oidc_needs_its_endpoints_and_callback():
    with pytest.raises(SettingsError) as e:
        settings_from_dict({"notebook_image": IMAGE, "auth_mode": "oidc"})
    msg = str(e.value)
    for key in ("oauth_callback_url", "oidc_authorize_url", "oidc_token_url", "oidc_userdata_url"):
        assert key in msg


def test_wrong_types_are_refused():
    with pytest.raises(SettingsError) as e:
        settings_from_dict({"notebook_image": IMAGE, "cpu_limit": "two", "start_timeout": -5, "admin_users": "anna"})
    msg = str(e.value)
    assert "cpu_limit" in msg and "start_timeout" in msg and "admin_users" in msg


def test_data_path_must_be_absolute_and_template_free():
    with pytest.raises(SettingsError, match="data_host_path"):
        settings_from_dict({"notebook_image": IMAGE, "data_host_path": "data"})
    with pytest.raises(SettingsError, match="data_host_path"):
        settings_from_dict({"notebook_image": IMAGE, "data_host_path": "/srv/{username}"})


def test_load_settings_reads_yaml(tmp_path):
    path = tmp_path / "workshop.yaml"
    path.write_text(f"notebook_image: {IMAGE}\ncourse_id: glaciers-101\nmem_limit: 2G\n")
    s = load_settings(str(path))
    assert s.course_id == "glaciers-101" and s.mem_limit == "2G"


def test_load_settings_from_env_path(tmp_path, monkeypatch):
    path = tmp_path / "w.yaml"
    path.write_text(f"notebook_image: {IMAGE}\n")
    monkeypatch.setenv("WORKSHOP_SETTINGS", str(path))
    assert load_settings().notebook_image == IMAGE


def test_missing_file_says_where_to_put_it(tmp_path):
    with pytest.raises(SettingsError, match="WORKSHOP_SETTINGS"):
        load_settings(str(tmp_path / "nope.yaml"))


def test_invalid_yaml_is_reported(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("notebook_image: [unclosed\n")
    with pytest.raises(SettingsError, match="not valid YAML"):
        load_settings(str(path))


def test_non_mapping_is_reported(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("- a\n- b\n")
    with pytest.raises(SettingsError, match="mapping"):
        load_settings(str(path))


def test_every_key_is_documented():
    doc = documentation()
    for name in SETTING_NAMES:
        assert f"`{name}`" in doc
    assert "**required**" in doc


def test_hub_readme_documents_the_current_settings():
    """Is hub/README.md's settings table the one the code prints? (regenerate: python -m workshop_hub.settings)"""
    import os

    readme = os.path.join(os.path.dirname(__file__), "..", "..", "hub", "README.md")
    with open(readme, encoding="utf-8") as f:
        assert documentation() in f.read()
