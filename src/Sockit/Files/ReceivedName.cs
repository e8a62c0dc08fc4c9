using System.Text;

namespace Sockit.Files;

/// <summary>
/// Decides whether a name a sender claims is safe to create inside the receiving directory, whatever the sender is.
/// A safe name is relative, <c>/</c>-separated, valid UTF-8, has no empty, <c>.</c> or <c>..</c> component, no control
/// character (NUL included), no backslash, no drive prefix, no device name (<c>CON</c>, <c>NUL</c>, <c>COM1</c>…), is
/// not reserved for partial files, and does not pass through a symbolic link inside the directory.
/// </summary>
/// <remarks>
/// The checks follow the usual archive-extraction rules (CVE-2007-4131 "tar path traversal", the "zip slip" class,
/// and the Windows reserved device names of <c>CreateFile</c>). The directory's own path may be a symlink: that is
/// the receiving user's choice. A link created inside the directory by someone else between the check and the write
/// is outside this model: the adversary is the remote sender, not a local user.
/// </remarks>
public static class ReceivedName
{
    /// <summary>The suffix of a partial file: <c>DIR/a/.b.txt.sockit-part</c> holds <c>a/b.txt</c> until it is verified.</summary>
    public const string PartialSuffix = ".sockit-part";

    private const int MaxComponentBytes = 255;

    private static readonly string[] s_deviceNames =
    [
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];

    /// <summary>Why <paramref name="name"/> is not a safe relative name (text only, no file system), or null when it is.</summary>
    public static string? Check(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return "an empty name";
        }

        if (Encoding.UTF8.GetByteCount(name) > FileTransferProtocol.MaxNameBytes)
        {
            return $"a name longer than {FileTransferProtocol.MaxNameBytes} bytes";
        }

        foreach (var c in name)
        {
            if (c == '\0')
            {
                return "a NUL character in the name";
            }

            if (char.IsControl(c))
            {
                return $"a control character (U+{(int)c:X4}) in the name";
            }

            if (c == '\uFFFD')
            {
                return "a name that is not valid UTF-8";
            }

            if (c == '\\')
            {
                return "a backslash in the name (a Windows separator)";
            }
        }

        if (name[0] == '/')
        {
            return "an absolute name";
        }

        if (name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0]))
        {
            return "an absolute name (a drive letter)";
        }

        foreach (var component in name.Split('/'))
        {
            if (component.Length == 0)
            {
                return "an empty path component (// or a trailing /)";
            }

            if (component is "." or "..")
            {
                return $"a '{component}' component";
            }

            if (Encoding.UTF8.GetByteCount(component) > MaxComponentBytes)
            {
                return $"a path component longer than {MaxComponentBytes} bytes";
            }

            var stem = component.Split('.')[0].TrimEnd(' ');
            if (s_deviceNames.Contains(stem, StringComparer.OrdinalIgnoreCase))
            {
                return $"a device name ('{component}')";
            }

            if (component.EndsWith(PartialSuffix, StringComparison.Ordinal))
            {
                return $"a name ending in '{PartialSuffix}' (reserved for partial files)";
            }
        }

        return null;
    }

    /// <summary>
    /// Checks <paramref name="name"/> and where it leads inside <paramref name="root"/>: every existing parent must be a
    /// real directory (not a symlink, not a file). Gives the full path of the entry.
    /// </summary>
    /// <param name="root">The receiving directory, a full path.</param>
    /// <param name="name">The name the sender claims.</param>
    /// <param name="path">The full path of the entry inside <paramref name="root"/>, when safe.</param>
    /// <param name="reason">Why it is refused, when not.</param>
    /// <param name="checkedParent">A directory inside <paramref name="root"/> already found to be a real one by this
    /// caller (the parent of its previous entry): entries in it skip the walk.</param>
    public static bool TryResolve(string root, string name, out string path, out string reason, string? checkedParent = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        path = "";
        if (Check(name) is { } problem)
        {
            reason = problem;
            return false;
        }

        path = Path.Join(root, name);
        reason = "";
        if (checkedParent is not null && Path.GetDirectoryName(path) == checkedParent)
        {
            return true;
        }

        var components = name.Split('/');
        var current = root;
        for (var i = 0; i < components.Length - 1; i++)
        {
            current = Path.Join(current, components[i]);
            var info = new DirectoryInfo(current);
            if (info.LinkTarget is not null)
            {
                reason = $"'{string.Join('/', components[..(i + 1)])}' is a symbolic link on the receiver (not followed)";
                path = "";
                return false;
            }

            if (File.Exists(current))
            {
                reason = $"'{string.Join('/', components[..(i + 1)])}' is a file on the receiver, not a directory";
                path = "";
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The partial-file path for the entry at <paramref name="path"/>: a hidden sibling, so the rename stays on one file
    /// system: <c>.NAME.sockit-part</c>. When that would pass the 255 bytes a file name may have (<c>NAME_MAX</c>; the
    /// name itself may use them all), the name is cut at a character boundary and the first 4 bytes of its SHA-256
    /// added in hex: <c>.NAME-PREFIX~1a2b3c4d.sockit-part</c>, the same for the same name (so <c>--resume</c> finds it).
    /// </summary>
    public static string PartialPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        var partial = "." + name + PartialSuffix;
        if (Encoding.UTF8.GetByteCount(partial) > MaxComponentBytes)
        {
            var tag = "~" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0, 4) + PartialSuffix;
            var room = MaxComponentBytes - 1 - tag.Length;
            var prefix = name.AsSpan();
            while (Encoding.UTF8.GetByteCount(prefix) > room)
            {
                prefix = prefix[..^(char.IsLowSurrogate(prefix[^1]) && prefix.Length > 1 ? 2 : 1)];
            }

            partial = "." + prefix.ToString() + tag;
        }

        return Path.Join(Path.GetDirectoryName(path), partial);
    }

    /// <summary>
    /// <paramref name="text"/> safe to print on a terminal: control characters (escape sequences included) as <c>\xNN</c>,
    /// line and paragraph separators and bidirectional overrides (Unicode TR #9; "Trojan Source", CVE-2021-42574) as
    /// <c>\u{NNNN}</c>, a backslash doubled.
    /// </summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(c => NeedsEscape(c) || c == '\\'))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '\\' => "\\\\",
                < '\u0100' when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ when NeedsEscape(c) => $"\\u{{{(int)c:x4}}}",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
