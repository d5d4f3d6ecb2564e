using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.CollectionStatus;

public class StatusTextParserTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    private static DateTimeOffset Z(int month, int day, int hour, int minute, int second) => new(2026, month, day, hour, minute, second, TimeSpan.Zero);

    private static BackupCollection Parse(string text, TimeZoneInfo? zone = null) => StatusTextParser.Parse(text, zone ?? Utc, "status.txt");

    private static Action Parsing(string text, TimeZoneInfo? zone = null) => () => Parse(text, zone);

    // duplicity-formats.md §2.6 sample B (0.8.22, ngettext plural/singular forms).
    private const string SampleB = """
        Last full backup date: Thu Nov 26 10:13:39 2026
        Collection Status
        -----------------
        Connecting with backend: BackendWrapper
        Archive dir: /root/.cache/duplicity/1196ae81d889e0b035b0bba3ec3a4c09

        Found 1 secondary backup chain.
        Secondary chain 1 of 1:
        -------------------------
        Chain start time: Thu Nov 26 10:13:33 2026
        Chain end time: Thu Nov 26 10:13:37 2026
        Number of contained backup sets: 3
        Total number of contained volumes: 3
         Type of backup set:                            Time:      Num volumes:
                        Full         Thu Nov 26 10:13:33 2026                 1
                 Incremental         Thu Nov 26 10:13:35 2026                 1
                 Incremental         Thu Nov 26 10:13:37 2026                 1
        -------------------------


        Found primary backup chain with matching signature chain:
        -------------------------
        Chain start time: Thu Nov 26 10:13:39 2026
        Chain end time: Thu Nov 26 10:13:41 2026
        Number of contained backup sets: 2
        Total number of contained volumes: 2
         Type of backup set:                            Time:      Num volumes:
                        Full         Thu Nov 26 10:13:39 2026                 1
                 Incremental         Thu Nov 26 10:13:41 2026                 1
        -------------------------
        No orphaned or incomplete backup sets found.
        """;

    /// <summary>A 1.2.0+ style block with one primary chain of the given rows and the given closing lines.</summary>
    private static string Block(string rows, string closing, string before = "", string secondaryLine = "Found 0 secondary backup chain(s).")
    {
        var rowLines = rows.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var times = rowLines.Select(r => System.Text.RegularExpressions.Regex.Match(r, @"\w{3} \w{3} +\d+ [\d:]{8} \d{4}").Value).ToList();
        var volumes = rowLines.Sum(r => int.Parse(r.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]));
        return before + $"""
            Last full backup date: {times[0]}
            Collection Status
            -----------------
            Connecting with backend: BackendWrapper
            Archive dir: /var/cache/duplicity/6d72a39a8ad4489c95c7dd91b3998d6e

            {secondaryLine}

            Found primary backup chain with matching signature chain:
            -------------------------
            Chain start time: {times[0]}
            Chain end time: {times[^1]}
            Number of contained backup sets: {rowLines.Length}
            Total number of contained volumes: {volumes}
             Type of backup set:                            Time:      Num volumes:
            {rows.TrimEnd('\n')}
            -------------------------
            {closing}
            """;
    }

    private const string FullRow = "                Full         Thu Nov 26 10:13:39 2026                 1\n";
    private const string IncRow = "         Incremental         Thu Nov 26 10:13:41 2026                 1\n";

    [Test]
    public void Reads_secondary_and_primary_chains_of_0_8()
    {
        var c = Parse(SampleB);

        c.Source.Should().Be(BackupSourceKind.StatusText);
        c.Name.Should().Be("1196ae81d889e0b035b0bba3ec3a4c09");
        c.Chains.Select(ch => ch.Kind).Should().Equal(ChainKind.Secondary, ChainKind.Primary);
        c.Chains[0].Sets.Select(s => s.Time).Should().Equal(Z(11, 26, 10, 13, 33), Z(11, 26, 10, 13, 35), Z(11, 26, 10, 13, 37));
        c.Chains[1].Sets.Should().Equal(
            new BackupSet(BackupSetType.Full, Z(11, 26, 10, 13, 39), 1),
            new BackupSet(BackupSetType.Incremental, Z(11, 26, 10, 13, 41), 1, StartTime: Z(11, 26, 10, 13, 39)));
        c.OrphanedSets.Should().Be(0);
        c.IncompleteSets.Should().Be(0);
        c.LastCompleteBackup!.Time.Should().Be(Z(11, 26, 10, 13, 41));
    }

    [TestCase("Found 0 secondary backup chains.")]
    [TestCase("Found 0 secondary backup chain(s).")]
    [TestCase("0 sekundäre Sicherungskette(n) gefunden.")]
    [TestCase("0 zusätzliche Sicherungsketten gefunden.")]
    public void Every_wording_of_the_secondary_count_is_read(string line)
        => Parse(Block(FullRow, "No orphaned or incomplete backup sets found.", secondaryLine: line)).Chains.Should().ContainSingle();

    [TestCase("Found \u07C3 secondary backup chains.")]
    [TestCase("Found \u0663 secondary backup chain(s).")]
    public void A_count_in_another_script_s_digits_is_an_unknown_line_not_a_number_out_of_range(string line)
        => Parsing(Block(FullRow, "No orphaned or incomplete backup sets found.", secondaryLine: line)).Should()
            .Throw<CheckException>().WithMessage("*line*does not know*").Which.Message.Should().NotContain("out of range");

    [TestCase("Also found 1 backup set not part of any chain,", "and 0 incomplete backup sets.", 1, 0)]
    [TestCase("Also found 2 backup sets not part of any chain,", "and 1 incomplete backup set.", 2, 1)]
    [TestCase("Also found 0 backup set(s) not part of any chain,", "and 3 incomplete backup set(s).", 0, 3)]
    [TestCase("Zusätzlich wurde 1 Sicherungssatz gefunden, der kein Teil einer Sicherungskette ist,", "und 1 unvollständigen Sicherungssatz.", 1, 1)]
    [TestCase("Zusätzlich wurden 2 Sicherungssätze gefunden, die kein Teil einer Sicherungskette sind,", "und 2 unvollständige Sicherungssätze.", 2, 2)]
    public void Reads_the_orphaned_and_incomplete_counts_in_every_plural_form(string orphaned, string incomplete, int o, int i)
    {
        var c = Parse(Block(FullRow + IncRow, $"{orphaned}\n{incomplete}\nThese may be deleted by running duplicity with the \"cleanup\" command."));

        c.OrphanedSets.Should().Be(o);
        c.IncompleteSets.Should().Be(i);
    }

    [Test]
    public void A_3_1_listing_with_an_incomplete_set_distrusts_its_newest_row()
    {
        // Sample E, 3.1.0: the incomplete inc is listed as the newest row AND counted.
        var c = Parse(Block(FullRow + IncRow,
            "Also found 0 backup set(s) not part of any chain,\nand 1 incomplete backup set(s).\nThese may be deleted by running duplicity with the \"cleanup\" command.",
            before: "WARNING. found the following remote orphaned signature file(s):\nduplicity-new-signatures.20250101T000000Z.to.20250102T000000Z.sigtar.gpg\n"));

        c.NewestSetMayBeIncomplete.Should().BeTrue();
        c.LastCompleteBackup!.Time.Should().Be(Z(11, 26, 10, 13, 39));
        c.Warnings.Should().Equal("WARNING. found the following remote orphaned signature file(s):\nduplicity-new-signatures.20250101T000000Z.to.20250102T000000Z.sigtar.gpg");
    }

    [Test]
    public void The_old_incomplete_warning_keeps_the_newest_row_trusted()
    {
        var c = Parse(Block(FullRow + IncRow,
            "Also found 0 backup set(s) not part of any chain,\nand 1 incomplete backup set(s).\nThese may be deleted by running duplicity with the \"cleanup\" command.",
            before: "Warning, found incomplete backup sets, probably left from aborted session\n"));

        c.NewestSetMayBeIncomplete.Should().BeFalse();
        c.LastCompleteBackup!.Time.Should().Be(Z(11, 26, 10, 13, 41));
    }

    [Test]
    public void The_3_1_missing_difftar_warning_is_kept_with_its_details()
    {
        const string warning = "WARNING. found missing difftar(s) in backup sets, possibly left from aborted session:\n"
                               + "WARNING: Backup set at 20261126T101339Z has missing volumes or manifest entries:\n"
                               + "  - remote volumes: ['vol2.difftar']";
        var c = Parse(Block(FullRow, "No orphaned or incomplete backup sets found.", before: warning + "\n"));

        c.Warnings.Should().Equal(warning);
    }

    [Test]
    public void No_primary_chain_and_no_backups_at_all()
    {
        var c = Parse("""
            Last full backup date: none
            Collection Status
            -----------------
            Connecting with backend: BackendWrapper
            Archive dir: /root/.cache/duplicity/5f2731df9f2e3da32944a7119b435025

            Found 0 secondary backup chains.
            No backup chains with active signatures found
            No orphaned or incomplete backup sets found.
            """);

        c.Chains.Should().BeEmpty();
        c.PrimaryChain.Should().BeNull();
        c.LastCompleteBackup.Should().BeNull();
    }

    [Test]
    public void Local_times_are_read_in_the_given_zone()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var c = Parse(Block("                Full         Thu Nov 26 05:37:41 2026                 3\n", "No orphaned or incomplete backup sets found."), newYork);

        c.Chains[0].Sets[0].Time.Should().Be(Z(11, 26, 10, 37, 41));
        c.Chains[0].Sets[0].Time.Offset.Should().Be(TimeSpan.Zero);
    }

    [Test]
    public void A_space_padded_day_is_read()
        => Parse(Block("                Full         Thu Nov  5 09:05:01 2026                 3\n", "No orphaned or incomplete backup sets found."))
            .Chains[0].Sets[0].Time.Should().Be(Z(11, 5, 9, 5, 1));

    [Test]
    public void A_time_repeated_by_the_autumn_DST_change_takes_the_earlier_instant()
    {
        // Europe/Berlin 2026-10-25 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET): take 00:30Z (older, never fresher).
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var c = Parse(Block("                Full         Sun Oct 25 02:30:00 2026                 3\n", "No orphaned or incomplete backup sets found."), berlin);

        c.Chains[0].Sets[0].Time.Should().Be(Z(10, 25, 0, 30, 0));
    }

    [Test]
    public void A_time_skipped_by_the_spring_DST_change_is_refused()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Parsing(Block("                Full         Sun Mar 29 02:30:00 2026                 3\n", "No orphaned or incomplete backup sets found."), berlin)
            .Should().Throw<CheckException>().WithMessage("*'Sun Mar 29 02:30:00 2026' does not exist in time zone Europe/Berlin*--timezone*");
    }

    [Test]
    public void A_date_whose_weekday_is_wrong_is_refused()
        => Parsing(Block("                Full         Fri Nov 26 10:13:39 2026                 1\n", "No orphaned or incomplete backup sets found."))
            .Should().Throw<CheckException>().WithMessage("*'Fri Nov 26 10:13:39 2026' is not a valid date*");

    [Test]
    public void German_labels_are_read()
    {
        // 3.0.4 collection-status-locale-de-de-language-de-tz-utc (fixtures README).
        var c = Parse("""
            Last full backup date: Thu Nov 26 10:43:35 2026
            Sammlungszustand
            -----------------
            Mit Hintergrundprogramm wird verbunden: BackendWrapper
            Archivverzeichnis: /var/cache/duplicity-3.0.4/229ffc286f8ef3cd8218d5334002bace

            0 sekundäre Sicherungskette(n) gefunden.

            Primäre Sicherungskette mit passender Signaturkette gefunden:
            -------------------------
            Erste Sicherung in dieser Kette: Thu Nov 26 10:43:35 2026
            Letzte Sicherung in dieser Kette: Thu Nov 26 10:43:52 2026
            Anzahl der enthaltenen Sicherungssätze: 2
            Gesamtanzahl der enthaltenen Datenträger: 4
            Typ des Sicherungssatzes:                            Zeit:   Datenträgeranz.:
                     Vollständig         Thu Nov 26 10:43:35 2026                 3
                    Schrittweise         Thu Nov 26 10:43:52 2026                 1
            -------------------------
            Keine verwaisten oder unvollständigen Sicherungssätze gefunden.
            """);

        c.Name.Should().Be("229ffc286f8ef3cd8218d5334002bace");
        c.Chains.Should().ContainSingle().Which.Sets.Select(s => s.Type).Should().Equal(BackupSetType.Full, BackupSetType.Incremental);
    }

    [Test]
    public void A_German_line_we_have_no_translation_for_is_refused_with_the_language_advice()
        => Parsing(Block(FullRow, "No orphaned or incomplete backup sets found.", secondaryLine: "1 sekundäre Sicherungskette(n) gefunden.\nSekundäre Kette 1 von 1:"))
            .Should().Throw<CheckException>().WithMessage("*'Sekundäre Kette 1 von 1:'*LANGUAGE unset and LC_ALL=C*");

    [Test]
    public void An_unknown_language_header_is_refused_with_the_language_advice()
        => Parsing("Dernière sauvegarde complète : Thu Nov 26 10:43:35 2026\nÉtat de la collection\n-----------------\nConnexion au backend : BackendWrapper\n")
            .Should().Throw<CheckException>().WithMessage("*header 'État de la collection'*LANGUAGE unset and LC_ALL=C*");

    [Test]
    public void An_unknown_set_type_label_is_refused()
        => Parsing(Block("                Differential Thu Nov 26 10:13:39 2026                 1\n", "No orphaned or incomplete backup sets found."))
            .Should().Throw<CheckException>().WithMessage("*not understood*Differential*");

    [TestCase("", "*output is empty*")]
    [TestCase("\n\n", "*output is empty*")]
    [TestCase("total 12\ndrwxr-xr-x 2 root root 4096 Nov 26 10:00 .\n", "*not duplicity collection-status output*")]
    [TestCase("Last full backup date: Thu Nov 26 10:10:38 2026\n", "*only 'Last full backup date:'*3.0.1*upgrade to 3.0.2+*")]
    [TestCase("Last full backup date: none\n", "*3.0.1*")]
    [TestCase("Last full backup date: Thu Nov 26 10:39:27 2026\n{\n    \"inc-20261126T103933Z\": {}\n}\n", "*--show-changes-in-set*")]
    [TestCase("Attempt of list Nr. 1 failed. BackendException: Error running 'rsync'\n", "*not duplicity collection-status output*")]
    [TestCase("Attempt of list Nr. 1 failed. X\nGiving up after 2 attempts. BackendException: Error running 'rsync'\n", "duplicity failed, no collection-status listing: Giving up after 2 attempts*")]
    [TestCase("Another duplicity instance is already running with this archive directory\n\n", "duplicity failed*Another duplicity instance*")]
    [TestCase("{\n    \"inc-20261126T103933Z\": {}\n}\n", "*--show-changes-in-set*")]
    public void Text_that_is_not_a_listing_is_refused(string text, string message)
        => Parsing(text).Should().Throw<CheckException>().WithMessage(message);

    [Test]
    public void A_listing_cut_off_inside_a_chain_is_refused()
    {
        var text = Block(FullRow + IncRow, "No orphaned or incomplete backup sets found.");
        Parsing(text[..text.LastIndexOf('\n', text.IndexOf("Incremental", StringComparison.Ordinal))])
            .Should().Throw<CheckException>().WithMessage("*ends inside its listing*cut off*");
    }

    [Test]
    public void A_listing_cut_off_before_its_counts_is_refused()
    {
        var text = Block(FullRow, "No orphaned or incomplete backup sets found.");
        Parsing(text[..text.LastIndexOf("No orphaned", StringComparison.Ordinal)])
            .Should().Throw<CheckException>().WithMessage("*ends inside its listing*");
    }

    [Test]
    public void A_chain_whose_numbers_do_not_add_up_is_refused()
        => Parsing(Block(FullRow + IncRow, "No orphaned or incomplete backup sets found.").Replace("Number of contained backup sets: 2", "Number of contained backup sets: 3"))
            .Should().Throw<CheckException>().WithMessage("*does not add up*says 3 backup sets but lists 2*");

    [Test]
    public void A_secondary_count_that_does_not_match_its_chains_is_refused()
        => Parsing(Block(FullRow, "No orphaned or incomplete backup sets found.", secondaryLine: "Found 1 secondary backup chain(s)."))
            .Should().Throw<CheckException>().WithMessage("*says 1 secondary chains but lists 0*");

    [Test]
    public void Log_timestamp_prefixes_are_stripped()
    {
        var text = Block(FullRow + IncRow, "No orphaned or incomplete backup sets found.")
            .Replace("Last full backup date:", "2026-11-26 10:20:06,449 NOTICE Last full backup date:")
            .Replace("Collection Status", "2026-11-26 10:20:06,450 INFO   Collection Status");

        Parse(text).Chains[0].Sets.Should().HaveCount(2);
    }

    [Test]
    public void A_block_printed_twice_at_verbosity_8_is_read_once()
    {
        var block = Block(FullRow + IncRow, "No orphaned or incomplete backup sets found.");
        var text = "Using archive dir: /var/cache/duplicity/x\nduplicity 0.8.22\n" + block + "\n" + block.Replace("Last full backup date: Thu Nov 26 10:13:39 2026\n", "");

        var c = Parse(text);

        c.Chains.Should().ContainSingle().Which.Sets.Should().HaveCount(2);
        c.DuplicityVersion.Should().Be("0.8.22");
    }
}
