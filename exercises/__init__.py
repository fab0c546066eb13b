"""The built-in workshops, as TOML files beside this module."""
