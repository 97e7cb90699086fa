"""Onboarding: firms that register or claim themselves, and their verification."""
