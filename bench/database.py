"""The bench database as the load scripts see it (needs Django set up): the PostgreSQL backends
serving it (for the CPU split of bench/load.CpuMeter) and its pages in PostgreSQL's shared buffers."""

from django.db import connection

from bench.load import log


def backend_pids() -> list[int]:
    """The PostgreSQL backends of this database other than this process's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def prewarm() -> dict:
    """Load every table and index of the database into PostgreSQL's shared buffers (pg_prewarm), as
    a server that has been answering for a while holds what it serves. Without it each point's first
    reads of a party copy pages in from the OS cache, which costs PostgreSQL more CPU than the query
    (bench/README.md). Says when shared_buffers is too small to hold the database."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cursor.execute(
            "SELECT current_setting('shared_buffers'), pg_database_size(current_database()),"
            " pg_size_bytes(current_setting('shared_buffers'))"
        )
        shared_buffers, database_bytes, buffer_bytes = cursor.fetchone()
        cursor.execute(
            "SELECT coalesce(sum(pg_prewarm(c.oid::regclass)), 0) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 't')"
        )
        blocks = int(cursor.fetchone()[0])
    log(
        f"PostgreSQL shared_buffers {shared_buffers}, database {database_bytes / 2**20:.0f} MB: "
        f"{blocks:,} blocks prewarmed"
    )
    if buffer_bytes < database_bytes:
        log("shared_buffers is smaller than the database: reads will miss it (see bench/README.md to raise it)")
    return {
        "prewarmed": True,
        "shared_buffers": shared_buffers,
        "database_mb": round(database_bytes / 2**20),
        "blocks_prewarmed": blocks,
    }
