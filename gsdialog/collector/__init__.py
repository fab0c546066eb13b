"""The phones' web app (aiohttp, Jinja2)."""
