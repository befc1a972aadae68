"""Jupyter server settings for the participant view (found through JUPYTER_CONFIG_PATH, which
workshop_lib.participant.launch sets): Voilà with the `workshop` template. `c` is provided by
the Jupyter server when it loads this file."""

from workshop_lib.participant.launch import configure_voila

configure_voila(c)  # noqa: F821 (the Jupyter server defines c)
