"""Orders: creation (idempotent), listing, reading and the status state machine."""
