"""The workshop in several languages: the interface through gettext catalogs, the content
through per-language files in `data/<lang>/`, the notebooks built from the English ones.

- `languages`: the languages the workshop speaks, with their writing direction.
- `catalog`: the language of this kernel or command, and `_()` for interface strings.
- `localized`: where a data file's version in the current language is.
- `notebooks`: the agenda notebooks in another language, built from the English notebooks and
  `data/<lang>/notebooks/*.yaml`.
"""
