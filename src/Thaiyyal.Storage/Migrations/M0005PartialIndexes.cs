using FluentMigrator;

namespace Thaiyyal.Storage.Migrations;

/// <summary>
/// Two of the executions table's indexes cover only the rows their queries ask for, so that storing a finished
/// synchronous run (the run history's hot path, docs/performance.md) updates three indexes instead of five:
/// the lease index serves only the lease expiry query (<c>status = 'running' AND lease_expires_at &lt; now</c>) and
/// holds running rows only; the workflow index serves only <c>workflow_id = @id</c> listings, which imply a
/// workflow id, and skips the runs of posted payloads. Both SQLite and PostgreSQL use a partial index when the
/// query's condition implies the index's, which these do. Queued runs are claimed through the status index.
/// </summary>
[Migration(5, "partial indexes for the lease and workflow queries")]
public sealed class M0005PartialIndexes : Migration
{
    public override void Up()
    {
        Delete.Index("ix_executions_status_lease").OnTable("executions");
        Delete.Index("ix_executions_workflow_created").OnTable("executions");
        Execute.Sql("CREATE INDEX ix_executions_running_lease ON executions (lease_expires_at) WHERE status = 'running'");
        Execute.Sql("CREATE INDEX ix_executions_workflow ON executions (workflow_id, created_at DESC, id DESC) WHERE workflow_id IS NOT NULL");
    }

    public override void Down()
    {
        Delete.Index("ix_executions_workflow").OnTable("executions");
        Delete.Index("ix_executions_running_lease").OnTable("executions");
        Create.Index("ix_executions_workflow_created").OnTable("executions")
            .OnColumn("workflow_id").Ascending().OnColumn("created_at").Descending().OnColumn("id").Descending();
        Create.Index("ix_executions_status_lease").OnTable("executions")
            .OnColumn("status").Ascending().OnColumn("lease_expires_at").Ascending();
    }
}
