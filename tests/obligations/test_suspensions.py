"""Suspensions of the work-off duty."""
