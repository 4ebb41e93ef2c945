"""The account pages: signing in (password, then the code), the security page, tokens, password."""
