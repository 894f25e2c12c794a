"""Partners (the integrators calling the API) and their hashed API keys."""
