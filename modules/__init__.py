"""Wagtail page types, blocks, enrolment, progress, knowledge checks, certificates and CPD."""
