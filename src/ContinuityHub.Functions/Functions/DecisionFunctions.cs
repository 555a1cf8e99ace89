using ContinuityHub.Azure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ContinuityHub.Functions;

/// <summary>
/// The decision links on the crisis team's cards. Anonymous at the host on purpose: the people who open them hold no
/// function key, and the link's own HMAC signature, expiry and single use are its authentication (a forged link is
/// refused with 401, an expired or used one with 410, and nothing is recorded).
/// </summary>
public sealed class DecisionFunctions(DecisionEndpoint decisions, AutomationEndpoint automations)
{
    /// <summary><c>GET /api/decisions/{token}</c> shows what the link does; <c>POST</c> records the decision.</summary>
    [Function(nameof(Decide))]
    public Task<IResult> Decide(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = DecisionEndpoint.Route)] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        decisions.HandleAsync(token, request, cancellationToken);

    /// <summary>
    /// <c>POST /api/automations/{token}</c>: a plan's automation reports started, succeeded or failed. Anonymous at the
    /// host for the same reason: the callback URL's signed token is its authentication (401 forged, 410 expired or
    /// the status already reported), so an Automation runbook or a pipeline needs no function key.
    /// </summary>
    [Function(nameof(ReportAutomation))]
    public Task<IResult> ReportAutomation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AutomationEndpoint.Route)] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        automations.PostAsync(token, request, cancellationToken);
}
