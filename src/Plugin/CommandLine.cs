namespace DuplicityChecks.Plugin;

/// <summary>
/// A small POSIX/GNU option parser: <c>--long value</c>, <c>--long=value</c>, <c>-x value</c>, <c>-xvalue</c>,
/// bundled flags (<c>-vvv</c>), <c>--</c>. Hand-written rather than System.CommandLine because the plugin
/// conventions differ from that library's (help and usage errors exit 3 with our own output, values such as
/// <c>-c @0:30m</c> or <c>~:10</c>), and because every millisecond of start-up is paid on every check run.
/// </summary>
public static class CommandLine
{
    public static ParsedOptions Parse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs)
    {
        var result = new ParsedOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                if (i + 1 < args.Count) throw new UsageException($"unexpected argument '{args[i + 1]}'");
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=');
                var name = eq >= 0 ? arg[2..eq] : arg[2..];
                var spec = specs.FirstOrDefault(s => s.Long == name)
                    ?? throw new UsageException($"unknown option --{name}");
                if (spec.IsFlag)
                {
                    if (eq >= 0) throw new UsageException($"option --{name} takes no value");
                    result.AddFlag(spec.Long);
                    continue;
                }
                string value;
                if (eq >= 0) value = arg[(eq + 1)..];
                else if (i + 1 < args.Count) value = args[++i];
                else throw new UsageException($"option --{name} needs a value ({spec.ValueName})");
                result.AddValue(spec.Long, value);
                continue;
            }
            if (arg.Length > 1 && arg[0] == '-')
            {
                for (var j = 1; j < arg.Length; j++)
                {
                    var letter = arg[j];
                    var spec = specs.FirstOrDefault(s => s.Short == letter)
                        ?? throw new UsageException($"unknown option -{letter}");
                    if (spec.IsFlag)
                    {
                        result.AddFlag(spec.Long);
                        continue;
                    }
                    string value;
                    if (j + 1 < arg.Length) value = arg[(j + 1)..];
                    else if (i + 1 < args.Count) value = args[++i];
                    else throw new UsageException($"option -{letter} needs a value ({spec.ValueName})");
                    result.AddValue(spec.Long, value);
                    break;
                }
                continue;
            }
            throw new UsageException($"unexpected argument '{arg}' (every input is given by an option)");
        }
        return result;
    }
}
