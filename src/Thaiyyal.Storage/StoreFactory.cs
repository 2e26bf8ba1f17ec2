using System.Security.Cryptography;
using Npgsql;
using Thaiyyal.Storage.Sql;

namespace Thaiyyal.Storage;

/// <summary>Opens the store the settings name: PostgreSQL for a database URL, else SQLite in the data directory.</summary>
public static class StoreFactory
{
    public const string SqliteFileName = "thaiyyal.db";
    public const string KeyFileName = "encryption.key";

    /// <summary>Opens (and migrates) the store; <see cref="StorageException"/> says why when it cannot.</summary>
    public static async Task<IThaiyyalStore> OpenAsync(StoreOptions options, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(options.DatabaseUrl))
        {
            var dialect = new PostgresDialect(ToNpgsqlConnectionString(options.DatabaseUrl));
            var key = ParseKey(options.EncryptionKey)
                      ?? throw new StorageException(
                          "THAIYYAL_ENCRYPTION_KEY is required with PostgreSQL (base64 of 32 random bytes, the same on every replica), " +
                          "so that HTTP client secrets are encrypted with a key that is not kept in the database");
            return await SqlStore.OpenAsync(dialect, options, new SecretSealer(key), cancellationToken);
        }
        var directory = Path.GetFullPath(options.DataDirectory);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot create the data directory {directory}: {ex.Message}", ex);
        }
        var database = Path.Combine(directory, SqliteFileName);
        var sqliteKey = ParseKey(options.EncryptionKey) ?? LoadOrCreateKeyFile(Path.Combine(directory, KeyFileName), database);
        return await SqlStore.OpenAsync(new SqliteDialect(database), options, new SecretSealer(sqliteKey), cancellationToken);
    }

    /// <summary>
    /// <c>postgres://user:pass@host:port/db?sslmode=require</c> (also <c>postgresql://</c>) to the Npgsql form; anything
    /// else is taken as an Npgsql connection string already.
    /// </summary>
    public static string ToNpgsqlConnectionString(string databaseUrl)
    {
        var text = databaseUrl.Trim();
        if (!text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) &&
            !text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(text).ConnectionString;
            }
            catch (ArgumentException ex)
            {
                throw new StorageException($"the database URL is neither postgres://user:pass@host:port/db nor an Npgsql connection string: {ex.Message}", ex);
            }
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new StorageException("the database URL is not a valid postgres://user:pass@host:port/db URL");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            try
            {
                // libpq's sslmode values (disable, require, ...) are Npgsql's SSL Mode names too.
                builder[name.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : name] = value;
            }
            catch (ArgumentException ex)
            {
                throw new StorageException($"the database URL has an option Npgsql does not know: {name}", ex);
            }
        }
        return builder.ConnectionString;
    }

    private static byte[]? ParseKey(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64)) return null;
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException ex)
        {
            throw new StorageException("THAIYYAL_ENCRYPTION_KEY is not base64 (expected base64 of 32 random bytes)", ex);
        }
        return key.Length == 32 ? key : throw new StorageException($"THAIYYAL_ENCRYPTION_KEY decodes to {key.Length} bytes; it must be 32");
    }

    /// <summary>
    /// SQLite without a configured key: one generated on first start, kept beside (not inside) the database
    /// (<paramref name="databasePath"/>), owner-only.
    /// </summary>
    private static byte[] LoadOrCreateKeyFile(string path, string databasePath)
    {
        try
        {
            if (File.Exists(path))
            {
                if (ParseKey(File.ReadAllText(path)) is { } existing) return existing;
                if (File.Exists(databasePath))
                    throw new StorageException($"the key file {path} is empty, and the registered HTTP clients in {databasePath} cannot be read without the key that sealed them");
                // Left by a first start that could not write the key (a full disk, before keys were written whole): the
                // database was never made, so nothing is sealed with it.
                File.Delete(path);
            }
            return CreateKeyFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot read or create the encryption key file {path}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Writes a new key to a file of its own, synced, then moves it to <paramref name="path"/>: the key file is whole or
    /// absent, never empty (a full disk used to leave an empty one that every later start refused).
    /// </summary>
    private static byte[] CreateKeyFile(string path)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var written = $"{path}.{Guid.NewGuid():N}.new";
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(written, fileOptions))
            {
                stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
                stream.Flush(flushToDisk: true);
            }
            File.Move(written, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made the key first (the move replaces no file): use theirs.
            return ParseKey(File.ReadAllText(path)) ?? throw new StorageException($"the key file {path} is empty");
        }
        finally
        {
            File.Delete(written);
        }
    }
}
