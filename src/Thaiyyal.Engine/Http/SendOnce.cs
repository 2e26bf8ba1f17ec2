namespace Thaiyyal.Engine.Http;

/// <summary>
/// SocketsHttpHandler silently re-sends a request whose connection closed before any response arrived (up to three
/// more times), so a GET to a server that hangs up was sent four times without being counted. Retries are explicit in
/// Thaiyyal (a named client's <c>retry</c>, each attempt counted against <c>MAX_HTTP_CALLS</c>): every request message
/// carries a connection counter, and a second connection opened for the same message is refused, which ends the
/// handler's hidden retry loop with an error instead.
/// </summary>
internal static class SendOnce
{
    private static readonly HttpRequestOptionsKey<Counter> Key = new("thaiyyal.connections");

    /// <summary>Marks a message as sent at most once on a new connection.</summary>
    public static void Mark(HttpRequestMessage message) => message.Options.Set(Key, new Counter());

    /// <summary>Called for each new connection; throws when the message already had one.</summary>
    public static void OnConnect(HttpRequestMessage? initialRequest)
    {
        if (initialRequest is null || !initialRequest.Options.TryGetValue(Key, out var counter)) return;
        if (Interlocked.Increment(ref counter.Connections) > 1)
            throw new HttpRequestException("the connection closed without a response; the request is not sent again (retries are set on a named HTTP client)");
    }

    private sealed class Counter
    {
        public int Connections;
    }
}
