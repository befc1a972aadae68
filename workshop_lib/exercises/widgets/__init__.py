"""ipywidgets exercises. Each one saves through the participant's session, restores what was
saved, and also renders as plain text and static HTML for papermill, nbval and HTML exports."""
