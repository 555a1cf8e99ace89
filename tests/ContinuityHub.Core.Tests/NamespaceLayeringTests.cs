using System.Reflection;
using ContinuityHub.Outbox;

namespace ContinuityHub.Core.Tests;

/// <summary>Core's areas depend on each other one way only: no cycle among Intake, Notifications, Reporting and Outbox.</summary>
public sealed class NamespaceLayeringTests
{
    private static readonly string[] Areas = ["Intake", "Notifications", "Reporting", "Outbox", "Reactions"];

    [Fact]
    public void The_areas_of_Core_form_no_cycle_in_the_types_their_signatures_use()
    {
        var edges = new HashSet<(string From, string To)>();
        foreach (var type in typeof(OutboxEntry).Assembly.GetTypes())
        {
            if (Area(type) is not { } from)
            {
                continue;
            }

            foreach (var used in Used(type))
            {
                if (Area(used) is { } to && to != from)
                {
                    edges.Add((from, to));
                }
            }
        }

        Assert.Contains(("Intake", "Outbox"), edges); // the check sees dependencies at all
        foreach (var area in Areas)
        {
            Assert.False(Reaches(edges, area, area, []), $"{area} depends on itself through {string.Join(", ", edges.Select(e => $"{e.From}→{e.To}"))}");
        }
    }

    private static string? Area(Type type)
    {
        var parts = (type.Namespace ?? string.Empty).Split('.');
        return parts.Length > 1 && parts[0] == "ContinuityHub" && Areas.Contains(parts[1]) ? parts[1] : null;
    }

    private static IEnumerable<Type> Used(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var types = new List<Type?> { type.BaseType };
        types.AddRange(type.GetInterfaces());
        types.AddRange(type.GetFields(all).Select(f => f.FieldType));
        types.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            types.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                types.Add(info.ReturnType);
            }
        }

        return types.OfType<Type>().SelectMany(Flatten);
    }

    private static IEnumerable<Type> Flatten(Type type)
    {
        if (type.HasElementType)
        {
            return Flatten(type.GetElementType()!);
        }

        return type.IsGenericType ? new[] { type }.Concat(type.GetGenericArguments().SelectMany(Flatten)) : [type];
    }

    private static bool Reaches(HashSet<(string From, string To)> edges, string from, string target, HashSet<string> seen)
    {
        foreach (var (_, to) in edges.Where(e => e.From == from))
        {
            if (to == target || (seen.Add(to) && Reaches(edges, to, target, seen)))
            {
                return true;
            }
        }

        return false;
    }
}
