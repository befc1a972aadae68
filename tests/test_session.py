"""The participant's session: identity, where answers go, failed saves kept, resume, export."""

from __future__ import annotations

import getpass

import pytest

from workshop_lib import config
from workshop_lib.errors import ConfigurationError
from workshop_lib.responses import session


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv(config.ENV_RESPONSES_DIR, raising=False)


def test_identity_prefers_hub_user_then_parameter_then_os_user(monkeypatch, tmp_path):
    assert session.start("nb", participant="").participant == getpass.getuser()
    assert session.start("nb", participant="amira").participant == "amira"
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-user")
    assert session.start("nb", participant="amira").participant == "hub-user"


def test_responses_dir_parameter_then_environment_then_default(monkeypatch, tmp_path):
    monkeypatch.delenv(config.ENV_RESPONSES_URL, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert config.responses_location("") == str(tmp_path / "home" / "workshop-responses")
    monkeypatch.setenv(config.ENV_RESPONSES_DIR, str(tmp_path / "env"))
    assert config.responses_location("") == str(tmp_path / "env")
    monkeypatch.setenv(config.ENV_RESPONSES_URL, "sqlite:///x.db")
    assert config.responses_location("") == "sqlite:///x.db"
    assert config.responses_location(str(tmp_path / "param")) == str(tmp_path / "param")
    assert config.responses_location("postgresql://u@h/db") == "postgresql://u@h/db"


@pytest.mark.parametrize(
    ("parameters", "words"),
    [
        ({"cohort": 42}, "The setting 'cohort' must be text"),
        ({"country": 42}, "The setting 'country' must be text"),
        ({"participant": ["a"]}, "The setting 'participant' must be text"),
        ({"responses_dir_parameter": "ftp://host/x"}, "is not supported"),
        ({"responses_dir_parameter": "postgresql://u@h:port/db"}, "cannot be read"),
    ],
)
def test_settings_that_cannot_work_are_refused_in_one_sentence(tmp_path, parameters, words):
    with pytest.raises(ConfigurationError, match=words) as caught:
        session.start("01_nb", **parameters)
    assert "\n" not in str(caught.value)


def test_an_exercise_before_the_session_refuses_in_one_sentence(monkeypatch):
    monkeypatch.setattr(session, "_current", None)
    with pytest.raises(session.NoSessionError, match="run the notebook from the top"):
        session.current()


def test_save_and_resume_in_a_new_session(tmp_path):
    first = session.start(
        "01_nb", cohort="c1", participant="amira", responses_dir_parameter=str(tmp_path)
    )
    result = first.save("note-1", "Mon pays a ratifié.", kind="note")
    assert result.ok and result.message.startswith("Saved at ") and result.message.endswith(" UTC.")
    again = session.start(
        "01_nb", cohort="c1", participant="amira", responses_dir_parameter=str(tmp_path)
    )
    assert again is not first
    assert again.load("note-1")["answer"] == "Mon pays a ratifié."
    assert session.current() is again


def test_unwritable_folder_keeps_the_answer_and_says_where(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "responses"
    s = session.start("01_nb", participant="amira", responses_dir_parameter=str(target))
    result = s.save("note-1", {"note": "important words"}, kind="answer")
    assert not result.ok
    assert result.message.startswith(f"Your answer could not be saved in {target}: The ")
    assert str(target) in result.message and "\n" not in result.message
    assert "Export my answers" in result.message
    assert s.load("note-1")["answer"] == {"note": "important words"}
    assert "important words" in s.export_markdown()
    assert "not saved (kept in memory)" in s.export_csv()


def test_overlong_answer_is_refused_with_a_sentence_and_kept(tmp_path):
    s = session.start("01_nb", participant="amira", responses_dir_parameter=str(tmp_path))
    result = s.save("note-1", "word " * 3000, kind="note")
    assert not result.ok and "the limit is 10,000" in result.message
    assert s.load("note-1")["answer"] == "word " * 3000


def test_export_lists_only_my_answers_across_notebooks(tmp_path):
    me = session.start(
        "01_nb", cohort="c1", participant="amira", responses_dir_parameter=str(tmp_path)
    )
    me.save("quiz", {"q1": "b", "q2": ["a", "c"]}, kind="choices")
    other = session.start(
        "02_nb", cohort="c1", participant="bola", responses_dir_parameter=str(tmp_path)
    )
    other.save("note", "bola's private note", kind="note")
    me2 = session.start(
        "02_nb", cohort="c1", participant="amira", responses_dir_parameter=str(tmp_path)
    )
    me2.save("note", "<b>mine</b>", kind="note")
    csv_text = me2.export_csv()
    assert "01_nb,quiz,q1,b" in csv_text and "01_nb,quiz,q2,a; c" in csv_text
    assert "<b>mine</b>" in csv_text
    assert "bola" not in csv_text and "bola" not in me2.export_json()


def test_a_lone_surrogate_is_refused_in_one_sentence_and_kept(tmp_path):
    s = session.start("01_nb", participant="amira", responses_dir_parameter=str(tmp_path))
    result = s.save("note-1", "pasted \ud800 text", kind="note")
    assert not result.ok and "cannot be saved" in result.message and "\n" not in result.message
    assert s.load("note-1")["answer"] == "pasted \ud800 text"
    odd = session.start("01_nb", participant="x\udc80y", responses_dir_parameter=str(tmp_path))
    result = odd.save("note-1", "fine text", kind="note")
    assert not result.ok and "could not be saved" in result.message
    assert odd.load("note-1")["answer"] == "fine text"


def test_an_earlier_file_with_text_attempts_does_not_lose_the_new_answer(tmp_path):
    s = session.start("01_nb", participant="amira", responses_dir_parameter=str(tmp_path))
    assert s.save("note-1", "first", kind="note").ok
    path = s.store.path_for("amira", s.cohort, "01_nb", "note-1")
    broken = path.read_text(encoding="utf-8").replace('"attempts": 1', '"attempts": "1"')
    path.write_text(broken, encoding="utf-8")
    result = s.save("note-1", "second", kind="note")
    assert result.ok and s.load("note-1")["answer"] == "second"
    assert [p.read_text(encoding="utf-8") for p in path.parent.glob("*.unreadable-*")] == [broken]


def test_any_failure_in_a_save_keeps_the_answer_and_says_one_sentence(tmp_path, monkeypatch):
    s = session.start("01_nb", participant="amira", responses_dir_parameter=str(tmp_path))

    def broken_save(*args, **kwargs):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(s.store, "save", broken_save)
    result = s.save("note-1", "precious words", kind="note")
    assert not result.ok and "something nobody foresaw." in result.message
    assert s.load("note-1")["answer"] == "precious words"
