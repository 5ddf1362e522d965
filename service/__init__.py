"""Serpin Tracker: grant students from enrolment to the end of the work-off duty."""
