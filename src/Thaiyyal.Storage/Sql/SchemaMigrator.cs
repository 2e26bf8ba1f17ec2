using System.Reflection;
using FluentMigrator;
using FluentMigrator.Runner;
using FluentMigrator.Runner.Initialization;
using Microsoft.Extensions.DependencyInjection;
using Thaiyyal.Storage.Migrations;

namespace Thaiyyal.Storage.Sql;

/// <summary>Applies the schema with FluentMigrator (its <c>VersionInfo</c> table records what ran) under the dialect's lock.</summary>
internal static class SchemaMigrator
{
    /// <summary>The newest schema version this build knows.</summary>
    public static long LatestKnownVersion { get; } = typeof(M0001InitialSchema).Assembly.GetTypes()
        .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Version ?? 0).Max();

    /// <param name="dialect">The database.</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <param name="upTo">The version to stop at (tests of upgrades); the newest when not given.</param>
    public static async Task MigrateAsync(SqlDialect dialect, CancellationToken cancellationToken, long? upTo = null)
    {
        await dialect.InitializeAsync(cancellationToken);
        await using var migrationLock = await dialect.AcquireMigrationLockAsync(cancellationToken);
        await Task.Run(() => Migrate(dialect, upTo), cancellationToken);
    }

    private static void Migrate(SqlDialect dialect, long? upTo)
    {
        var services = new ServiceCollection()
            .AddFluentMigratorCore()
            .ConfigureRunner(runner =>
            {
                dialect.AddMigrationProcessor(runner);
                runner.WithGlobalConnectionString(dialect.MigrationConnectionString)
                    .ScanIn(typeof(M0001InitialSchema).Assembly).For.Migrations();
            })
            // Only this assembly's migrations, whatever else is loaded.
            .Configure<RunnerOptions>(options => options.Tags = [])
            .BuildServiceProvider(validateScopes: false);
        using (services)
        {
            using var scope = services.CreateScope();
            var versions = scope.ServiceProvider.GetRequiredService<IVersionLoader>();
            versions.LoadVersionInfo();
            var applied = versions.VersionInfo.Latest();
            if (applied > LatestKnownVersion)
            {
                throw new StorageException(
                    $"the database schema at {dialect.Describe} is version {applied}, newer than this build knows ({LatestKnownVersion}); " +
                    "run a Thaiyyal release that knows it, or restore a backup taken before the upgrade");
            }
            var runner = scope.ServiceProvider.GetRequiredService<IMigrationRunner>();
            if (upTo is { } version) runner.MigrateUp(version);
            else runner.MigrateUp();
        }
    }
}
