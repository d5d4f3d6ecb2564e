using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Tests.Options;

/// <summary>
/// One row of a check's option table: the declaration, a good value and what it becomes, the value when nothing
/// gives it, and a bad value with the start of its usage error (null: the option takes any text). NoneIsAValue:
/// 'none' and 'off' are good values of the option (a URL, a pattern), not words that switch it off.
/// </summary>
public sealed record OptionRow<TOptions>(OptionSpec Option, string Value, Func<TOptions, object?> Read, object? Expected, object? Default, string? Bad = null, string? Message = null, bool NoneIsAValue = false)
{
    public TestCaseData Case() => new TestCaseData(this).SetArgDisplayNames(Option.Long);
}
