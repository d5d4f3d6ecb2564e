using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.CollectionStatus;

public class MachineStatusParserTests
{
    // duplicity-formats.md §3.4, verified 0.8.22 complete file.
    private const string SampleA = """
        NOTICE 1
        . Last full backup date: Thu Nov 26 10:10:38 2026

        INFO 3 
        backend BackendWrapper
        archive-dir (. dir)
        chain-complete
         full 20261126T101038Z 1 enc
         inc 20261126T101041Z 1 enc
        orphaned-sets-num 0
        incomplete-sets-num 0
        . Collection Status
        . -----------------
        . Connecting with backend: BackendWrapper
        . Archive dir: /root/.cache/duplicity/fd82d129f7be8bba3953de5dfe05a8cc
        . 
        . Found 0 secondary backup chains.
        . 
        . Found primary backup chain with matching signature chain:
        . -------------------------
        . Chain start time: Thu Nov 26 10:10:38 2026
        . Chain end time: Thu Nov 26 10:10:41 2026
        . Number of contained backup sets: 2
        . Total number of contained volumes: 2
        .  Type of backup set:                            Time:      Num volumes:
        .                 Full         Thu Nov 26 10:10:38 2026                 1
        .          Incremental         Thu Nov 26 10:10:41 2026                 1
        . -------------------------
        . No orphaned or incomplete backup sets found.

        """;

    private static BackupCollection Parse(string log) => MachineStatusParser.Parse(log, "test.log");

    private static string Listing(string level, string chains, int orphaned = 0, int incomplete = 0) =>
        $"{level} 3 \nbackend BackendWrapper\narchive-dir (. dir)\n{chains}orphaned-sets-num {orphaned}\nincomplete-sets-num {incomplete}\n. Collection Status\n\n";

    [Test]
    public void Reads_the_primary_chain_with_UTC_times_volumes_and_encryption()
    {
        var c = Parse(SampleA);

        c.Source.Should().Be(BackupSourceKind.MachineLog);
        c.SourceDescription.Should().Be("test.log");
        c.Name.Should().Be("fd82d129f7be8bba3953de5dfe05a8cc");
        c.DuplicityVersion.Should().BeNull();
        c.Chains.Should().ContainSingle().Which.Kind.Should().Be(ChainKind.Primary);
        c.Chains[0].Sets.Should().Equal(
            new BackupSet(BackupSetType.Full, new DateTimeOffset(2026, 11, 26, 10, 10, 38, TimeSpan.Zero), 1, true),
            new BackupSet(BackupSetType.Incremental, new DateTimeOffset(2026, 11, 26, 10, 10, 41, TimeSpan.Zero), 1, true,
                StartTime: new DateTimeOffset(2026, 11, 26, 10, 10, 38, TimeSpan.Zero)));
        c.OrphanedSets.Should().Be(0);
        c.IncompleteSets.Should().Be(0);
        c.Warnings.Should().BeEmpty();
        c.NewestSetMayBeIncomplete.Should().BeFalse();
        c.LastCompleteBackup!.Time.Should().Be(new DateTimeOffset(2026, 11, 26, 10, 10, 41, TimeSpan.Zero));
    }

    [Test]
    public void Secondary_chains_come_before_the_primary_one()
    {
        var c = Parse(Listing("INFO", "chain-no-sig 0\n full 20261126T101333Z 1 noenc\n inc 20261126T101335Z 1 noenc\nchain-no-sig 1\n full 20261126T101336Z 2 noenc\nchain-complete\n full 20261126T101339Z 3 noenc\n", orphaned: 2));

        c.Chains.Select(ch => ch.Kind).Should().Equal(ChainKind.Secondary, ChainKind.Secondary, ChainKind.Primary);
        c.Chains.Select(ch => ch.Sets.Count).Should().Equal(2, 1, 1);
        c.Chains[2].Sets[0].Encrypted.Should().BeFalse();
        c.OrphanedSets.Should().Be(2);
        c.Name.Should().Be("collection-status", "this log shows no archive dir");
    }

    [TestCase("NOTICE")]
    [TestCase("Level 8")]
    [TestCase("DEBUG")]
    public void Any_level_word_before_code_3_is_the_listing(string level)
        => Parse(Listing(level, "chain-complete\n full 20261126T101339Z 3 enc\n")).Chains.Should().ContainSingle();

    [Test]
    public void An_empty_collection_has_no_chains()
    {
        var c = Parse(Listing("INFO", ""));

        c.Chains.Should().BeEmpty();
        c.LastCompleteBackup.Should().BeNull();
    }

    [Test]
    public void The_last_listing_wins_when_it_is_logged_twice()
    {
        var c = Parse(Listing("INFO", "chain-complete\n full 20261126T101339Z 3 enc\n") + Listing("INFO", "chain-complete\n full 20261126T101339Z 3 enc\n inc 20261126T101439Z 1 enc\n"));

        c.Chains.Should().ContainSingle().Which.Sets.Should().HaveCount(2);
    }

    [Test]
    public void Keeps_the_collection_warnings_with_their_text()
    {
        var log = "WARNING 1\n. Attempt of list Nr. 1 failed.\n\n"
                  + "WARNING 4\n. Warning, found signatures but no corresponding backup files\n\n"
                  + "WARNING 6\n. Warning, found the following orphaned backup file:\n. [duplicity-inc.a.manifest, duplicity-inc.a.vol1.difftar.gz]\n\n"
                  + Listing("INFO", "chain-complete\n full 20261126T101339Z 3 enc\n", orphaned: 1);

        Parse(log).Warnings.Should().Equal(
            "Warning, found signatures but no corresponding backup files",
            "Warning, found the following orphaned backup file:\n[duplicity-inc.a.manifest, duplicity-inc.a.vol1.difftar.gz]");
    }

    [Test]
    public void Incomplete_sets_without_proof_of_the_old_behaviour_make_the_newest_set_untrusted()
    {
        // 3.1.0 interrupted-backup 13: the killed 6-volume full is listed as its own chain and counted as incomplete.
        var c = Parse(Listing("INFO", "chain-no-sig 0\n full 20261126T104140Z 53 noenc\nchain-no-sig 1\n full 20261126T104159Z 6 noenc\n", incomplete: 1));

        c.NewestSetMayBeIncomplete.Should().BeTrue();
        c.LastCompleteBackup!.Time.Should().Be(new DateTimeOffset(2026, 11, 26, 10, 41, 40, TimeSpan.Zero));
        c.LastCompleteFull!.Time.Should().Be(new DateTimeOffset(2026, 11, 26, 10, 41, 40, TimeSpan.Zero));
    }

    [Test]
    public void The_old_incomplete_warning_proves_the_listed_sets_are_complete()
    {
        var c = Parse("WARNING 5\n. Warning, found incomplete backup sets, probably left from aborted session\n\n"
                      + Listing("INFO", "chain-complete\n full 20261126T110154Z 53 noenc\n", incomplete: 1));

        c.NewestSetMayBeIncomplete.Should().BeFalse();
        c.LastCompleteBackup!.Time.Should().Be(new DateTimeOffset(2026, 11, 26, 11, 1, 54, TimeSpan.Zero));
        c.Warnings.Should().ContainSingle();
    }

    [TestCase("duplicity 3.0.4", false)]
    [TestCase("duplicity 0.8.22", false)]
    [TestCase("duplicity 3.1.0 June 16, 2026", true)]
    public void A_version_banner_decides_the_incomplete_rule(string banner, bool distrusted)
    {
        var c = Parse($"INFO 1\n. {banner}\n\n" + Listing("INFO", "chain-complete\n full 20261126T110154Z 53 noenc\n", incomplete: 1));

        c.DuplicityVersion.Should().NotBeNull();
        c.NewestSetMayBeIncomplete.Should().Be(distrusted);
    }

    [Test]
    public void A_live_run_keeps_its_source_kind_and_given_name()
    {
        var c = MachineStatusParser.Parse(SampleA, "duplicity collection-status file:///x", name: "assets", source: BackupSourceKind.LiveRun);

        c.Source.Should().Be(BackupSourceKind.LiveRun);
        c.Name.Should().Be("assets");
    }

    [Test]
    public void Duplicity_3_0_1_without_a_listing_is_refused_naming_the_bug()
        => FluentActions.Invoking(() => Parse("NOTICE 1\n. Last full backup date: Thu Nov 26 10:10:38 2026\n\n"))
            .Should().Throw<CheckException>().WithMessage("*no chain listing*3.0.1*upgrade to 3.0.2+*--archive-dir*");

    [Test]
    public void A_failed_run_is_refused_with_its_error()
        => FluentActions.Invoking(() => Parse("ERROR 23\n. Another duplicity instance is already running with this archive directory\n. \n\nERROR 1\n. Could not release lockfile\n\n"))
            .Should().Throw<CheckException>().WithMessage("duplicity failed*ERROR 23: Another duplicity instance is already running*");

    [Test]
    public void A_hostname_mismatch_ERROR_3_is_not_a_listing()
        => FluentActions.Invoking(() => Parse("ERROR 3 'vm2' 'vm'\n. Fatal Error: Backup source host has changed.\n\n"))
            .Should().Throw<CheckException>().WithMessage("duplicity failed*ERROR 3 'vm2' 'vm'*");

    [Test]
    public void A_changes_table_is_not_a_listing()
        => FluentActions.Invoking(() => Parse("NOTICE 1\n. Last full backup date: Thu Nov 26 10:39:27 2026\n\nINFO 3\n. {\n. }\n\n"))
            .Should().Throw<CheckException>().WithMessage("*--show-changes-in-set*not the chain listing*");

    [TestCase("")]
    [TestCase("hello\nworld\n")]
    public void Something_that_is_no_machine_log_is_refused(string text)
        => FluentActions.Invoking(() => Parse(text)).Should().Throw<CheckException>().WithMessage("*not a duplicity machine log*");

    [Test]
    public void A_log_with_stanzas_but_no_listing_is_refused()
        => FluentActions.Invoking(() => Parse("NOTICE 1\n. Local and Remote metadata are synchronized, no sync needed.\n\n"))
            .Should().Throw<CheckException>().WithMessage("*holds no collection-status listing*");

    [TestCase(" full 2026112T101339Z 3 enc\n", "*line 5*not YYYYMMDDTHHMMSSZ*")]
    [TestCase(" full 20261326T101339Z 3 enc\n", "*line 5*not YYYYMMDDTHHMMSSZ*")]
    [TestCase(" diff 20261126T101339Z 3 enc\n", "*line 5*unknown backup set type*")]
    [TestCase(" full 20261126T101339Z three enc\n", "*line 5*volume count*")]
    [TestCase(" full 20261126T101339Z 3 gpg\n", "*line 5*neither enc nor noenc*")]
    [TestCase(" full 20261126T101339Z 3\n", "*line 5*not 'full|inc TIME VOLUMES enc|noenc'*")]
    public void A_set_line_we_do_not_understand_is_refused(string setLine, string message)
        => FluentActions.Invoking(() => Parse(Listing("INFO", "chain-complete\n" + setLine)))
            .Should().Throw<CheckException>().WithMessage(message);

    [Test]
    public void A_set_outside_any_chain_is_refused()
        => FluentActions.Invoking(() => Parse(Listing("INFO", " full 20261126T101339Z 3 enc\n")))
            .Should().Throw<CheckException>().WithMessage("*outside any chain*");

    [Test]
    public void A_chain_without_sets_is_refused()
        => FluentActions.Invoking(() => Parse(Listing("INFO", "chain-complete\n")))
            .Should().Throw<CheckException>().WithMessage("*chain with no backup sets*");

    [Test]
    public void An_unknown_chain_kind_is_refused()
        => FluentActions.Invoking(() => Parse(Listing("INFO", "chain-partial 0\n full 20261126T101339Z 3 enc\n")))
            .Should().Throw<CheckException>().WithMessage("*unknown kind of chain*");

    [Test]
    public void A_listing_cut_off_before_its_counts_is_refused()
        => FluentActions.Invoking(() => Parse("INFO 3 \nbackend BackendWrapper\nchain-complete\n full 20261126T101339Z 3 enc\n"))
            .Should().Throw<CheckException>().WithMessage("*lacks orphaned-sets-num/incomplete-sets-num*");

    [TestCase("20260230T100000Z")]
    [TestCase("20261131T000000Z")]
    [TestCase("20261126T101060Z")]
    public void A_stamp_that_is_no_calendar_date_is_refused_not_rolled_over(string stamp)
        => FluentActions.Invoking(() => MachineStatusParser.Parse(SampleA.Replace("20261126T101041Z", stamp), "test"))
            .Should().Throw<CheckException>().WithMessage("*not a real calendar date*");
}
