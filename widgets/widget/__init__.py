"""One widget per module; :mod:`widgets` re-exports their constructors."""
