using FluentMigrator;

namespace Thaiyyal.Storage.Migrations;

/// <summary>
/// Finished synchronous runs stored many to a row: the history writer's batch becomes one row per group of runs
/// that share the first 8 hex digits of their ids (about half a second of one server's ids), their workflow and
/// their status, with every run's record, node runs and events in <c>runs</c>: a JSON array, Deflate-compressed. One row per run cost SQLite
/// about three times the whole allowance the run history has on the synchronous execute route
/// (docs/performance.md), and the file writes of its bytes about as much again: the runs of a batch repeat
/// each other's field names and much of their values, and compressed they are about a ninth of the bytes.
/// <c>first_id</c>/<c>last_id</c> bound the ids in the row, so a run is found by id through
/// the key; <c>created_from</c>/<c>created_to</c> bound their creation times for listing and retention.
/// Runs queued or run asynchronously, and every run stored before this migration, keep their row in
/// <c>executions</c>; reads look in both.
/// </summary>
[Migration(8, "finished synchronous runs stored many to a row")]
public sealed class M0008RunBatches : Migration
{
    public override void Up()
    {
        Create.Table("execution_batches")
            .WithColumn("first_id").AsString(100).PrimaryKey()
            .WithColumn("last_id").AsString(100).NotNullable()
            .WithColumn("workflow_id").AsString(200).Nullable()
            .WithColumn("status").AsString(16).NotNullable()
            .WithColumn("created_from").AsInt64().NotNullable()
            .WithColumn("created_to").AsInt64().NotNullable()
            .WithColumn("run_count").AsInt32().NotNullable()
            .WithColumn("runs").AsBinary(int.MaxValue).NotNullable();
        // Listing is newest first by creation time; a row is read when its newest run may be on the page.
        Create.Index("ix_execution_batches_created").OnTable("execution_batches")
            .OnColumn("created_to").Descending().OnColumn("first_id").Descending();
        Execute.Sql("CREATE INDEX ix_execution_batches_workflow ON execution_batches (workflow_id, created_to DESC, first_id DESC) WHERE workflow_id IS NOT NULL");
        Execute.Sql("CREATE INDEX ix_execution_batches_unsucceeded ON execution_batches (status, created_to DESC, first_id DESC) WHERE status <> 'succeeded'");
    }

    public override void Down()
    {
        Delete.Table("execution_batches");
    }
}
