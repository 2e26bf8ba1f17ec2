using FluentMigrator;

namespace Thaiyyal.Storage.Migrations;

/// <summary>
/// The shared run queue: a cancel request any replica can leave for the one running the run, and an index for the
/// two queue scans (oldest queued run to claim, running runs whose lease ran out).
/// </summary>
[Migration(2, "execution cancel requests and the queue/lease index")]
public sealed class M0002QueueLeases : Migration
{
    public override void Up()
    {
        Alter.Table("executions").AddColumn("cancel_requested_at").AsInt64().Nullable();
        Create.Index("ix_executions_status_lease").OnTable("executions")
            .OnColumn("status").Ascending().OnColumn("lease_expires_at").Ascending();
    }

    public override void Down()
    {
        Delete.Index("ix_executions_status_lease").OnTable("executions");
        Delete.Column("cancel_requested_at").FromTable("executions");
    }
}
