"""What the test modules share, one module a job."""
