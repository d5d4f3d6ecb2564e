using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

public class ChainBuilderTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset D(int day) => Day.AddDays(day);

    private static BackupSet Full(int day) => new(BackupSetType.Full, D(day), 3);

    private static BackupSet Inc(int from, int to) => new(BackupSetType.Incremental, D(to), 1, StartTime: D(from));

    [Test]
    public void Full_and_incrementals_make_one_primary_chain()
    {
        var r = ChainBuilder.Build([Inc(2, 3), Full(1), Inc(1, 2)]);
        r.Chains.Should().ContainSingle();
        r.Chains[0].Kind.Should().Be(ChainKind.Primary);
        r.Chains[0].Sets.Should().Equal(Full(1), Inc(1, 2), Inc(2, 3));
        (r.Chains[0].Start, r.Chains[0].End, r.Chains[0].Volumes).Should().Be((D(1), D(3), 5));
        r.Orphaned.Should().BeEmpty();
    }

    [Test]
    public void A_new_full_starts_the_newest_chain_which_is_primary()
    {
        var r = ChainBuilder.Build([Full(1), Inc(1, 2), Full(8), Inc(8, 9)]);
        r.Chains.Select(c => (c.Kind, c.Start, c.End)).Should().Equal(
            (ChainKind.Secondary, D(1), D(2)),
            (ChainKind.Primary, D(8), D(9)));
    }

    [Test]
    public void An_incremental_whose_start_no_chain_ends_at_is_orphaned()
    {
        // inc 2->3 was deleted, so 3->4 fits nowhere (orphaned-backup-files).
        var r = ChainBuilder.Build([Full(1), Inc(1, 2), Inc(3, 4), Full(5)]);
        r.Orphaned.Should().Equal(Inc(3, 4));
        r.Chains.Select(c => c.End).Should().Equal(D(2), D(5));
    }

    [Test]
    public void Incrementals_without_any_full_are_all_orphaned()
    {
        var r = ChainBuilder.Build([Inc(1, 2), Inc(2, 3)]);
        r.Chains.Should().BeEmpty();
        r.Orphaned.Should().HaveCount(2);
    }

    [Test]
    public void An_incremental_joins_an_older_chain_that_ends_at_its_start()
    {
        // The first chain (oldest first) that accepts it, as upstream's add_to_chains loop does.
        var r = ChainBuilder.Build([Full(1), Full(2), Inc(1, 3)]);
        r.Chains[0].Sets.Should().Equal(Full(1), Inc(1, 3));
        r.Chains[1].Sets.Should().Equal(Full(2));
        r.Orphaned.Should().BeEmpty();
    }

    [Test]
    public void A_later_incremental_from_the_same_start_replaces_the_last_one()
    {
        // "Preferring Backupset over previous one!"
        var r = ChainBuilder.Build([Full(1), Inc(1, 2), Inc(2, 3), Inc(2, 4)]);
        r.Chains[0].Sets.Should().Equal(Full(1), Inc(1, 2), Inc(2, 4));
        r.Superseded.Should().Equal(Inc(2, 3));
        r.Orphaned.Should().BeEmpty();
    }

    [Test]
    public void No_sets_no_chains() => ChainBuilder.Build([]).Chains.Should().BeEmpty();
}
