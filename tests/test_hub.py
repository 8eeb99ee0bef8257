"""The classroom hub's settings (hub/classhub.py, hub/jupyterhub_config.py) and the
nbgitpuller recipe: the documented link and "a learner's edits survive an update".

The hub itself runs in tests/browser/test_browser_hub.py; here: real git repositories
in a temporary folder and nbgitpuller's own puller (what the hub's /git-pull runs).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hub"))
import classhub  # noqa: E402

DEPLOY = ROOT / "docs" / "deploy.md"


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@example.org",
         "-c", "init.defaultBranch=main", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout


# --------------------------------------------------------------------------- the link


def test_pull_link_is_the_link_generators_format():
    """nbgitpuller's link generator (JupyterHub tab) builds HUB + 'hub/user-redirect/git-pull'
    with repo, urlpath, branch as form-encoded query parameters, in that order."""
    link = classhub.pull_link("https://hub.example.org/", "https://github.com/org/lbp-workbook",
                              "main", "lab/tree/workbook/notebooks/01_start_here.ipynb",
                              "workbook")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https", "hub.example.org", "/hub/user-redirect/git-pull")
    assert parse_qsl(parts.query) == [
        ("repo", "https://github.com/org/lbp-workbook"),
        ("urlpath", "lab/tree/workbook/notebooks/01_start_here.ipynb"),
        ("branch", "main"),
        ("targetpath", "workbook"),
    ]
    assert "%2F" in parts.query and "/" not in parts.query  # form-encoded, as URLSearchParams
    # a hub address without the trailing slash gives the same link
    assert classhub.pull_link("https://hub.example.org", "r") == \
        "https://hub.example.org/hub/user-redirect/git-pull?repo=r"


def test_the_link_in_the_deploy_guide_is_the_one_pull_link_makes():
    """docs/deploy.md shows an example link: it must be exactly what the recipe produces."""
    text = DEPLOY.read_text(encoding="utf-8")
    shown = re.findall(r"https://hub\.example\.org/hub/user-redirect/git-pull\?\S+?(?=[`\s)])",
                       text)
    assert shown, "docs/deploy.md shows no example nbgitpuller link"
    made = classhub.pull_link("https://hub.example.org/", "https://github.com/org/lbp-workbook",
                              "main", f"lab/tree/{classhub.TARGET}/{classhub.START_PAGE}",
                              classhub.TARGET)
    assert set(shown) == {made}


def test_the_servers_own_pull_path_opens_the_start_page_in_the_target_folder():
    path = classhub.server_pull_path("/srv/course.git", "main")
    parts = urlsplit(path)
    assert parts.path == "/git-pull"
    assert dict(parse_qsl(parts.query)) == {
        "repo": "/srv/course.git", "branch": "main", "targetpath": "workbook",
        "urlpath": "lab/tree/workbook/notebooks/01_start_here.ipynb",
    }
    # never the saved-clients home (~/lbp-workbook, storage.default_folder)
    assert classhub.TARGET != "lbp-workbook"


# --------------------------------------------------------------------------- edits survive


@pytest.fixture
def course(tmp_path):
    """A bare 'course' repository (stands in for the public one) and the instructor's clone."""
    bare = tmp_path / "course.git"
    _git("init", "-q", "--bare", str(bare), cwd=tmp_path)
    work = tmp_path / "instructor"
    _git("clone", "-q", str(bare), str(work), cwd=tmp_path)
    (work / "notebooks").mkdir()
    (work / "notebooks" / "01_lesson.ipynb").write_text("lesson one, version 1\n")
    (work / "notebooks" / "02_lesson.ipynb").write_text("lesson two, version 1\n")
    _git("add", "-A", cwd=work)
    _git("commit", "-q", "-m", "first", cwd=work)
    _git("push", "-q", "origin", "HEAD:main", cwd=work)
    _git("symbolic-ref", "HEAD", "refs/heads/main", cwd=bare)
    return bare, work


def _pull(repo: Path, dest: Path) -> None:
    from nbgitpuller.pull import GitPuller

    for _line in GitPuller(str(repo), str(dest), branch="main", depth=1).pull():
        pass


def test_nbgitpuller_keeps_a_learners_edits_and_brings_the_instructors_update(course, tmp_path):
    """The recipe's promise: a learner's edited lesson, their own new file and a lesson they
    deleted by mistake come through an update; the lesson they did not touch is updated."""
    bare, work = course
    mine = tmp_path / "learner" / "workbook"
    _pull(bare, mine)
    assert (mine / "notebooks" / "02_lesson.ipynb").read_text() == "lesson two, version 1\n"

    (mine / "notebooks" / "01_lesson.ipynb").write_text("lesson one, MY NOTES\n")
    (mine / "notebooks" / "my_practice.ipynb").write_text("my own work\n")
    (mine / "notebooks" / "02_lesson.ipynb").unlink()  # deleted by mistake

    (work / "notebooks" / "01_lesson.ipynb").write_text("lesson one, version 2\n")
    (work / "notebooks" / "02_lesson.ipynb").write_text("lesson two, version 2\n")
    (work / "notebooks" / "03_lesson.ipynb").write_text("lesson three, new\n")
    _git("add", "-A", cwd=work)
    _git("commit", "-q", "-m", "update", cwd=work)
    _git("push", "-q", "origin", "HEAD:main", cwd=work)

    _pull(bare, mine)
    assert (mine / "notebooks" / "01_lesson.ipynb").read_text() == "lesson one, MY NOTES\n"
    assert (mine / "notebooks" / "my_practice.ipynb").read_text() == "my own work\n"
    assert (mine / "notebooks" / "02_lesson.ipynb").read_text() == "lesson two, version 2\n"
    assert (mine / "notebooks" / "03_lesson.ipynb").read_text() == "lesson three, new\n"


def test_nbgitpuller_merges_a_notebook_edited_on_both_sides_into_a_valid_notebook(course,
                                                                                  tmp_path):
    """A lesson the learner annotated in one cell and the instructor updated in another:
    after the pull it is still a valid notebook holding both changes; in a cell both
    changed, the learner's words are kept (nbgitpuller merges with -Xours)."""
    import nbformat

    bare, work = course
    lesson = work / "notebooks" / "03_lesson.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"cell {i}\n\nsecond line of {i}") for i in range(6)]
    nbformat.write(nb, lesson)
    _git("add", "-A", cwd=work)
    _git("commit", "-q", "-m", "a real notebook", cwd=work)
    _git("push", "-q", "origin", "HEAD:main", cwd=work)
    mine = tmp_path / "learner" / "workbook"
    _pull(bare, mine)

    theirs = nbformat.read(mine / "notebooks" / "03_lesson.ipynb", as_version=4)
    theirs.cells[1].source = "cell 1, MY NOTE\n\nsecond line of 1"
    theirs.cells[3].source = "cell 3, MY VERSION\n\nsecond line of 3"
    nbformat.write(theirs, mine / "notebooks" / "03_lesson.ipynb")
    ours = nbformat.read(lesson, as_version=4)
    ours.cells[4].source = "cell 4, version 2\n\nsecond line of 4"
    ours.cells[3].source = "cell 3, version 2\n\nsecond line of 3"
    nbformat.write(ours, lesson)
    _git("commit", "-q", "-am", "update lesson 3", cwd=work)
    _git("push", "-q", "origin", "HEAD:main", cwd=work)

    _pull(bare, mine)
    merged = nbformat.read(mine / "notebooks" / "03_lesson.ipynb", as_version=4)
    nbformat.validate(merged)
    assert [c.source.splitlines()[0] for c in merged.cells] == [
        "cell 0", "cell 1, MY NOTE", "cell 2", "cell 3, MY VERSION", "cell 4, version 2",
        "cell 5"]


# --------------------------------------------------------------------------- the config


def _load_config(tmp_path, monkeypatch) -> Config:
    state = tmp_path / "state"
    monkeypatch.setenv("LBP_HUB_DIR", str(state))
    monkeypatch.setenv("LBP_HUB_REPO", str(ROOT))
    monkeypatch.setenv("LBP_HUB_BRANCH", "main")
    monkeypatch.delenv("LBP_HUB_PASSWORD", raising=False)
    c = Config()
    code = (ROOT / "hub" / "jupyterhub_config.py").read_text(encoding="utf-8")
    exec(compile(code, "jupyterhub_config.py", "exec"), {"get_config": lambda: c,
                                                         "__file__": str(ROOT / "hub" / "x")})
    return c


def test_everything_listens_on_127_0_0_1_and_lives_in_the_state_folder(tmp_path, monkeypatch,
                                                                       capsys):
    c = _load_config(tmp_path, monkeypatch)
    state = (tmp_path / "state").resolve()
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8000/"
    assert c.JupyterHub.hub_bind_url.startswith("http://127.0.0.1:")
    assert c.ConfigurableHTTPProxy.api_url.startswith("http://127.0.0.1:")
    assert c.JupyterHub.db_url == f"sqlite:///{state / 'jupyterhub.sqlite'}"
    assert c.SimpleLocalProcessSpawner.home_dir_template == str(state / "learners" / "{username}")
    assert c.Spawner.cmd == [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
    assert ("--allow-root" in c.Spawner.args) == (os.geteuid() == 0)
    assert c.Spawner.default_url.startswith("/git-pull?")
    assert c.Authenticator.allow_all is True
    # the class password is made once, kept private, and reused on the next start
    password = (state / "class-password").read_text().strip()
    assert len(password) >= classhub.USER_PASSWORD_MIN
    assert (state / "class-password").stat().st_mode & 0o077 == 0
    assert c.SharedPasswordAuthenticator.user_password == password
    assert len(c.SharedPasswordAuthenticator.admin_password) >= classhub.ADMIN_PASSWORD_MIN
    banner = capsys.readouterr().err
    assert "CLASSROOM DEMO, not a production deployment" in banner
    assert "http://127.0.0.1:8000/" in banner and password in banner
    assert "Add learners" in banner
    assert _load_config(tmp_path, monkeypatch).SharedPasswordAuthenticator.user_password == password


def test_a_learner_list_limits_who_gets_in(tmp_path, monkeypatch):
    state = tmp_path / "state"
    state.mkdir()
    (state / "learners.txt").write_text("# week 1\nAna\nben   # late\n\n")
    c = _load_config(tmp_path, monkeypatch)
    assert c.Authenticator.allowed_users == {"ana", "ben"}
    assert "allow_all" not in c.Authenticator
    (state / "learners.txt").write_text("ana\n../etc\n")
    with pytest.raises(SystemExit, match=r"'\.\./etc' is not a valid learner name"):
        _load_config(tmp_path, monkeypatch)


def test_a_short_class_password_is_refused_with_its_rule(tmp_path, monkeypatch):
    monkeypatch.setenv("LBP_HUB_PASSWORD", "short")
    with pytest.raises(SystemExit, match="at least 8 characters"):
        classhub.settings()


# --------------------------------------------------------------------------- Zero to JupyterHub


def test_the_zero_to_jupyterhub_values_parse_and_carry_the_measured_sizes():
    """docs/deploy/values.yaml (not deployable here: no Kubernetes) is valid YAML with the
    sizes and culling docs/deploy.md gives, and the default page is inside the pulled folder."""
    import yaml

    values = yaml.safe_load((ROOT / "docs" / "deploy" / "values.yaml").read_text("utf-8"))
    single = values["singleuser"]
    text = DEPLOY.read_text(encoding="utf-8")
    guarantee, limit = single["memory"]["guarantee"], single["memory"]["limit"]
    assert f"guarantee {guarantee}, limit {limit}" in text
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] > 0
    assert single["defaultUrl"] == f"/lab/tree/{classhub.TARGET}/{classhub.START_PAGE}"
    assert single["image"]["tag"] != "latest"
