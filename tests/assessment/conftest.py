"""Fixtures shared with other test packages live in tests/conftest.py (setup, login)."""
