"""Supervision models (imported by ``reflection.models`` so Django finds them)."""
