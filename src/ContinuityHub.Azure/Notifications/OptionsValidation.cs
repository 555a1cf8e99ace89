using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace ContinuityHub.Azure.Notifications;

/// <summary>What the hub's optional-settings classes share: binding a section, and failing with their first problem in one line.</summary>
internal static class OptionsValidation
{
    public static T Bind<T>(IConfigurationSection section)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(section);
        var options = new T();
        section.Bind(options);
        return options;
    }

    /// <exception cref="InvalidOperationException">The first problem, naming the setting.</exception>
    public static void ThrowIfInvalid(IValidatableObject options)
    {
        if (options.Validate(new ValidationContext(options)).FirstOrDefault() is { } problem)
        {
            throw new InvalidOperationException(problem.ErrorMessage);
        }
    }
}
