"""What each page and the board pack show: queries, wording and figures put together."""
