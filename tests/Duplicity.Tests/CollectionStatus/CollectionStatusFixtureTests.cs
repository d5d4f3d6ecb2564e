using System.Text.Json;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.CollectionStatus;

/// <summary>
/// Every recorded collection-status of every duplicity version: the machine log must give exactly the manifest's
/// facts, the human text (the step's own stdout and the plain step recorded just before it) must agree with them,
/// and runs that printed no listing (lock, backend failure, --show-changes-in-set) must be refused.
/// </summary>
public class CollectionStatusFixtureTests
{
    public static IEnumerable<TestCaseData> MachineListings() => FixtureStep.All
        .Where(s => s.HasListingFacts)
        .Select(s => new TestCaseData(s).SetName($"machine log {s}"));

    /// <summary>(text step, step whose machine facts it must match): own stdout of a -logfd step, and the plain step before it.</summary>
    public static IEnumerable<TestCaseData> TextListings()
    {
        foreach (var s in FixtureStep.All)
        {
            if (s.HasListingFacts && s.IsCollectionStatus && s.Has("stdout.txt"))
                yield return new TestCaseData(s, "stdout.txt", s).SetName($"own stdout {s}");
            if (s.IsCollectionStatus && s.ExitCode == 0 && !s.IsChangesQuery && !s.Has("log-fd3.txt")
                && s.Next is { } next && next.HasListingFacts && next.Label == s.Label + "-logfd")
                yield return new TestCaseData(s, "stdout.txt", next).SetName($"plain stdout {s}");
        }
    }

    /// <summary>Plain collection-status steps recorded without a -logfd twin: they must still parse.</summary>
    public static IEnumerable<TestCaseData> UnpairedTexts() => FixtureStep.All
        .Where(s => s.IsCollectionStatus && s.ExitCode == 0 && !s.IsChangesQuery && !s.Has("log-fd3.txt")
                    && !(s.Next is { } n && n.HasListingFacts && n.Label == s.Label + "-logfd"))
        .Select(s => new TestCaseData(s).SetName($"unpaired stdout {s}"));

    /// <summary>Collection-status runs that printed no listing: failed (lock 23, backend 23/50) or --show-changes-in-set.</summary>
    public static IEnumerable<TestCaseData> NoListing()
    {
        foreach (var s in FixtureStep.All.Where(s => s.IsCollectionStatus && (s.ExitCode != 0 || s.IsChangesQuery)))
            foreach (var file in new[] { "log-fd3.txt", "stdout.txt", "output-merged.txt" })
                if (s.Has(file)) yield return new TestCaseData(s, file).SetName($"refused {file} {s}");
    }

    [TestCaseSource(nameof(MachineListings))]
    public void Machine_log_gives_the_manifest_facts(FixtureStep step)
    {
        var collection = StatusFileReader.Read(step.PathOf("log-fd3.txt"), TimeZoneInfo.Utc);

        collection.Source.Should().Be(BackupSourceKind.MachineLog);
        ShouldMatch(collection, step.Facts, withEncryption: true);
        CheckTruthRule(collection, step);
    }

    [TestCaseSource(nameof(TextListings))]
    public void Human_text_agrees_with_the_machine_facts(FixtureStep textStep, string file, FixtureStep factsStep)
    {
        var text = StatusFileReader.Read(textStep.PathOf(file), textStep.Zone);
        var machine = StatusFileReader.Read(factsStep.PathOf("log-fd3.txt"), TimeZoneInfo.Utc);

        text.Source.Should().Be(BackupSourceKind.StatusText);
        ShouldMatch(text, factsStep.Facts, withEncryption: false);
        text.NewestSetMayBeIncomplete.Should().Be(machine.NewestSetMayBeIncomplete);
        text.LastCompleteBackup?.Time.Should().Be(machine.LastCompleteBackup?.Time);
        text.LastCompleteFull?.Time.Should().Be(machine.LastCompleteFull?.Time);
        text.Name.Should().Be(machine.Name).And.MatchRegex("^[0-9a-f]{32}$");
        text.Warnings.Count.Should().Be(machine.Warnings.Count, "the same warnings are printed on stdout and logged");
    }

    [TestCaseSource(nameof(UnpairedTexts))]
    public void Unpaired_human_text_parses(FixtureStep step)
    {
        var collection = StatusFileReader.Read(step.PathOf("stdout.txt"), step.Zone);

        collection.Source.Should().Be(BackupSourceKind.StatusText);
        foreach (var chain in collection.Chains) chain.Sets.Should().NotBeEmpty();
    }

    [TestCaseSource(nameof(NoListing))]
    public void Output_without_a_listing_is_refused(FixtureStep step, string file)
    {
        var read = () => StatusFileReader.Read(step.PathOf(file), step.Zone);

        var reason = read.Should().Throw<CheckException>().Which.Message;
        if (step.ExitCode != 0 && file == "log-fd3.txt") reason.Should().StartWith("duplicity failed").And.Contain($"ERROR {step.ExitCode}");
        if (step.IsChangesQuery) reason.Should().MatchRegex("show-changes-in-set|no chain listing|no 'Collection Status' block");
    }

    private static void ShouldMatch(BackupCollection collection, JsonElement facts, bool withEncryption)
    {
        var expectedChains = facts.GetProperty("chains").EnumerateArray().ToList();
        collection.Chains.Should().HaveCount(expectedChains.Count);
        for (var c = 0; c < expectedChains.Count; c++)
        {
            var chain = collection.Chains[c];
            var expected = expectedChains[c];
            chain.Kind.Should().Be(expected.GetProperty("kind").GetString() == "primary" ? ChainKind.Primary : ChainKind.Secondary);
            var sets = expected.GetProperty("sets").EnumerateArray().ToList();
            chain.Sets.Should().HaveCount(sets.Count);
            for (var i = 0; i < sets.Count; i++)
            {
                var set = chain.Sets[i];
                set.Type.Should().Be(sets[i].GetProperty("type").GetString() == "full" ? BackupSetType.Full : BackupSetType.Incremental);
                set.Time.ToUnixTimeSeconds().Should().Be(sets[i].GetProperty("epoch").GetInt64());
                set.Time.Offset.Should().Be(TimeSpan.Zero);
                set.Volumes.Should().Be(sets[i].GetProperty("volumes").GetInt32());
                set.Encrypted.Should().Be(withEncryption ? sets[i].GetProperty("encrypted").GetBoolean() : null);
            }
        }
        collection.OrphanedSets.Should().Be(facts.GetProperty("orphaned_sets_num").GetInt32());
        collection.IncompleteSets.Should().Be(facts.GetProperty("incomplete_sets_num").GetInt32());
        collection.Chains.Count.Should().Be(facts.GetProperty("num_chains").GetInt32());
        collection.BackupSets.Should().Be(facts.GetProperty("num_backup_sets_total").GetInt32());
        collection.Volumes.Should().Be(facts.GetProperty("num_volumes_total").GetInt32());
        (collection.PrimaryChain is not null).Should().Be(facts.GetProperty("has_primary_chain").GetBoolean());
        Epoch(collection.AllSets.Where(s => s.IsFull).Select(s => (DateTimeOffset?)s.Time).Max())
            .Should().Be(NullableEpoch(facts.GetProperty("last_full_backup_epoch")));
        Epoch(collection.AllSets.Select(s => (DateTimeOffset?)s.Time).Max())
            .Should().Be(NullableEpoch(facts.GetProperty("last_backup_epoch_any_type")));
    }

    /// <summary>
    /// The 3.1.0 rule: with incomplete sets counted, 3.1.0 lists them as chain rows, older versions do not; and the
    /// last complete backup is never newer than the newest set the destination holds with its manifest.
    /// </summary>
    private static void CheckTruthRule(BackupCollection collection, FixtureStep step)
    {
        var expectDistrust = collection.IncompleteSets > 0 && collection.BackupSets > 0 && step.Version == "3.1.0";
        collection.NewestSetMayBeIncomplete.Should().Be(expectDistrust);
        if (collection.IncompleteSets == 0 || !step.Json.TryGetProperty("destination_complete_sets", out var complete)) return;
        var sets = complete.EnumerateArray().ToList();
        var newestAtDestination = sets.Select(s => (long?)s.GetProperty("epoch").GetInt64()).Max();
        var newestFullAtDestination = sets.Where(s => s.GetProperty("type").GetString() == "full").Select(s => (long?)s.GetProperty("epoch").GetInt64()).Max();
        var lastComplete = collection.LastCompleteBackup?.Time.ToUnixTimeSeconds();
        var lastFull = collection.LastCompleteFull?.Time.ToUnixTimeSeconds();
        NotNewerThan(lastComplete, newestAtDestination, "the last complete backup");
        NotNewerThan(lastFull, newestFullAtDestination, "the last complete full");
    }

    private static void NotNewerThan(long? claimed, long? newestReal, string what)
    {
        if (newestReal is null) claimed.Should().BeNull($"the destination holds no such complete set, so {what} must be unknown");
        else if (claimed is not null) claimed.Should().BeLessThanOrEqualTo(newestReal.Value, $"{what} must not be newer than the destination shows");
    }

    private static long? Epoch(DateTimeOffset? t) => t?.ToUnixTimeSeconds();

    private static long? NullableEpoch(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetInt64();
}
