"""Writers: one module per output format, each reading the bank and never changing it."""
