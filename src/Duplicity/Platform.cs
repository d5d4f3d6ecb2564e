// duplicity, /proc and POSIX locks exist on Linux only; the analyzers may rely on it.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
