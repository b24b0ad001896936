"""Xin'an (心安): anonymous mental-health self-assessment service."""
