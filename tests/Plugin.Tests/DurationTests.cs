namespace DuplicityChecks.Plugin.Tests;

public class DurationTests
{
    [TestCase("1h30m", 5400)]
    [TestCase("1d12h", 129600)]
    [TestCase("0.5h", 1800)]
    [TestCase("-5m", -300)]
    [TestCase(" 42 ", 42)]
    public void Parses_compounds_fractions_and_signs(string text, double seconds)
    {
        Duration.TryParseSeconds(text, out var s).Should().BeTrue();
        s.Should().Be(seconds);
    }

    [TestCase("")]
    [TestCase("h")]
    [TestCase("1x")]
    [TestCase("1h30")]
    [TestCase("--1")]
    [TestCase("1..2s")]
    public void Refuses_what_is_not_a_duration(string text) => Duration.TryParseSeconds(text, out _).Should().BeFalse();

    [TestCase(0, "0s")]
    [TestCase(45, "45s")]
    [TestCase(11520, "3h 12m")]
    [TestCase(10800, "3h")]
    [TestCase(432000, "5d")]
    [TestCase(46920, "13h 2m")]
    [TestCase(90061, "1d 1h")]
    [TestCase(-120, "-2m")]
    public void Formats_the_two_most_significant_units(double seconds, string text) => Duration.Format(seconds).Should().Be(text);
}
