"""Helper library for the tipsom-workshop notebooks.

Kept light on import: notebooks import what they need from the submodules
(`workshop_lib.data`, `workshop_lib.status`, ...), so `import workshop_lib` costs little.
"""

__version__ = "0.1.0"
