"""Documents made from the dashboard: the board pack."""
