"""The facts: data files read into validated rows, countries and treaty status, and the tables
and charts made from them."""
