namespace Thaiyyal.Storage;

/// <summary>
/// Named HTTP clients, kept as their configuration JSON. The repository encrypts the whole configuration at rest
/// (it holds secrets); only the uid is stored in clear.
/// </summary>
public interface IHttpClientRepository
{
    /// <summary>Inserts or replaces the client's configuration.</summary>
    Task UpsertAsync(string uid, string configJson, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string uid, CancellationToken cancellationToken);

    /// <summary>Every stored client, decrypted: (uid, configuration JSON).</summary>
    Task<IReadOnlyList<(string Uid, string ConfigJson)>> ListAsync(CancellationToken cancellationToken);
}
