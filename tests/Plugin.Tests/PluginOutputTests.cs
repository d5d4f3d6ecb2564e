namespace DuplicityChecks.Plugin.Tests;

public class PluginOutputTests
{
    private static CheckResult Sample()
    {
        var r = new CheckResult("last backup 3h 12m ago");
        var backup = r.Add("backup assets");
        backup.Add("last backup 3h 12m ago", ServiceState.Ok);
        backup.Add("1 orphaned backup set", ServiceState.Warning);
        r.Hint("sudo -iu backup duplicity cleanup rsync://host/x --force");
        r.PerfData.Add(new PerfDatum("chains", 1));
        r.PerfData.Add(new PerfDatum("orphaned_sets", 1));
        return r;
    }

    [Test]
    public void Single_line_with_perfdata_when_there_is_no_long_output()
    {
        var r = new CheckResult("all good");
        r.Add("fine", ServiceState.Ok);
        r.PerfData.Add(new PerfDatum("chains", 1));
        PluginOutput.Render("DUPLICITY FRESHNESS", r, 0).Should().Be("DUPLICITY FRESHNESS OK - all good | chains=1\n");
    }

    [Test]
    public void Default_verbosity_lists_only_what_needs_attention_then_hints_then_perfdata_line()
        => PluginOutput.Render("DUPLICITY FRESHNESS", Sample(), 0).Should().Be(
            "DUPLICITY FRESHNESS WARNING - last backup 3h 12m ago\n" +
            "\\_ [WARNING] backup assets\n" +
            "  \\_ [WARNING] 1 orphaned backup set\n" +
            "Fix: sudo -iu backup duplicity cleanup rsync://host/x --force\n" +
            "| chains=1 orphaned_sets=1");

    [Test]
    public void Verbose_lists_every_sub_check()
        => PluginOutput.Render("DUPLICITY FRESHNESS", Sample(), 1).Should().Contain("  \\_ [OK] last backup 3h 12m ago\n");

    [Test]
    public void Pipes_never_reach_human_text()
    {
        var r = new CheckResult("a | b");
        r.Add("c|d=1", ServiceState.Warning);
        var text = PluginOutput.Render("X", r, 0);
        text.Split('\n').Where(l => !l.StartsWith('|')).Should().AllSatisfy(l => l.Should().NotContain("|"));
    }

    [Test]
    public void Multi_line_text_is_folded_into_one_line()
        => PluginOutput.Render("X", new CheckResult("a\nb\r\nc"), 0).Should().Be("X OK - a b c\n");

    [Test]
    public void Output_is_capped_with_a_count_of_what_was_cut_and_perfdata_kept()
    {
        var r = new CheckResult("many");
        for (var i = 0; i < 500; i++) r.Add($"problem number {i} with a long explanation text", ServiceState.Warning);
        r.PerfData.Add(new PerfDatum("n", 500));
        var text = PluginOutput.Render("X", r, 0);
        System.Text.Encoding.UTF8.GetByteCount(text).Should().BeLessThanOrEqualTo(PluginOutput.DefaultMaxBytes);
        text.Should().MatchRegex(@"\.\.\. \d+ more lines\n\| n=500$");
    }

    [Test]
    public void Secrets_are_masked_everywhere()
    {
        var masker = new SecretMasker();
        masker.Register("hunter2-secret");
        var r = new CheckResult("failed for rsync://user:pw@host/x");
        r.Add("PASSPHRASE=hunter2-secret in env", ServiceState.Critical);
        var text = PluginOutput.Render("X", r, 1, ["ran FTP_PASSWORD=abc123 duplicity"], masker);
        text.Should().NotContain("hunter2-secret").And.NotContain(":pw@").And.NotContain("abc123");
        text.Should().Contain("rsync://user:***@host/x");
    }

    [Test]
    public void Unknown_result_has_state_unknown() => CheckResult.Unknown("cannot read").State.Should().Be(ServiceState.Unknown);

    [Test]
    public void Sub_check_state_is_the_worst_of_its_children_or_explicit()
    {
        var s = new SubCheck("parent");
        s.Add("a", ServiceState.Warning);
        s.Add("b", ServiceState.Unknown);
        s.State.Should().Be(ServiceState.Unknown);
        s.Add("c", ServiceState.Critical);
        s.State.Should().Be(ServiceState.Critical);
        new SubCheck("x", ServiceState.Ok).State.Should().Be(ServiceState.Ok);
    }
}
