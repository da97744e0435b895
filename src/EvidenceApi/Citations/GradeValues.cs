using EvidenceApi.Infrastructure;
using FluentValidation;

namespace EvidenceApi.Citations;

/// <summary>The values each grading scheme allows: a citation's grade and a finding's level follow the same rule.</summary>
public static class GradeValues
{
    private static readonly string[] Nasem = ["conclusive", "substantial", "moderate", "limited", "insufficient"];
    private static readonly string[] Grade = ["high", "moderate", "low", "very-low"];

    /// <summary>Every value of either scheme, the National Academies' first.</summary>
    public static readonly string[] All = [.. Nasem.Union(Grade)];

    public static IReadOnlyList<string> Of(GradeScheme scheme) => scheme == GradeScheme.Nasem2017 ? Nasem : Grade;

    /// <summary>The value must be one of the scheme's that <paramref name="scheme"/> reads from the request.</summary>
    public static IRuleBuilderOptions<T, string> MustBeValueOf<T>(this IRuleBuilder<T, string> rule, Func<T, GradeScheme> scheme) =>
        rule.Must((request, value) => Of(scheme(request)).Contains(value))
            .WithMessage(request => $"Allowed values for {Slugs.Of(scheme(request))}: {string.Join(", ", Of(scheme(request)))}.");
}
