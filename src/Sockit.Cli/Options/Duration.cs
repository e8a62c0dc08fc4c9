using System.Globalization;

namespace Sockit.Cli.Options;

/// <summary>Parses durations people type: <c>1.5</c> (seconds), <c>250ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>.</summary>
internal static class Duration
{
    /// <summary>Parses <paramref name="text"/>; NaN and infinity (which <see cref="double.TryParse(string?, out double)"/> accepts) are not durations.</summary>
    /// <exception cref="UsageException">Not a duration: the message names the option and the value.</exception>
    public static TimeSpan Parse(string text, string optionName)
    {
        var s = text.Trim();
        var (number, scale) = s switch
        {
            _ when s.EndsWith("ms", StringComparison.Ordinal) => (s[..^2], 0.001),
            _ when s.EndsWith('s') => (s[..^1], 1.0),
            _ when s.EndsWith('m') => (s[..^1], 60.0),
            _ when s.EndsWith('h') => (s[..^1], 3600.0),
            _ => (s, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value * scale) || value * scale > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw new UsageException($"{optionName}: '{text}' is not a duration (examples: 500ms, 2s, 1.5, 5m)");
        }

        return TimeSpan.FromSeconds(value * scale);
    }

    /// <summary>
    /// Parses a timeout that must be more than zero: on every command a zero <c>--timeout</c> is refused, since it would
    /// give up before anything could answer (the options where 0 means "never", like <c>--idle-timeout</c>, say so
    /// and use <see cref="Parse"/>).
    /// </summary>
    /// <exception cref="UsageException">Not a duration, or zero.</exception>
    public static TimeSpan ParseTimeout(string text, string optionName)
    {
        var timeout = Parse(text, optionName);
        return timeout > TimeSpan.Zero
            ? timeout
            : throw new UsageException($"{optionName}: '{text}' is no time at all: give a timeout above 0 (e.g. 500ms, 2s)");
    }
}
