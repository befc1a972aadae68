"""JupyterHub configuration for a workshop: a starting point for trainers.

Every participant's server gets WORKSHOP_RESPONSES_DIR pointing at one shared folder (or
WORKSHOP_RESPONSES_URL pointing at a database), so the trainer's report and dashboard see the
whole cohort. With system users (the default spawner) and a trainers' group, the hub (running as
root) prepares the shared folder when it starts and each participant's own folder before it
starts that participant's server: participants can pass through the shared folder but cannot
list it or create anything in it, so nobody can read, plant or forge another's answers.

Participants land on the participant view (each agenda notebook as a page with no code, served
by Voilà from their own server); trainers keep JupyterLab. When a participant's server starts,
their home gets the published participant copies of the notebooks (trainer notes removed,
cohort and country filled in): a notebook they changed is never overwritten, a newer version is
added beside it (see workshop_lib/participant/handout.py). The settings come from environment
variables so that the same file serves a real hub and the project's end-to-end test:

  WORKSHOP_HUB_DIR          folder for the hub's own state (database, cookie secret, pid files)
  WORKSHOP_RESPONSES_DIR    the shared responses folder (prepared by the hub; see the README)
  WORKSHOP_RESPONSES_URL    a PostgreSQL URL instead of the folder (see the README); a
                            "{role}" in it becomes each user's own database role (row-level
                            security), e.g. postgresql://{role}@db.example.org/workshop
  WORKSHOP_TRAINERS_GROUP   the Unix group of the trainers, who read every answer
  WORKSHOP_NOTEBOOKS_DIR    the notebooks participants open (default: each user's home)
  WORKSHOP_HUB_USERS        participants, comma-separated (e.g. "alice,bob")
  WORKSHOP_HUB_ADMINS       trainers, comma-separated (they land in JupyterLab, the others on
                            the participant view)
  WORKSHOP_HUB_COHORT       the cohort the handed-out notebooks are filled in for (default demo)
  WORKSHOP_HUB_COUNTRY      the country they are filled in for (default: each participant picks)
  WORKSHOP_HUB_LANG         the language of the workshop: "en" (default) or "fr"; the hub hands
                            out the agenda in it (notebooks/fr/) and every user's JupyterLab and
                            participant view speak it (WORKSHOP_LANG in their servers)
  WORKSHOP_HUB_PUBLISHED_DIR  the trainer's published participant copies, handed out at each
                            server start; when not set, the hub publishes this package's agenda
                            for the cohort and country above into /srv/workshop/published (beside
                            WORKSHOP_HUB_DIR) each time it starts
  WORKSHOP_HUB_PASSWORD     a shared password (demo and test only: use your real authenticator)
  WORKSHOP_HUB_PORT         public port (default 8000); WORKSHOP_HUB_IP (default 127.0.0.1)
  WORKSHOP_HUB_PUBLIC_URL   the hub's address as participants reach it (the live room's QR code)
  WORKSHOP_CHP              path to configurable-http-proxy
  WORKSHOP_HUB_API_TOKEN    token of a "workshop-admin" service (optional; the test uses it)
  WORKSHOP_HUB_SPAWNER      "local" (system users, the default) or "simple" (one Unix user for
                            everyone; for demos only, no isolation between users)
  WORKSHOP_SINGLEUSER_PYTHON      the Python that runs each user's server (default: the hub's);
  WORKSHOP_SINGLEUSER_PYTHONPATH  its PYTHONPATH, when the packages are not in its own prefix

`c` is provided by JupyterHub when it loads this file.
"""

import importlib.util
import os
import sys
from pathlib import Path

from workshop_lib.i18n.languages import check
from workshop_lib.participant.hub import prepare_server, publish_agenda
from workshop_lib.responses.folder import prepare_participant_folder, prepare_shared_folder

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

# Every participant's server: where answers go, JupyterLab, and the project's Python.
spawner = env("WORKSHOP_HUB_SPAWNER", "local")
responses_url = env("WORKSHOP_RESPONSES_URL", "")
responses = env("WORKSHOP_RESPONSES_DIR", "/srv/workshop/responses")
python = env("WORKSHOP_SINGLEUSER_PYTHON", sys.executable)
language = check(env("WORKSHOP_HUB_LANG", "") or "en").code  # a wrong code stops the hub


def responses_url_for(spawner) -> str:
    """The database URL for one user: "{role}" becomes their own role under row-level security."""
    from urllib.parse import quote

    from workshop_lib.responses.sql import database_role

    return responses_url.replace("{role}", quote(database_role(spawner.user.name), safe=""))


c.Spawner.environment = {
    "PATH": f"{Path(python).parent}:/usr/local/bin:/usr/bin:/bin",
    "WORKSHOP_LANG": language,
    **(
        {"WORKSHOP_HUB_PUBLIC_URL": env("WORKSHOP_HUB_PUBLIC_URL")}
        if env("WORKSHOP_HUB_PUBLIC_URL")
        else {}
    ),
    **({"WORKSHOP_RESPONSES_URL": responses_url_for} if responses_url else {}),
    **({} if responses_url else {"WORKSHOP_RESPONSES_DIR": responses}),
    **(
        {"PYTHONPATH": env("WORKSHOP_SINGLEUSER_PYTHONPATH")}
        if env("WORKSHOP_SINGLEUSER_PYTHONPATH")
        else {}
    ),
}
# jupyterhub.singleuser, started with the participant view's Jupyter folders (Voilà and its
# `workshop` template) found as that Python sees the packages.
c.Spawner.cmd = [python, "-m", "workshop_lib.participant.singleuser"]
c.Spawner.default_url = "/lab"  # trainers; participants get the participant view (below)
c.Spawner.ip = "127.0.0.1"
if env("WORKSHOP_NOTEBOOKS_DIR"):
    c.Spawner.notebook_dir = env("WORKSHOP_NOTEBOOKS_DIR")

# Idle kernels: a participant's kernel holds about 60-75 MiB once its notebook has run
# (benchmarks/README.md), so 30 participants with the six agenda notebooks open hold about
# 12 GiB. A kernel idle for 45 minutes is shut down even with its tab open (answers are in the
# store: re-running the notebook restores them); checked every 5 minutes.
c.Spawner.args = [
    "--MappingKernelManager.cull_idle_timeout=2700",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=True",
]
if spawner == "simple":
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(hub_dir / "homes" / "{username}")
    if os.geteuid() == 0:
        c.Spawner.args.append("--allow-root")  # the simple spawner runs servers as the hub's user

# The notebooks handed out: published for the cohort and country when the hub starts (unless
# the trainer publishes them into WORKSHOP_HUB_PUBLISHED_DIR), copied into each home at start.
published = Path(env("WORKSHOP_HUB_PUBLISHED_DIR", "") or hub_dir.parent / "published")
if not env("WORKSHOP_HUB_PUBLISHED_DIR"):
    publish_agenda(
        published, env("WORKSHOP_HUB_COHORT", "demo"), env("WORKSHOP_HUB_COUNTRY", ""), language
    )

# The shared responses folder, prepared by the hub (as root) for system users.
trainers_group = env("WORKSHOP_TRAINERS_GROUP", "")
prepare_answers = spawner == "local" and not responses_url and trainers_group and os.geteuid() == 0
if prepare_answers:
    prepare_shared_folder(responses, trainers_group)


def prepare_answers_folder(spawner):
    """Before a user's server starts: their own answers folder, owned by them, in the
    trainers' group (a link or another account's folder under their name is refused)."""
    name = spawner.user.name
    prepare_participant_folder(responses, name, name, trainers_group)


async def before_spawn(spawner):
    """Before a user's server starts: their answers folder (system users), where they land
    (participant view or JupyterLab), and the notebooks handed out to a participant."""
    if prepare_answers:
        prepare_answers_folder(spawner)
    await prepare_server(
        spawner,
        trainers=trainers,
        published=published,
        python=python,
        environment=c.Spawner.environment,
    )


c.Spawner.pre_spawn_hook = before_spawn

# Idle servers: a participant's server (JupyterLab, about 100 MiB, plus its kernels) that has
# seen no activity for 2 hours is stopped by jupyterhub-idle-culler; checked every 10 minutes.
services, roles = [], []
if importlib.util.find_spec("jupyterhub_idle_culler"):
    services.append(
        {
            "name": "idle-culler",
            "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=7200",
                        "--cull-every=600"],
        }
    )  # fmt: skip
    roles.append(
        {
            "name": "idle-culler",
            "services": ["idle-culler"],
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        }
    )

if env("WORKSHOP_HUB_API_TOKEN"):
    services.append({"name": "workshop-admin", "api_token": env("WORKSHOP_HUB_API_TOKEN")})
    roles.append(
        {
            "name": "workshop-admin-role",
            "services": ["workshop-admin"],
            "scopes": [
                "admin:users",
                "admin:servers",
                "access:servers",
                "list:users",
                "read:users",
                "list:services",
                "read:services",
            ],
        }
    )
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
