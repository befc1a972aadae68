"""The participant view: each agenda notebook as a page with no code, no settings cell and no
trainer notes, served by Voilà from the participant's own Jupyter server.

- `pages`: the agenda pages of a folder, their titles, and the Voilà hook that removes the
  trainer's notes and attaches the navigation (previous, next, contents) to each page;
- `launch`: the Jupyter server settings (Voilà enabled, the `workshop` template, offline) for
  `workshop lab --participant` and for the hub;
- `handout`: participant copies published by the trainer and handed out into a home, never
  overwriting what a participant changed;
- `hub`: what `deploy/jupyterhub_config.py` calls before a user's server starts.

The template (`jupyter/voila/templates/workshop/`) and the server configuration
(`jupyter_config/`) are data folders found through `JUPYTER_PATH` and `JUPYTER_CONFIG_PATH`,
which `launch.participant_environment` sets. Kept light on import: nothing is imported here.
"""
