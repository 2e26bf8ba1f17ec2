using FluentMigrator;

namespace Thaiyyal.Storage.Migrations;

/// <summary>
/// The slots of the servers that make execution ids: each running server holds one <c>slot</c> (0–2047), whose number
/// goes into every id it makes, and renews <c>seen_at</c> while it runs; a slot not renewed for a while may be
/// claimed by a new server (<see cref="IExecutionRepository.ClaimIdGeneratorAsync"/>). So replicas sharing a store
/// never make the same id, although each id is ordered by time.
/// </summary>
[Migration(6, "execution id generator slots")]
public sealed class M0006IdGenerators : Migration
{
    public override void Up()
    {
        Create.Table("id_generators")
            .WithColumn("slot").AsInt32().PrimaryKey()
            .WithColumn("claim").AsString().NotNullable()
            .WithColumn("instance").AsString().NotNullable()
            .WithColumn("claimed_at").AsInt64().NotNullable()
            .WithColumn("seen_at").AsInt64().NotNullable();
    }

    public override void Down() => Delete.Table("id_generators");
}
