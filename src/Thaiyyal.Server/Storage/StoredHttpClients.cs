using Thaiyyal.Engine.Http;

namespace Thaiyyal.Server.Storage;

/// <summary>Named HTTP clients kept in the store: loaded into the engine's registry at start-up.</summary>
public static class StoredHttpClients
{
    /// <summary>
    /// Registers every stored client. One that this build no longer accepts is skipped with a warning naming its
    /// uid and the reason (never a value); a store that cannot be read or decrypted stops start-up.
    /// </summary>
    public static void LoadInto(IThaiyyalStore store, NamedHttpClientRegistry registry, ILogger log)
    {
        var stored = store.HttpClients.ListAsync(CancellationToken.None).GetAwaiter().GetResult();
        foreach (var (uid, configJson) in stored)
        {
            try
            {
                registry.Register(Read(uid, configJson));
            }
            catch (Exception ex) when (ex is JsonException or NamedHttpClientException)
            {
                log.Fields(LogLevel.Warning, "stored HTTP client skipped", ("uid", uid), ("error", ex.Message));
            }
        }
        if (stored.Count > 0) log.Fields(LogLevel.Information, "HTTP clients loaded from the store", ("count", registry.Count));
    }

    /// <summary>A stored configuration (the request's <c>config</c> object as sent); the uid comes from the key when the object has none.</summary>
    public static NamedHttpClientConfig Read(string uid, string configJson)
    {
        using var document = JsonDocument.Parse(configJson, new JsonDocumentOptions { MaxDepth = 32 });
        var config = NamedHttpClientJson.Read(document.RootElement);
        return config.Uid.Length == 0 ? config with { Uid = uid } : config;
    }
}
