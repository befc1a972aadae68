"""The trainer's tools: running the agenda, the cohort report, the dashboard, slides, the
handout, `workshop doctor`, and the generated demo cohort."""
