using FluentMigrator;

namespace Thaiyyal.Storage.Migrations;

/// <summary>
/// A finished run's node runs and events in its own row: <c>nodes_json</c> and <c>events_json</c> hold them as JSON
/// arrays, so recording a run is one row written instead of one per node and per event (the run history's cost on
/// the synchronous execute route, docs/performance.md). Rows written before this migration, and the events an
/// asynchronous run appends while it runs, stay in <c>execution_nodes</c>/<c>execution_events</c>; reads merge both.
/// </summary>
[Migration(4, "node runs and events of a finished run stored in its executions row")]
public sealed class M0004CompactRuns : Migration
{
    public override void Up()
    {
        Alter.Table("executions").AddColumn("nodes_json").AsString(int.MaxValue).Nullable();
        Alter.Table("executions").AddColumn("events_json").AsString(int.MaxValue).Nullable();
    }

    public override void Down()
    {
        Delete.Column("events_json").FromTable("executions");
        Delete.Column("nodes_json").FromTable("executions");
    }
}
