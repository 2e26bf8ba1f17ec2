using System.Security.Cryptography;
using System.Text;

namespace Thaiyyal.Storage.Sql;

/// <summary>
/// AES-256-GCM over a client's configuration. The client's uid is the associated data, so a sealed configuration
/// cannot be moved to another uid. Layout: format byte (1) · nonce (12) · tag (16) · ciphertext.
/// </summary>
internal sealed class SecretSealer
{
    private const byte Format = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public SecretSealer(byte[] key)
    {
        if (key.Length != 32) throw new StorageException($"the encryption key must be 32 bytes, got {key.Length}");
        _key = key;
    }

    public byte[] Seal(string uid, string plaintext)
    {
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[1 + NonceSize + TagSize + clear.Length];
        sealedBytes[0] = Format;
        var nonce = sealedBytes.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, clear, sealedBytes.AsSpan(1 + NonceSize + TagSize), sealedBytes.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(uid));
        return sealedBytes;
    }

    public string Open(string uid, byte[] sealedBytes)
    {
        if (sealedBytes.Length < 1 + NonceSize + TagSize || sealedBytes[0] != Format)
            throw new StorageException($"the stored configuration of HTTP client '{uid}' is not in a format this build reads");
        var clear = new byte[sealedBytes.Length - 1 - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(1, NonceSize), sealedBytes.AsSpan(1 + NonceSize + TagSize), sealedBytes.AsSpan(1 + NonceSize, TagSize), clear,
                Encoding.UTF8.GetBytes(uid));
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new StorageException(
                $"cannot decrypt the stored configuration of HTTP client '{uid}': THAIYYAL_ENCRYPTION_KEY is not the key it was saved with", ex);
        }
        return Encoding.UTF8.GetString(clear);
    }
}
