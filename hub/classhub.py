"""Settings of the classroom JupyterHub demo (``make hub``) and its nbgitpuller link.

A CLASSROOM DEMO, NOT A PRODUCTION DEPLOYMENT: every learner's server runs as
the same system user on this machine (JupyterHub's SimpleLocalProcessSpawner),
one shared class password lets anyone in, and there is no HTTPS. For a real
class use Zero to JupyterHub or The Littlest JupyterHub (docs/deploy.md).

Everything the hub writes lives in one state folder (``.hub/`` in the project,
or ``$LBP_HUB_DIR``): its database, cookie secret, the two passwords and one
home folder per learner (``learners/<name>``). Nothing outside it is touched.

Environment variables (all optional; ``make hub`` sets the ports):

``LBP_HUB_DIR``            state folder (default ``<project>/.hub``)
``LBP_HUB_PORT``           the address learners open: 127.0.0.1:PORT (8000)
``LBP_HUB_API_PORT``       the hub's internal API on 127.0.0.1 (8081)
``LBP_HUB_PROXY_API_PORT`` the proxy's control API on 127.0.0.1 (8001)
``LBP_HUB_PASSWORD``       the class password (default: made once, kept in the state folder)
``LBP_HUB_REPO``           the git repository learners pull (default: this project)
``LBP_HUB_BRANCH``         its branch (default: the branch checked out here)
``LBP_HUB_EXTRA_ARGS``     extra arguments for every learner's server (the tests use it)

Usage: ``python hub/classhub.py link HUB_URL REPO BRANCH`` prints an nbgitpuller link.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent

#: Where the pulled notebooks land inside each learner's home (nbgitpuller's targetpath).
#: Not ``lbp-workbook``: that is the saved-clients home (storage.default_folder).
TARGET = "workbook"
#: The page a learner lands on after the pull, inside the pulled folder.
START_PAGE = "notebooks/01_start_here.ipynb"
#: Learner names: a pseudonym in lower-case letters, digits, '-' and '_' (also a safe
#: folder name). JupyterHub lower-cases names before checking them.
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,31}$"
INSTRUCTOR = "instructor"
#: Length limits of jupyterhub.authenticators.shared.SharedPasswordAuthenticator.
USER_PASSWORD_MIN, ADMIN_PASSWORD_MIN = 8, 32


def pull_link(hub_url: str, repo: str, branch: str | None = None,
              urlpath: str | None = None, targetpath: str | None = None) -> str:
    """An nbgitpuller link: the hub pulls ``repo`` into the learner's folder, then opens ``urlpath``.

    The same link as nbgitpuller's link generator ("JupyterHub" tab) makes: the
    hub's address + ``hub/user-redirect/git-pull`` with ``repo``, ``urlpath`` and
    ``branch`` as query parameters in that order, form-encoded; ``targetpath``
    (an nbgitpuller URL option) is added last when given.

    Parameters
    ----------
    hub_url : str
        The hub's public address, e.g. ``https://hub.example.org/``.
    repo : str
        The git repository to pull (an https URL, or a path on the hub's machine).
    branch : str, optional
        Its branch; without it nbgitpuller asks the repository for its default branch.
    urlpath : str, optional
        Where to go after the pull, relative to the learner's server,
        e.g. ``lab/tree/workbook/notebooks/01_start_here.ipynb``.
    targetpath : str, optional
        Folder (in the learner's home) the repository is pulled into; nbgitpuller's
        default is the repository's name.

    Returns
    -------
    str
        The link to hand out.

    Examples
    --------
    >>> pull_link("https://hub.example.org", "https://github.com/org/lbp-workbook",
    ...           "main", "lab/tree/workbook/notebooks/01_start_here.ipynb", "workbook")
    'https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Forg%2Flbp-workbook&urlpath=lab%2Ftree%2Fworkbook%2Fnotebooks%2F01_start_here.ipynb&branch=main&targetpath=workbook'

    References
    ----------
    nbgitpuller documentation, "Use nbgitpuller" and "URL options" (link generator),
    https://nbgitpuller.readthedocs.io
    """
    params = [("repo", repo)]
    if urlpath:
        params.append(("urlpath", urlpath))
    if branch:
        params.append(("branch", branch))
    if targetpath:
        params.append(("targetpath", targetpath))
    base = hub_url if hub_url.endswith("/") else hub_url + "/"
    return base + "hub/user-redirect/git-pull?" + urlencode(params)


def server_pull_path(repo: str, branch: str | None) -> str:
    """The same pull as :func:`pull_link`, as a path on the learner's own server
    (``/git-pull?...``): what a learner's server opens first (``Spawner.default_url``)."""
    query = urlencode([("repo", repo), ("branch", branch or ""), ("targetpath", TARGET),
                       ("urlpath", f"lab/tree/{TARGET}/{START_PAGE}")], quote_via=quote)
    return "/git-pull?" + query


def current_branch(repo: Path) -> str:
    """The branch checked out in ``repo``; a clear error when there is none."""
    try:
        out = subprocess.run(["git", "-C", str(repo), "symbolic-ref", "--short", "-q", "HEAD"],
                             capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise SystemExit("make hub needs git (learners get the notebooks with git).")
    branch = out.stdout.strip()
    if not branch:
        raise SystemExit(
            f"{repo} has no branch checked out (detached HEAD): check one out "
            "(git switch main) or set LBP_HUB_BRANCH."
        )
    return branch


def _secret(path: Path, length: int, given: str | None = None) -> str:
    """``given``, else the password kept in ``path``, else a new one written there (0600)."""
    if given:
        return given
    if path.exists():
        kept = path.read_text(encoding="utf-8").strip()
        if len(kept) >= length:
            return kept
    word = secrets.token_urlsafe(length)[:length] if length >= 32 else (
        "-".join(secrets.token_hex(2) for _ in range(3)))  # short enough to read out in class
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(word + "\n", encoding="utf-8")
    path.chmod(0o600)
    return word


@dataclass(frozen=True)
class HubSettings:
    """Everything the hub config needs, read from the environment."""

    state: Path
    port: int
    api_port: int
    proxy_api_port: int
    password: str
    instructor_password: str
    repo: str
    branch: str
    extra_args: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def learners(self) -> Path:
        """One home folder per learner: ``learners/<name>``."""
        return self.state / "learners"

    @property
    def allow_list(self) -> Path:
        """Optional: names allowed in, one a line (without it, any name with the password)."""
        return self.state / "learners.txt"


def settings(env: dict[str, str] | None = None) -> HubSettings:
    """Read :class:`HubSettings` from ``env`` (default ``os.environ``); see the module doc."""
    env = dict(os.environ if env is None else env)
    state = Path(env.get("LBP_HUB_DIR") or ROOT / ".hub").resolve()
    password = env.get("LBP_HUB_PASSWORD") or None
    if password is not None and len(password) < USER_PASSWORD_MIN:
        raise SystemExit(f"LBP_HUB_PASSWORD must be at least {USER_PASSWORD_MIN} characters.")
    repo = env.get("LBP_HUB_REPO") or str(ROOT)
    return HubSettings(
        state=state,
        port=int(env.get("LBP_HUB_PORT") or 8000),
        api_port=int(env.get("LBP_HUB_API_PORT") or 8081),
        proxy_api_port=int(env.get("LBP_HUB_PROXY_API_PORT") or 8001),
        password=_secret(state / "class-password", USER_PASSWORD_MIN, password),
        instructor_password=_secret(state / "instructor-password", ADMIN_PASSWORD_MIN),
        repo=repo,
        branch=env.get("LBP_HUB_BRANCH") or current_branch(Path(repo)),
        extra_args=tuple(env.get("LBP_HUB_EXTRA_ARGS", "").split()),
    )


def allowed_names(path: Path) -> set[str] | None:
    """Names listed in ``path`` (one a line, ``#`` comments), or None when there is no list."""
    if not path.exists():
        return None
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip().lower()
        if name:
            if not re.match(USERNAME_PATTERN, name):
                raise SystemExit(f"{path}: {name!r} is not a valid learner name "
                                 "(lower-case letters, digits, - and _; at most 32).")
            names.add(name)
    return names


def banner(s: HubSettings) -> str:
    """What ``make hub`` prints: the address, the passwords and how to add learners."""
    listed = allowed_names(s.allow_list)
    who = (f"only the names listed in {s.allow_list} ({len(listed)} now)" if listed is not None
           else "any name they choose (a pseudonym: lower-case letters, digits, - and _)")
    return "\n".join([
        "",
        "=" * 72,
        "LBP Workbook class hub: a CLASSROOM DEMO, not a production deployment",
        "(one machine, one system user for everyone, no HTTPS; see docs/deploy.md).",
        "",
        f"  Address (this machine only):  {s.url}",
        f"  Class password:               {s.password}",
        f"  Instructor (admin page):      name '{INSTRUCTOR}', password in "
        f"{s.state / 'instructor-password'}",
        "",
        f"Learners log in with {who} and the class password.",
        "Each gets their own folder with the current notebooks (pulled from",
        f"{s.repo}, branch {s.branch}); their own edits survive later pulls.",
        "",
        "Add learners: nothing to do by default. To let in only named learners, put",
        f"their names one a line in {s.allow_list} and restart (Ctrl-C, make hub);",
        f"the instructor can also add names at {s.url}hub/admin.",
        f"Learners' folders: {s.learners}/<name>   Stop: Ctrl-C.",
        "=" * 72,
        "",
    ])


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "link":
        hub_url, repo = argv[1], argv[2]
        branch = argv[3] if len(argv) > 3 else None
        print(pull_link(hub_url, repo, branch, f"lab/tree/{TARGET}/{START_PAGE}", TARGET))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
