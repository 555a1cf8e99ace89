using ContinuityHub.Azure.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ContinuityHub.Azure;

public static class ScheduledWorkServiceCollectionExtensions
{
    /// <summary>Each scheduled work as itself (for its timer function) and in the one list both hosts run (<see cref="IScheduledWork"/>).</summary>
    public static IServiceCollection AddScheduledWork(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Add<IncidentQueueDrainWork>(services);
        Add<ReassessWork>(services);
        Add<IntakeRedriveWork>(services);
        Add<ContinuityReportWork>(services);
        Add<OutboxSweepWork>(services);
        Add<EscalationWork>(services);
        Add<HeartbeatWork>(services);
        Add<ExerciseWork>(services);
        Add<ReviewWork>(services);
        return services;
    }

    private static void Add<T>(IServiceCollection services)
        where T : class, IScheduledWork
    {
        services.TryAddSingleton<T>();
        services.AddSingleton<IScheduledWork>(provider => provider.GetRequiredService<T>());
    }
}
