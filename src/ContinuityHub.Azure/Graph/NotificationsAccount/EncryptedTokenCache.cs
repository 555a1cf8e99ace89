using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ContinuityHub.Azure.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Identity.Client;

namespace ContinuityHub.Azure.Graph.NotificationsAccount;

/// <summary>
/// The notifications account's MSAL token cache, kept as one blob (<c>graph-token-cache/notifications-account.bin</c>)
/// encrypted with AES-256-GCM under <c>Graph:TokenCacheKey</c>: a format version byte, the 12-byte nonce, the 16-byte
/// tag, then the ciphertext. The account's UPN and home account id are in the blob's metadata and bound to the
/// ciphertext as associated data, so neither can be changed without the blob becoming unreadable. Every write is
/// conditional on the ETag read (or on the blob being absent), so two refreshing instances never overwrite each other
/// unnoticed; a write that loses reads the blob again and retries once.
/// </summary>
public sealed class EncryptedTokenCache
{
    /// <summary>The blob's name in its container.</summary>
    public const string BlobName = "notifications-account.bin";

    /// <summary>The format version byte written first.</summary>
    public const byte FormatVersion = 1;

    public const string AccountMetadata = "account";
    public const string HomeAccountIdMetadata = "homeaccountid";
    public const string StoredAtMetadata = "storedat";

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int HeaderBytes = 1 + NonceBytes + TagBytes;

    private readonly StorageClients _clients;
    private readonly byte[]? _key;
    private readonly HubValidationException? _keyProblem;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private ETag? _loadedETag;
    private NotificationsAccountIdentity? _loadedAccount;

    /// <param name="clients">The storage account.</param>
    /// <param name="tokenCacheKey">The value of <c>Graph:TokenCacheKey</c>; a missing or malformed key fails each read and write with a <see cref="HubValidationException"/> naming it.</param>
    /// <param name="time">The clock the storage time is taken from.</param>
    /// <param name="containerName">The container: <c>graph-token-cache</c>, or one of a test's own.</param>
    /// <param name="logger">Where writes are logged.</param>
    public EncryptedTokenCache(
        StorageClients clients,
        string? tokenCacheKey,
        TimeProvider? time = null,
        string containerName = StorageNames.TokenCacheContainer,
        ILogger<EncryptedTokenCache>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentException.ThrowIfNullOrWhiteSpace(containerName);
        _clients = clients;
        try
        {
            _key = TokenCacheKey.Parse(tokenCacheKey);
        }
        catch (HubValidationException e)
        {
            _keyProblem = e;
        }

        _time = time ?? TimeProvider.System;
        ContainerName = containerName;
        _logger = logger ?? NullLogger<EncryptedTokenCache>.Instance;
    }

    public string ContainerName { get; }

    /// <summary>Where the cache is: <c>{container}/notifications-account.bin</c>.</summary>
    public string Path => $"{ContainerName}/{BlobName}";

    /// <summary>The stored cache, decrypted; <c>null</c> when none is stored.</summary>
    /// <exception cref="TokenCacheUnreadableException">The key is not the one it was stored with, or the blob was altered.</exception>
    /// <exception cref="HubValidationException"><c>Graph:TokenCacheKey</c> is missing or malformed.</exception>
    public async Task<StoredTokenCache?> ReadAsync(CancellationToken cancellationToken)
    {
        var key = Key;
        var blob = await BlobAsync(cancellationToken);
        BlobDownloadResult download;
        try
        {
            download = (await blob.DownloadContentAsync(cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        var metadata = new Dictionary<string, string>(download.Details.Metadata, StringComparer.OrdinalIgnoreCase);
        var username = Unescape(metadata.GetValueOrDefault(AccountMetadata));
        var homeAccountId = Unescape(metadata.GetValueOrDefault(HomeAccountIdMetadata));
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(homeAccountId))
        {
            throw TokenCacheUnreadableException.For(Path, "the blob does not name the account it belongs to");
        }

        var account = new NotificationsAccountIdentity(username, homeAccountId);
        var content = Decrypt(key, download.Content.ToMemory(), account);
        var storedAt = DateTimeOffset.TryParse(
            metadata.GetValueOrDefault(StoredAtMetadata), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
        return new StoredTokenCache(content, account, storedAt, download.Details.ETag);
    }

    /// <summary>
    /// Stores <paramref name="content"/> (MSAL's v3 serialization) for <paramref name="account"/>, encrypted: only while
    /// the blob still has ETag <paramref name="ifMatch"/>, or, when that is <c>null</c>, only while there is no blob.
    /// </summary>
    /// <returns>The new blob's ETag.</returns>
    /// <exception cref="ConcurrencyConflictException">The blob changed (or appeared) since it was read.</exception>
    public async Task<ETag> WriteAsync(ReadOnlyMemory<byte> content, NotificationsAccountIdentity account, ETag? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var key = Key;
        var blob = await BlobAsync(cancellationToken);
        var options = new BlobUploadOptions
        {
            Conditions = ifMatch is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [AccountMetadata] = Uri.EscapeDataString(account.Username),
                [HomeAccountIdMetadata] = Uri.EscapeDataString(account.HomeAccountId),
                [StoredAtMetadata] = _time.GetUtcNow().ToString("o", CultureInfo.InvariantCulture),
            },
        };
        try
        {
            var response = await blob.UploadAsync(BinaryData.FromBytes(Encrypt(key, content.Span, account)), options, cancellationToken);
            Log.CacheStored(_logger, Path, account.Username);
            return response.Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw new ConcurrencyConflictException(
                $"The notifications account's token cache {Path} was changed by another writer meanwhile ({e.Status} {e.ErrorCode}).", e);
        }
    }

    /// <summary>
    /// Stores <paramref name="content"/> over whatever is stored now (as <c>hub graph login</c> does): conditional on
    /// the ETag just read, once more if another writer came in between.
    /// </summary>
    public async Task<ETag> ReplaceAsync(ReadOnlyMemory<byte> content, NotificationsAccountIdentity account, CancellationToken cancellationToken)
    {
        var current = await CurrentETagAsync(cancellationToken);
        try
        {
            return await WriteAsync(content, account, current, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            Log.CacheConflictRetried(_logger, Path);
            return await WriteAsync(content, account, await CurrentETagAsync(cancellationToken), cancellationToken);
        }
    }

    /// <summary>
    /// Makes this blob the persistence of an MSAL user token cache: read and deserialized before each access (when it
    /// changed), serialized and written after each access that changed it, conditional on the ETag last read. When
    /// another instance wrote in between, the blob is read again and this cache written once more over it; when that
    /// loses too, the other writer's cache (a fresh sign-in or refresh of its own) is kept.
    /// </summary>
    public void Bind(ITokenCache tokenCache)
    {
        ArgumentNullException.ThrowIfNull(tokenCache);
        tokenCache.SetBeforeAccessAsync(BeforeAccessAsync);
        tokenCache.SetAfterAccessAsync(AfterAccessAsync);
    }

    private async Task BeforeAccessAsync(TokenCacheNotificationArgs args)
    {
        var stored = await ReadAsync(args.CancellationToken);
        lock (_gate)
        {
            if (stored is null)
            {
                args.TokenCache.DeserializeMsalV3(null, shouldClearExistingCache: true);
                _loadedETag = null;
                _loadedAccount = null;
            }
            else if (_loadedETag != stored.ETag)
            {
                args.TokenCache.DeserializeMsalV3(stored.Content.ToArray(), shouldClearExistingCache: true);
                _loadedETag = stored.ETag;
                _loadedAccount = stored.Account;
            }
        }
    }

    private async Task AfterAccessAsync(TokenCacheNotificationArgs args)
    {
        if (!args.HasStateChanged)
        {
            return;
        }

        byte[] content;
        ETag? expected;
        NotificationsAccountIdentity? account;
        lock (_gate)
        {
            content = args.TokenCache.SerializeMsalV3();
            expected = _loadedETag;
            account = args.Account is { Username: { Length: > 0 } username, HomeAccountId.Identifier: { Length: > 0 } id }
                ? new NotificationsAccountIdentity(username, id)
                : _loadedAccount;
        }

        if (account is null)
        {
            return;
        }

        ETag written;
        try
        {
            written = await WriteAsync(content, account, expected, args.CancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            Log.CacheConflictRetried(_logger, Path);
            try
            {
                written = await WriteAsync(content, account, await CurrentETagAsync(args.CancellationToken), args.CancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                Log.CacheConflictKeptOther(_logger, Path);
                return;
            }
        }

        lock (_gate)
        {
            _loadedETag = written;
            _loadedAccount = account;
        }
    }

    private byte[] Key => _key ?? throw _keyProblem!;

    private async Task<ETag?> CurrentETagAsync(CancellationToken cancellationToken)
    {
        var blob = await BlobAsync(cancellationToken);
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private async Task<BlobClient> BlobAsync(CancellationToken cancellationToken) =>
        (await _clients.GetContainerAsync(ContainerName, cancellationToken)).GetBlobClient(BlobName);

    private static byte[] Encrypt(byte[] key, ReadOnlySpan<byte> plaintext, NotificationsAccountIdentity account)
    {
        var sealedBlob = new byte[HeaderBytes + plaintext.Length];
        sealedBlob[0] = FormatVersion;
        var nonce = sealedBlob.AsSpan(1, NonceBytes);
        var tag = sealedBlob.AsSpan(1 + NonceBytes, TagBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBlob.AsSpan(HeaderBytes), tag, AssociatedData(account));
        return sealedBlob;
    }

    private byte[] Decrypt(byte[] key, ReadOnlyMemory<byte> stored, NotificationsAccountIdentity account)
    {
        var span = stored.Span;
        if (span.Length < HeaderBytes)
        {
            throw TokenCacheUnreadableException.For(Path, $"it is {span.Length} bytes, too short to be an encrypted cache");
        }

        if (span[0] != FormatVersion)
        {
            throw TokenCacheUnreadableException.For(Path, $"its format version is {span[0]}, this hub writes {FormatVersion}");
        }

        var plaintext = new byte[span.Length - HeaderBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(span.Slice(1, NonceBytes), span[HeaderBytes..], span.Slice(1 + NonceBytes, TagBytes), plaintext, AssociatedData(account));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw TokenCacheUnreadableException.For(Path, "it does not decrypt with Graph:TokenCacheKey", e);
        }

        return plaintext;
    }

    /// <summary>The account the cache belongs to, bound to the ciphertext: another account's metadata makes it unreadable.</summary>
    private static byte[] AssociatedData(NotificationsAccountIdentity account) =>
        Encoding.UTF8.GetBytes($"continuityhub/graph-token-cache/v{FormatVersion}\n{account.Username.ToUpperInvariant()}\n{account.HomeAccountId}");

    private static string? Unescape(string? value) => value is null ? null : Uri.UnescapeDataString(value);
}
