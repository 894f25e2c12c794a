"""Apps that each make the mistakes of one `accord check` rule on purpose (see test_rules.py)."""
