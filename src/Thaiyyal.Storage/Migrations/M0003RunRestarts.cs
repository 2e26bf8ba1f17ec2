using FluentMigrator;

namespace Thaiyyal.Storage.Migrations;

/// <summary>
/// How often a run was put back on the queue after its replica was lost or handed it back at shutdown (workflows with
/// <c>"on_interrupt": "restart"</c>): the count bounds restarts, so a run that kills every replica it lands on ends.
/// </summary>
[Migration(3, "execution restart count")]
public sealed class M0003RunRestarts : Migration
{
    public override void Up() =>
        Alter.Table("executions").AddColumn("restarts").AsInt32().NotNullable().WithDefaultValue(0);

    public override void Down() => Delete.Column("restarts").FromTable("executions");
}
