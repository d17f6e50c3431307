"""Reading usage events: raw lines in load order (`seq`), decoded with exact decimals."""
