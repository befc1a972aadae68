"""JupyterHub configuration for a workshop: a starting point for trainers.

Every participant's server gets WORKSHOP_RESPONSES_DIR pointing at one shared folder, so the
trainer's report and dashboard see the whole cohort. The settings come from environment variables
so that the same file serves a real hub and the project's end-to-end test:

  WORKSHOP_HUB_DIR          folder for the hub's own state (database, cookie secret, pid files)
  WORKSHOP_RESPONSES_DIR    the shared responses folder (see the README for its permissions)
  WORKSHOP_NOTEBOOKS_DIR    the notebooks participants open (default: each user's home)
  WORKSHOP_HUB_USERS        participants, comma-separated (e.g. "alice,bob")
  WORKSHOP_HUB_ADMINS       trainers, comma-separated
  WORKSHOP_HUB_PASSWORD     a shared password (demo and test only: use your real authenticator)
  WORKSHOP_HUB_PORT         public port (default 8000); WORKSHOP_HUB_IP (default 127.0.0.1)
  WORKSHOP_CHP              path to configurable-http-proxy
  WORKSHOP_HUB_API_TOKEN    token of a "workshop-admin" service (optional; the test uses it)
  WORKSHOP_HUB_SPAWNER      "local" (system users, the default) or "simple" (one Unix user for
                            everyone; for demos and tests only, no isolation between users)

`c` is provided by JupyterHub when it loads this file.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub defines get_config)

env = os.environ.get
hub_dir = Path(env("WORKSHOP_HUB_DIR", "/srv/workshop/hub"))
hub_dir.mkdir(parents=True, exist_ok=True)

c.JupyterHub.ip = env("WORKSHOP_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(env("WORKSHOP_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = f"sqlite:///{hub_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(hub_dir / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(hub_dir / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(hub_dir / "jupyterhub-proxy.pid")
if env("WORKSHOP_CHP"):
    c.ConfigurableHTTPProxy.command = [env("WORKSHOP_CHP")]
if env("WORKSHOP_HUB_PROXY_API_PORT"):
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('WORKSHOP_HUB_PROXY_API_PORT')}"
if env("WORKSHOP_HUB_HUB_PORT"):
    c.JupyterHub.hub_port = int(env("WORKSHOP_HUB_HUB_PORT"))

participants = {u for u in env("WORKSHOP_HUB_USERS", "").split(",") if u}
trainers = {u for u in env("WORKSHOP_HUB_ADMINS", "").split(",") if u}
c.Authenticator.allowed_users = participants | trainers
c.Authenticator.admin_users = trainers
if env("WORKSHOP_HUB_PASSWORD"):
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = env("WORKSHOP_HUB_PASSWORD")

# Every participant's server: the shared responses folder, JupyterLab, and the project's Python.
responses = env("WORKSHOP_RESPONSES_DIR", "/srv/workshop/responses")
c.Spawner.environment = {
    "WORKSHOP_RESPONSES_DIR": responses,
    "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
}
c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.ip = "127.0.0.1"
if env("WORKSHOP_NOTEBOOKS_DIR"):
    c.Spawner.notebook_dir = env("WORKSHOP_NOTEBOOKS_DIR")

if env("WORKSHOP_HUB_SPAWNER", "local") == "simple":
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(hub_dir / "homes" / "{username}")
if os.geteuid() == 0 and env("WORKSHOP_HUB_SPAWNER", "local") == "simple":
    c.Spawner.args = ["--allow-root"]  # the simple spawner runs every server as the hub's user

if env("WORKSHOP_HUB_API_TOKEN"):
    c.JupyterHub.services = [{"name": "workshop-admin", "api_token": env("WORKSHOP_HUB_API_TOKEN")}]
    c.JupyterHub.load_roles = [
        {
            "name": "workshop-admin-role",
            "services": ["workshop-admin"],
            "scopes": [
                "admin:users",
                "admin:servers",
                "access:servers",
                "list:users",
                "read:users",
            ],
        }
    ]
