"""Thin views of the modules app, one module per area."""
