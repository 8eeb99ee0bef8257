# JupyterHub config of the classroom demo (`make hub`): A CLASSROOM DEMO, NOT A PRODUCTION
# DEPLOYMENT. Settings come from hub/classhub.py (read its docstring); docs/deploy.md has
# the real deployments (Zero to JupyterHub, The Littlest JupyterHub).
#
# - Everything listens on 127.0.0.1 only: the proxy (learners' address), the hub's API,
#   the proxy's API and every learner's server.
# - Shared class password (JupyterHub's SharedPasswordAuthenticator); the instructor
#   logs in as "instructor" with the admin password and gets the admin page.
# - SimpleLocalProcessSpawner: no system users needed; each learner's home is a folder
#   under the state folder, and every server runs on this environment (the workbook's
#   .venv when started by `make hub`), so `import lbp_workbook` works there.
# - A learner's server opens an nbgitpuller pull first: the current notebooks land in
#   ~/workbook, and the learner's own edits survive later pulls.
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import classhub

c = get_config()  # noqa: F821 - provided by JupyterHub
s = classhub.settings()
s.learners.mkdir(parents=True, exist_ok=True)
BIN = Path(sys.executable).parent

# ---- addresses: 127.0.0.1 only
c.JupyterHub.bind_url = s.url
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{s.api_port}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
c.ConfigurableHTTPProxy.command = [str(classhub.HERE / "node_modules" / ".bin" /
                                       "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(s.state / "proxy.pid")

# ---- state: all inside the state folder
c.JupyterHub.db_url = f"sqlite:///{s.state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(s.state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(s.state / "jupyterhub.pid")

# ---- who gets in
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = s.password
c.SharedPasswordAuthenticator.admin_password = s.instructor_password
c.Authenticator.admin_users = {classhub.INSTRUCTOR}
c.Authenticator.username_pattern = classhub.USERNAME_PATTERN
listed = classhub.allowed_names(s.allow_list)
if listed is None:
    c.Authenticator.allow_all = True
else:
    c.Authenticator.allowed_users = listed

# ---- each learner's server
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(s.learners / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = classhub.server_pull_path(s.repo, s.branch)
env = {"JUPYTER_PLATFORM_DIRS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
if os.environ.get("MPLBACKEND"):  # tests and benchmarks run headless (Agg)
    env["MPLBACKEND"] = os.environ["MPLBACKEND"]
c.Spawner.environment = env
args = [
    # Kernels with no open page are shut down after 20 min idle (memory back for the
    # class); a page left open keeps its kernel.
    "--MappingKernelManager.cull_idle_timeout=1200",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=False",
]
if os.geteuid() == 0:  # containers and CI run as root; Jupyter refuses without this
    args.append("--allow-root")
c.Spawner.args = [*args, *s.extra_args]
# Two shared cores: a first start (Lab + pull) can take a while.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

print(classhub.banner(s), file=sys.stderr, flush=True)
