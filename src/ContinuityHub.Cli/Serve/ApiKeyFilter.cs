using System.Security.Cryptography;
using System.Text;
using ContinuityHub.Azure.Http;
using Microsoft.AspNetCore.Http;

namespace ContinuityHub.Cli.Serve;

/// <summary>
/// What a function key does in Azure, for <c>hub serve</c>: the route needs <c>Serve:ApiKey</c> in the
/// <c>x-functions-key</c> header or the <c>code</c> query parameter, compared in constant time; else 401.
/// </summary>
internal sealed class ApiKeyFilter(string apiKey) : IEndpointFilter
{
    public const string Header = "x-functions-key";
    public const string Query = "code";

    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var given = request.Headers.TryGetValue(Header, out var header) && header.Count > 0
            ? header.ToString()
            : request.Query.TryGetValue(Query, out var query) && query.Count > 0 ? query.ToString() : null;
        if (given is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _expected))
        {
            return next(context);
        }

        return ValueTask.FromResult<object?>(HttpProblems.Create(
            context.HttpContext,
            StatusCodes.Status401Unauthorized,
            given is null ? "API key missing" : "API key invalid",
            $"This route needs the key of the {ServeSettings.ApiKeySetting} setting in the {Header} header or the '{Query}' query parameter."));
    }
}
