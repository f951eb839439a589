"""Test support shared by every app (loaded as a pytest plugin from the root conftest.py)."""
