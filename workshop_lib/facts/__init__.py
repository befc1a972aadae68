"""The facts: data files read into validated rows, countries and treaty status, and the tables
and charts made from them.

What participant notebooks use reads rows with the csv module (`reader`, `status`, `cards`,
`tables`, `figures`): no pandas and no matplotlib, so their kernels stay small. `loader`
(pandas DataFrames) and `charts` (matplotlib) are for the trainer's tools, the data checks and
drawing the committed charts in `data/charts/`.
"""
