"""serpin-pull: the Financial Center's typed SQLite copy of a Serpin Tracker deployment."""
