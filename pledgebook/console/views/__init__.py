"""Console views: one module per area (home, programme set-up, applications, review, audit)."""
