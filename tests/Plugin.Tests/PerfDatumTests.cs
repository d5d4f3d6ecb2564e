namespace DuplicityChecks.Plugin.Tests;

public class PerfDatumTests
{
    [Test]
    public void Trailing_empty_fields_are_dropped() => new PerfDatum("chains", 2).ToString().Should().Be("chains=2");

    [Test]
    public void Thresholds_in_base_units_and_min()
        => PerfDatum.WithThreshold("last_backup_age", 11520, "s", Threshold.Parse("26h", "50h", RangeUnits.Duration, "-w", "-c"), min: 0)
            .ToString().Should().Be("last_backup_age=11520s;93600;180000;0");

    [Test]
    public void Empty_middle_fields_stay() => new PerfDatum("procs", 95, Min: 0).ToString().Should().Be("procs=95;;;0");

    [Test]
    public void Non_plain_ranges_are_written_in_range_form()
        => new PerfDatum("x", 1, Warning: ThresholdRange.Parse("10:"), Critical: ThresholdRange.Parse("@1:2")).ToString().Should().Be("x=1;10:;@1:2");

    [Test]
    public void Fractions_have_no_exponent() => new PerfDatum("t", 0.00001, "s").ToString().Should().Be("t=0.00001s");

    [Test]
    public void Unknown_value_is_U_without_unit() => new PerfDatum("age", null, "s").ToString().Should().Be("age=U");

    [TestCase("a b", "'a b'")]
    [TestCase("it's", "it_s")]
    [TestCase("a=b", "a_b")]
    [TestCase("a|b", "a_b")]
    [TestCase("", "_")]
    public void Labels_are_sanitised(string label, string expected) => PerfDatum.FormatLabel(label).Should().Be(expected);

    [Test]
    public void Large_byte_counts_stay_integers() => new PerfDatum("size", 272629760123, "B").ToString().Should().Be("size=272629760123B");
}
