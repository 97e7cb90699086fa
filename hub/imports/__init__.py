"""Bulk imports of registry files (CSV, XLSX, JSON): read, check every row, write all or
nothing; and uploads of such files through the API, one at a time per organization.

    readers     a file's bytes as numbered raw rows; the problems an import reports
    file_kinds  the kinds of file: their columns, and how a row becomes an entity
    checks      every row checked before anything is written (no database)
    store       the import's own Cypher: what rows need of the graph beyond their parents
    pipeline    the steps: read, check, write all or nothing (-> ImportReport)
    workers     the threads that read and check files
    upload      `POST /import`, its progress streamed back; lock: one import per organization
"""
