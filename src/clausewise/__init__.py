"""clausewise: privacy policies as code."""
