"""Bulk imports of registry files (CSV, XLSX, JSON): read, check every row, write all or
nothing; and uploads of such files through the API, one at a time per organization."""
