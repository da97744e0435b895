namespace EvidenceApi.Tests.Infrastructure;

/// <summary>
/// Tests that load the machine (32 racing editors, 20,000 synthetic claims) or measure time bounds (a frozen database,
/// statement budgets) run alone, after the others: on two cores they would otherwise measure each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "Load and time bounds";
}
