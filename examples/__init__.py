"""Example applications built on Accord."""
