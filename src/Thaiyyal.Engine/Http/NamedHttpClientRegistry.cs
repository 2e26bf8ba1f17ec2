namespace Thaiyyal.Engine.Http;

/// <summary>What went wrong with a named-client operation.</summary>
public enum NamedHttpClientError
{
    /// <summary>The configuration broke a rule (security.md §3.2); the message starts with <c>invalid config: </c>.</summary>
    InvalidConfig,
    /// <summary>A client with this uid is already registered.</summary>
    AlreadyExists,
    /// <summary>No client with this uid is registered.</summary>
    NotFound,
    /// <summary>The registry is full.</summary>
    LimitReached,
}

/// <summary>A named-client operation was refused. The message never contains a credential.</summary>
public sealed class NamedHttpClientException(NamedHttpClientError error, string message) : Exception(message)
{
    public NamedHttpClientError Error { get; } = error;
}

/// <summary>One registered client: its configuration (secrets wrapped in <see cref="Secret"/>).</summary>
public sealed class NamedHttpClient
{
    internal NamedHttpClient(NamedHttpClientConfig config) => Config = config;

    public string Uid => Config.Uid;

    public NamedHttpClientConfig Config { get; }
}

/// <summary>
/// The named outbound clients of a host, keyed by uid; thread-safe. Replacing or removing a client retires
/// its connections once requests in flight finish (<see cref="ClientRetired"/>).
/// </summary>
public sealed class NamedHttpClientRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, NamedHttpClient> _clients = new(StringComparer.Ordinal);

    /// <summary>A registry holding at most <paramref name="maxClients"/> clients (0 = no limit).</summary>
    public NamedHttpClientRegistry(int maxClients = 1000) => MaxClients = maxClients;

    public int MaxClients { get; }

    /// <summary>Raised after a client was replaced or removed, with the entry that is no longer current.</summary>
    public event Action<NamedHttpClient>? ClientRetired;

    public int Count
    {
        get
        {
            lock (_gate) return _clients.Count;
        }
    }

    /// <summary>Adds a client. Throws <see cref="NamedHttpClientException"/> when invalid, taken or full.</summary>
    public NamedHttpClient Register(NamedHttpClientConfig config)
    {
        var client = Prepare(config);
        lock (_gate)
        {
            if (_clients.ContainsKey(client.Uid)) throw new NamedHttpClientException(NamedHttpClientError.AlreadyExists, $"client with UID \"{client.Uid}\" already exists");
            if (MaxClients > 0 && _clients.Count >= MaxClients)
                throw new NamedHttpClientException(NamedHttpClientError.LimitReached, $"too many HTTP clients registered (limit: {MaxClients})");
            _clients.Add(client.Uid, client);
        }
        return client;
    }

    /// <summary>Replaces a registered client's whole configuration (e.g. to rotate a secret).</summary>
    public NamedHttpClient Replace(NamedHttpClientConfig config)
    {
        var client = Prepare(config);
        NamedHttpClient previous;
        lock (_gate)
        {
            if (!_clients.TryGetValue(client.Uid, out previous!)) throw NotFound(client.Uid);
            _clients[client.Uid] = client;
        }
        ClientRetired?.Invoke(previous);
        return client;
    }

    /// <summary>Removes a client; false when the uid is not registered.</summary>
    public bool Remove(string uid)
    {
        NamedHttpClient? removed;
        lock (_gate)
        {
            if (!_clients.Remove(uid, out removed)) return false;
        }
        ClientRetired?.Invoke(removed);
        return true;
    }

    public bool TryGet(string uid, out NamedHttpClient client)
    {
        lock (_gate) return _clients.TryGetValue(uid, out client!);
    }

    /// <summary>The registered uids, sorted. Never the configurations: they hold credentials.</summary>
    public IReadOnlyList<string> List()
    {
        lock (_gate) return _clients.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    private static NamedHttpClient Prepare(NamedHttpClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var withDefaults = config.WithDefaults();
        if (withDefaults.Validate() is { } reason) throw new NamedHttpClientException(NamedHttpClientError.InvalidConfig, $"invalid config: {reason}");
        return new NamedHttpClient(withDefaults);
    }

    private static NamedHttpClientException NotFound(string uid) => new(NamedHttpClientError.NotFound, $"client with UID \"{uid}\" not found");
}
