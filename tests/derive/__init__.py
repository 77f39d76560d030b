"""SYNTHETIC CIN census extracts for tests/test_derive.py."""
