"""Helper library for the tipsom-workshop notebooks and the `workshop` command.

Layout: `facts` (sourced data, countries, treaty status, tables and charts), `exercises`
(content, the elements decision function, widgets), `responses` (records, the stores, sessions,
the cohort), `trainer` (runner, report, dashboard, slides, handout, doctor, demo cohort), with
`notebook` (the calls notebook cells make) and `cli` (the `workshop` command) on top, and
`config` and `errors` shared by all. Kept light on import: nothing is imported here.
"""

__version__ = "0.1.0"
