"""The exercises: content read from `data/exercises/` (each item knowing its activity id and
its notebook), the elements decision function, and the ipywidgets that show them."""
