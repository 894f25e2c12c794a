"""Tests of the tutorial's examples (docs_src/tutorial, shown by docs/tutorial)."""
