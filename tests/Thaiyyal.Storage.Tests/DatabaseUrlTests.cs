using Npgsql;

namespace Thaiyyal.Storage.Tests;

public sealed class DatabaseUrlTests
{
    [Fact]
    public void A_postgres_url_becomes_an_npgsql_connection_string_with_decoded_parts()
    {
        var builder = new NpgsqlConnectionStringBuilder(
            StoreFactory.ToNpgsqlConnectionString("postgresql://app%40corp:p%40ss%3Aword@db.internal:6543/thaiyyal%5Fprod?sslmode=require&Timeout=5"));
        Assert.Equal(("db.internal", 6543, "app@corp", "p@ss:word", "thaiyyal_prod", SslMode.Require, 5),
            (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database, builder.SslMode, builder.Timeout));
    }

    [Fact]
    public void The_documented_timeouts_can_be_set_in_the_url()
    {
        // operations.md, "When the store is unavailable": giving up sooner on a database that does not answer.
        var builder = new NpgsqlConnectionStringBuilder(StoreFactory.ToNpgsqlConnectionString("postgres://u@h/thaiyyal?Timeout=5&CommandTimeout=10"));
        Assert.Equal((5, 10), (builder.Timeout, builder.CommandTimeout));
    }

    [Theory]
    [InlineData("Host=h;Database=d", 5, 10)]
    [InlineData("Host=h;Database=d;Timeout=15", 15, 10)]
    [InlineData("Host=h;Database=d;timeout=20;commandtimeout=0", 20, 0)]
    [InlineData("Host=h;Database=d;Command Timeout=45", 5, 45)]
    public void The_store_gives_up_on_a_database_that_does_not_answer_unless_told_otherwise(string connectionString, int connect, int command)
    {
        // operations.md, "When the store is unavailable": 5 s to connect, 10 s per command, unless the URL sets them.
        var builder = new NpgsqlConnectionStringBuilder(Sql.PostgresDialect.WithDefaultTimeouts(connectionString));
        Assert.Equal((connect, command), (builder.Timeout, builder.CommandTimeout));
        Assert.Equal((connect, 0), (new NpgsqlConnectionStringBuilder(new Sql.PostgresDialect(connectionString).MigrationConnectionString) is var m ? (m.Timeout, m.CommandTimeout) : default));
    }

    [Fact]
    public void The_port_defaults_to_5432_and_key_value_strings_pass_through()
    {
        Assert.Equal(5432, new NpgsqlConnectionStringBuilder(StoreFactory.ToNpgsqlConnectionString("postgres://u@h/d")).Port);
        Assert.Equal("h", new NpgsqlConnectionStringBuilder(StoreFactory.ToNpgsqlConnectionString("Host=h;Database=d;Username=u")).Host);
    }

    [Theory]
    [InlineData("postgres://u@h/d?nonsense=1", "option Npgsql does not know: nonsense")]
    [InlineData("not a url or a connection string", "neither postgres://user:pass@host:port/db nor an Npgsql connection string")]
    public void A_bad_database_url_is_a_clear_error(string url, string message)
    {
        var error = Assert.Throws<StorageException>(() => StoreFactory.ToNpgsqlConnectionString(url));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64!", "THAIYYAL_ENCRYPTION_KEY is not base64")]
    [InlineData("a2V5", "THAIYYAL_ENCRYPTION_KEY decodes to 3 bytes; it must be 32")]
    public async Task A_bad_encryption_key_is_refused_before_anything_is_opened(string key, string message)
    {
        var directory = Path.Combine(Path.GetTempPath(), "thaiyyal-sqlite-" + Guid.NewGuid().ToString("N"));
        try
        {
            var error = await Assert.ThrowsAsync<StorageException>(() => StoreFactory.OpenAsync(new StoreOptions { DataDirectory = directory, EncryptionKey = key }));
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
