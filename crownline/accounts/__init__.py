"""A person's own account: signing in with a second factor, the security page, API tokens, password."""
