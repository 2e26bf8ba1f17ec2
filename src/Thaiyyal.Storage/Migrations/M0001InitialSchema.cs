using FluentMigrator;

namespace Thaiyyal.Storage.Migrations;

/// <summary>
/// The first schema. Times are <c>bigint</c> microseconds since the Unix epoch (UTC) so that SQLite and PostgreSQL
/// share one column type, one comparison and one index order.
/// </summary>
[Migration(1, "workflows with versions, http clients, executions with node runs and events")]
public sealed class M0001InitialSchema : Migration
{
    public override void Up()
    {
        Create.Table("workflows")
            .WithColumn("id").AsString(200).PrimaryKey()
            .WithColumn("name").AsString(int.MaxValue).NotNullable()
            .WithColumn("description").AsString(int.MaxValue).Nullable()
            .WithColumn("version").AsInt32().NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();
        Create.Index("ix_workflows_created").OnTable("workflows").OnColumn("created_at").Descending().OnColumn("id").Ascending();

        Create.Table("workflow_versions")
            .WithColumn("workflow_id").AsString(200).PrimaryKey()
            .WithColumn("version").AsInt32().PrimaryKey()
            .WithColumn("name").AsString(int.MaxValue).NotNullable()
            .WithColumn("description").AsString(int.MaxValue).Nullable()
            .WithColumn("payload_json").AsString(int.MaxValue).NotNullable()
            .WithColumn("payload_bytes").AsInt64().NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable();

        Create.Table("http_clients")
            .WithColumn("uid").AsString(200).PrimaryKey()
            .WithColumn("config_sealed").AsBinary(int.MaxValue).NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();

        Create.Table("executions")
            .WithColumn("id").AsString(100).PrimaryKey()
            .WithColumn("workflow_id").AsString(200).Nullable()
            .WithColumn("workflow_version").AsInt32().Nullable()
            .WithColumn("payload_hash").AsString(64).NotNullable()
            .WithColumn("payload_json").AsString(int.MaxValue).Nullable()
            .WithColumn("mode").AsString(16).NotNullable()
            .WithColumn("source").AsString(16).NotNullable()
            .WithColumn("status").AsString(16).NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("started_at").AsInt64().Nullable()
            .WithColumn("ended_at").AsInt64().Nullable()
            .WithColumn("duration_ms").AsDouble().Nullable()
            .WithColumn("final_output_json").AsString(int.MaxValue).Nullable()
            .WithColumn("error_json").AsString(int.MaxValue).Nullable()
            .WithColumn("replica").AsString(200).Nullable()
            .WithColumn("lease_expires_at").AsInt64().Nullable();
        // Listing is newest first, optionally by workflow or status; (created_at, id) is the cursor.
        Create.Index("ix_executions_created").OnTable("executions").OnColumn("created_at").Descending().OnColumn("id").Descending();
        Create.Index("ix_executions_workflow_created").OnTable("executions")
            .OnColumn("workflow_id").Ascending().OnColumn("created_at").Descending().OnColumn("id").Descending();
        Create.Index("ix_executions_status_created").OnTable("executions")
            .OnColumn("status").Ascending().OnColumn("created_at").Descending().OnColumn("id").Descending();

        Create.Table("execution_nodes")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("execution_id").AsString(100).NotNullable()
            .WithColumn("node_id").AsString(int.MaxValue).NotNullable()
            .WithColumn("node_type").AsString(int.MaxValue).NotNullable()
            .WithColumn("scope_node_id").AsString(int.MaxValue).Nullable()
            .WithColumn("iteration").AsInt32().Nullable()
            .WithColumn("status").AsString(16).NotNullable()
            .WithColumn("started_at").AsInt64().NotNullable()
            .WithColumn("duration_ms").AsDouble().Nullable()
            .WithColumn("result_json").AsString(int.MaxValue).Nullable()
            .WithColumn("result_truncated").AsInt32().NotNullable()
            .WithColumn("error").AsString(int.MaxValue).Nullable();
        Create.Index("ix_execution_nodes_execution").OnTable("execution_nodes").OnColumn("execution_id");

        Create.Table("execution_events")
            .WithColumn("execution_id").AsString(100).PrimaryKey()
            .WithColumn("sequence").AsInt64().PrimaryKey()
            .WithColumn("type").AsString(64).NotNullable()
            .WithColumn("data_json").AsString(int.MaxValue).NotNullable()
            .WithColumn("timestamp").AsInt64().NotNullable();

        // One row the health check writes, so a read-only or full database shows up as unhealthy.
        Create.Table("store_probe")
            .WithColumn("id").AsInt32().PrimaryKey()
            .WithColumn("checked_at").AsInt64().NotNullable();
        Insert.IntoTable("store_probe").Row(new { id = 1, checked_at = 0L });
    }

    public override void Down()
    {
        Delete.Table("store_probe");
        Delete.Table("execution_events");
        Delete.Table("execution_nodes");
        Delete.Table("executions");
        Delete.Table("http_clients");
        Delete.Table("workflow_versions");
        Delete.Table("workflows");
    }
}
