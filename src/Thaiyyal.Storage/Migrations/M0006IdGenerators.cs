using FluentMigrator;

namespace Thaiyyal.Storage.Migrations;

/// <summary>
/// One row per server start that makes execution ids: its <c>number</c> (an identity, so no two starts get the same)
/// goes into every id that start makes, which keeps ids from replicas sharing the store apart although each is
/// ordered by time (<see cref="IExecutionRepository.RegisterIdGeneratorAsync"/>).
/// </summary>
[Migration(6, "execution id generators")]
public sealed class M0006IdGenerators : Migration
{
    public override void Up()
    {
        Create.Table("id_generators")
            .WithColumn("number").AsInt64().PrimaryKey().Identity()
            .WithColumn("instance").AsString().NotNullable()
            .WithColumn("registered_at").AsInt64().NotNullable();
    }

    public override void Down() => Delete.Table("id_generators");
}
