using FluentMigrator;

namespace Thaiyyal.Storage.Migrations;

/// <summary>
/// The status index leaves out succeeded runs, which are nearly every row the run history stores: storing a finished
/// synchronous run then updates two indexes instead of three, about a fifth of SQLite's work per row
/// (docs/performance.md). The queries that read through this index (the queue's claims and count, marking runs
/// interrupted, listing by any other status) say <see cref="Sql.SqlExecutionRepository.Unsucceeded"/> in so many
/// words, so that both SQLite and PostgreSQL see that the index covers them. Listing succeeded runs walks the
/// creation-time index instead and skips the other runs, which are the few.
/// </summary>
[Migration(7, "the status index leaves out succeeded runs")]
public sealed class M0007StatusIndexWithoutSucceeded : Migration
{
    public override void Up()
    {
        Delete.Index("ix_executions_status_created").OnTable("executions");
        Execute.Sql("CREATE INDEX ix_executions_status_unsucceeded ON executions (status, created_at DESC, id DESC) WHERE status <> 'succeeded'");
    }

    public override void Down()
    {
        Delete.Index("ix_executions_status_unsucceeded").OnTable("executions");
        Create.Index("ix_executions_status_created").OnTable("executions")
            .OnColumn("status").Ascending().OnColumn("created_at").Descending().OnColumn("id").Descending();
    }
}
