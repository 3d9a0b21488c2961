"""Reference tables shipped with the matching package (a package so that setuptools ships the CSV files)."""
