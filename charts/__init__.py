"""Figure building only: the style, the framed Chart and the chart builders."""
