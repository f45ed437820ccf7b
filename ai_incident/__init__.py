"""The composition root: the one place that wires the core (`bot`), its edges (`handlers`)
and storage (`storage`) together — `main` for the server, `cli` for the command line."""
