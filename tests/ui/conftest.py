from tests.browser import browser, context, live_server, page, playwright

__all__ = ["browser", "context", "live_server", "page", "playwright"]
