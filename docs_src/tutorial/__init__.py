"""The tutorial's examples: a small bookshop API, one module per example."""
