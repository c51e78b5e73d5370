"""Structured supervision: relationships and agreements, sessions, check-ins, actions."""
