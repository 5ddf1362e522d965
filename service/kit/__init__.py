"""Infrastructure every domain builds on: settings, the database and the unit of work,
problem details, pages, versions, field types. It imports no domain package."""
