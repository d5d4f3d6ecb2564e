namespace DuplicityChecks.Plugin.Tests;

/// <summary>Every row of the range tables in plugin-conventions.md §4, plus the edge cases.</summary>
public class ThresholdRangeTests
{
    // range, value, alerts
    private static readonly object[] Table =
    [
        // "10": x < 0 or x > 10
        new object[] { "10", -1.0, true }, new object[] { "10", 0.0, false }, new object[] { "10", 10.0, false }, new object[] { "10", 10.5, true },
        // "10:": x < 10
        new object[] { "10:", 9.99, true }, new object[] { "10:", 10.0, false }, new object[] { "10:", 1e9, false },
        // "~:10": x > 10
        new object[] { "~:10", -1e9, false }, new object[] { "~:10", 10.0, false }, new object[] { "~:10", 10.01, true },
        // "10:20": x < 10 or x > 20
        new object[] { "10:20", 9.0, true }, new object[] { "10:20", 10.0, false }, new object[] { "10:20", 20.0, false }, new object[] { "10:20", 21.0, true },
        // "@10:20": 10 <= x <= 20
        new object[] { "@10:20", 9.0, false }, new object[] { "@10:20", 10.0, true }, new object[] { "@10:20", 15.0, true }, new object[] { "@10:20", 20.0, true }, new object[] { "@10:20", 20.5, false },
        // CLI examples of MP-guidelines
        new object[] { "1:", 0.0, true }, new object[] { "1:", 1.0, false },
        new object[] { "~:0", 0.0, false }, new object[] { "~:0", 0.1, true },
        new object[] { "5:6", 4.0, true }, new object[] { "5:6", 5.5, false }, new object[] { "5:6", 7.0, true },
        new object[] { "~:", -5.0, false }, new object[] { "~:", 5.0, false },
        new object[] { "@0", 0.0, true }, new object[] { "@0", 0.5, false },
    ];

    [TestCaseSource(nameof(Table))]
    public void Range_alerts_exactly_as_the_conventions_table_says(string range, double value, bool alerts)
        => ThresholdRange.Parse(range).Alerts(value).Should().Be(alerts);

    [Test]
    public void Tilde_colon_ten_with_ten_is_ok_not_the_strict_comparison_of_mp_check_range()
        => ThresholdRange.Parse("~:10").Alerts(10).Should().BeFalse();

    [TestCase("20:10")]
    [TestCase("@5:1")]
    public void Start_greater_than_end_is_a_usage_error(string text)
        => FluentActions.Invoking(() => ThresholdRange.Parse(text)).Should().Throw<UsageException>().WithMessage("*start is greater than end*");

    [TestCase("")]
    [TestCase(" ")]
    [TestCase("@")]
    [TestCase("abc")]
    [TestCase("10:x")]
    [TestCase("1e5")]
    [TestCase("NaN")]
    public void Garbage_and_the_empty_string_are_refused(string text)
        => ThresholdRange.TryParse(text, RangeUnits.Plain, out _, out var error).Should().BeFalse(error);

    [TestCase("26h", 93600)]
    [TestCase("2d", 172800)]
    [TestCase("15m", 900)]
    [TestCase("1w", 604800)]
    [TestCase("7D", 604800)]
    [TestCase("1M", 2592000)]
    [TestCase("1Y", 31536000)]
    [TestCase("90", 90)]
    [TestCase("90s", 90)]
    public void Duration_units_set_the_end_in_seconds(string text, double seconds)
        => ThresholdRange.Parse(text, RangeUnits.Duration).End.Should().Be(seconds);

    [Test]
    public void Inside_range_with_durations()
    {
        var r = ThresholdRange.Parse("@0:30m", RangeUnits.Duration);
        r.Alerts(0).Should().BeTrue();
        r.Alerts(1800).Should().BeTrue();
        r.Alerts(1801).Should().BeFalse();
    }

    [Test]
    public void Units_are_refused_where_the_value_is_a_count()
        => ThresholdRange.TryParse("2d", RangeUnits.Plain, out _, out _).Should().BeFalse();

    [TestCase("10", "10")]
    [TestCase("10:", "10:")]
    [TestCase("~:10", "~:10")]
    [TestCase("@10:20", "@10:20")]
    [TestCase("0:1", "1")]
    [TestCase("1.5", "1.5")]
    public void ToString_is_canonical_and_round_trips(string text, string expected)
    {
        var r = ThresholdRange.Parse(text);
        r.ToString().Should().Be(expected);
        ThresholdRange.Parse(r.ToString()).Should().Be(r);
    }

    [Test]
    public void Duration_ranges_print_in_seconds() => ThresholdRange.Parse("26h", RangeUnits.Duration).ToString().Should().Be("93600");
}
