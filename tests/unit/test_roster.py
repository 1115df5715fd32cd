"""Does a bad roster stop start-up with every error named by line and field?"""

import pytest

from workshop_hub.roster import RosterError, load_roster, parse_roster

HEADER = "username,role,name,email\n"


def errors_of(text):
    with pytest.raises(RosterError) as e:
        parse_roster(text, source="roster.csv")
    return e.value.errors, str(e.value)


def test_good_roster_normalises_names_like_jupyterhub(roster):
    assert roster.usernames == {"anna.lund", "øyvind", "bob"}
    assert roster.instructors == {"anna.lund"}
    assert roster.students == {"øyvind", "bob"}
    assert roster.role_of("anna.lund") == "instructor"
    assert roster.get("bob").email == ""


def test_roster_error_stops_start_up():
    assert issubclass(RosterError, SystemExit)


def test_columns_in_any_order_and_role_case_insensitive():
    r = parse_roster("email,name,role,username\na@b.org,A,Student,alice\n")
    assert r.get("alice").role == "student"


def test_bom_and_blank_lines_are_fine():
    r = parse_roster("\ufeff" + HEADER + "\nalice,student,A,\n\n  ,  ,,\nbob,student,B,\n")
    assert r.usernames == {"alice", "bob"}


def test_duplicate_username_names_both_lines():
    errors, _ = errors_of(HEADER + "alice,student,A,\nbob,student,B,\nAlice,instructor,A2,\n")
    assert errors == ["line 4, field 'username': 'Alice' duplicates line 2 (names are compared lower-case)"]


@pytest.mark.parametrize(
    "username, reason",
    [
        ("", "is empty"),
        ("ann lund", "whitespace"),
        ("ann\tlund", "whitespace"),
        ("a/b", "'/'"),
        ("a\\b", "'\\\\'"),
        ("a\u200bb", "invisible or control"),
        ("x" * 65, "longer than 64"),
        ("o\u0308yvind", "NFC"),
        ("a:b", "':'"),
        ("-bob", "starts with '-'"),
        ("..", "'.' or '..'"),
        ("ø" * 34, "once escaped for Docker volume names"),
    ],
)
def test_invalid_usernames_name_line_and_field(username, reason):
    errors, _ = errors_of(HEADER + "fine,student,F,\n" + f'"{username}",student,X,\n')
    assert len(errors) == 1
    assert errors[0].startswith("line 3, field 'username':")
    assert reason in errors[0]


def test_unicode_dots_at_and_capitals_are_allowed():
    r = parse_roster(HEADER + "Åsa.Ek,student,,\nkari@uit.no,student,,\nJean-Luc_2,student,,\n")
    assert r.usernames == {"åsa.ek", "kari@uit.no", "jean-luc_2"}


def test_unknown_role_is_named():
    errors, _ = errors_of(HEADER + "alice,teacher,A,\n")
    assert errors == ["line 2, field 'role': 'teacher' is not one of student, instructor"]


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "a b@c.org", "a@@b.org"])
def test_bad_email_is_named(email):
    errors, _ = errors_of(HEADER + f"alice,student,A,{email}\n")
    assert errors == [f"line 2, field 'email': '{email}' is not an e-mail address"]


def test_missing_column_is_named():
    errors, _ = errors_of("username,role,name\nalice,student,A\n")
    assert errors == ["line 1, field 'email': column is missing from the header (expected username,role,name,email)"]


def test_misspelled_column_is_reported_as_missing_and_unknown():
    errors, _ = errors_of("usernme,role,name,email\nalice,student,A,\n")
    assert any("field 'username': column is missing" in e for e in errors)
    assert any("field 'usernme': unknown column" in e for e in errors)


def test_wrong_number_of_fields_is_named():
    errors, _ = errors_of(HEADER + "alice,student\n")
    assert errors == ["line 2: has 2 fields, the header has 4"]


def test_all_errors_are_collected_in_one_message():
    text = HEADER + "alice,student,A,\nbad name,student,B,\ncarl,boss,C,\nalice,student,A,\ndora,student,D,nope\n"
    errors, message = errors_of(text)
    assert [e.split(":")[0] for e in errors] == [
        "line 3, field 'username'",
        "line 4, field 'role'",
        "line 5, field 'username'",
        "line 6, field 'email'",
    ]
    for e in errors:
        assert e in message
    assert "4 error(s)" in message


def test_line_numbers_count_quoted_multiline_fields():
    errors, _ = errors_of(HEADER + 'alice,student,"Alice\nSecond line",\nbob,boss,B,\n')
    assert errors == [
        "line 2, field 'name': contains a control character",
        "line 4, field 'role': 'boss' is not one of student, instructor",
    ]


def test_empty_roster_is_refused():
    errors, _ = errors_of(HEADER)
    assert errors == ["line 1: the roster lists no users"]
    errors, _ = errors_of("")
    assert "empty" in errors[0]


def test_missing_file_says_where(tmp_path):
    with pytest.raises(RosterError, match="file not found"):
        load_roster(str(tmp_path / "roster.csv"))


def test_non_utf8_file_is_reported(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(HEADER.encode() + "øyvind,student,,\n".encode("latin-1"))
    with pytest.raises(RosterError, match="not UTF-8"):
        load_roster(str(path))


def test_load_roster_reads_a_file(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(HEADER + "øyvind,student,Øyvind,\n", encoding="utf-8")
    assert load_roster(str(path)).usernames == {"øyvind"}


@pytest.mark.parametrize("name", ["bob", "anna.lund", "øyvind", "kari@uit.no", "jean-luc", "ø" * 33])
def test_roster_escaping_is_dockerspawners(name):
    from dockerspawner import DockerSpawner

    from workshop_hub.roster import docker_escape

    assert docker_escape(name) == DockerSpawner._escape(name)
    assert len(docker_escape("ø" * 33)) <= 200
