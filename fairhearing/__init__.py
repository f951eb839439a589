"""Fairhearing: conduct complaints and disciplinary cases, from first contact to appeal."""
