"""The audit log: one row per order status change, written with the change itself."""
