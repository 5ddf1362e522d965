"""A graduate's file: everything a page shows about one student, read once, and who may open
it or write under it."""
