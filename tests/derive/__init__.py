"""SYNTHETIC CIN census extracts for tests/metrics/test_derive.py."""
