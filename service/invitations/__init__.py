"""A graduate's own account, by invitation: a one-time link a career centre or the Financial
Center hands over, where the graduate sets a password (or a new one)."""
