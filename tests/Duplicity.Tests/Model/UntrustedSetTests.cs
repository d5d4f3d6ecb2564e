using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Duplicity.Tests.Model;

/// <summary>
/// The worst case of 3.1.0's listing (incomplete sets listed as chain ends and counted): whichever chain ends the
/// counted incomplete sets are, the last complete backup and the last full are never later than the truth.
/// </summary>
public class UntrustedSetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static BackupSet Full(int hour) => new(BackupSetType.Full, T0.AddHours(hour), 1);

    private static BackupSet Inc(int hour) => new(BackupSetType.Incremental, T0.AddHours(hour), 1);

    private static BackupCollection Collection(int incomplete, bool distrust, params BackupChain[] chains) => new()
    {
        Name = "t", Source = BackupSourceKind.StatusText, SourceDescription = "test", Chains = chains,
        IncompleteSets = incomplete, NewestSetMayBeIncomplete = distrust,
    };

    [Test]
    public void Two_incomplete_sets_without_a_primary_chain_distrust_the_two_newest_chain_ends()
    {
        // Chain A: full 0, inc 10, inc 20; chain B: full 15 alone. Either end may be incomplete, and both are counted.
        var a = new BackupChain(ChainKind.Secondary, [Full(0), Inc(10), Inc(20)]);
        var b = new BackupChain(ChainKind.Secondary, [Full(15)]);
        var c = Collection(2, true, a, b);
        c.LastCompleteBackup!.Time.Should().Be(T0.AddHours(10), "20 and 15 may both be the incomplete ones");
        c.LastCompleteFull!.Time.Should().Be(T0, "the full at 15 may be a killed one");
        // One counted: the worst case is still the newest end for the last backup, and the lone full for the last full.
        var one = Collection(1, true, a, b);
        one.LastCompleteBackup!.Time.Should().Be(T0.AddHours(15));
        one.LastCompleteFull!.Time.Should().Be(T0);
    }

    [Test]
    public void With_a_primary_chain_its_end_is_distrusted()
    {
        var primary = new BackupChain(ChainKind.Primary, [Full(0), Inc(10), Inc(20)]);
        var killed = new BackupChain(ChainKind.Secondary, [Full(30)]);
        var c = Collection(1, true, primary, killed);
        c.LastCompleteBackup!.Time.Should().Be(T0.AddHours(10));
        c.LastCompleteFull!.Time.Should().Be(T0, "the newer full is its own chain's end and may be the killed one");
    }

    [Test]
    public void A_set_inside_a_chain_stays_trusted()
    {
        // An incremental follows its predecessor, so the full at 0 and the inc at 10 are complete whatever is counted.
        var only = new BackupChain(ChainKind.Primary, [Full(0), Inc(10), Inc(20)]);
        var c = Collection(3, true, only);
        c.LastCompleteBackup!.Time.Should().Be(T0.AddHours(10));
        c.LastCompleteFull!.Time.Should().Be(T0);
    }

    [Test]
    public void Without_the_flag_every_listed_set_is_trusted()
    {
        var a = new BackupChain(ChainKind.Primary, [Full(0), Inc(10)]);
        var b = new BackupChain(ChainKind.Secondary, [Full(15)]);
        var c = Collection(2, false, a, b);
        c.LastCompleteBackup!.Time.Should().Be(T0.AddHours(10));
        c.LastCompleteFull!.Time.Should().Be(T0.AddHours(15));
    }
}
