"""Thin views for the community: parse input, call one selector or service, render."""
