"""The API's documentation pages: Swagger UI and ReDoc from local files, and the pages problem
types resolve to."""
