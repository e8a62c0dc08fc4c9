using System.Globalization;

namespace Sockit.Addressing;

/// <summary>
/// A services database (<c>/etc/services</c> format) answering <c>getservbyname</c> and <c>getservbyport</c>
/// questions the way glibc's <c>files</c> backend does: names and aliases compared case-sensitively, the first
/// matching line in file order wins.
/// </summary>
/// <remarks>
/// Instances are immutable and safe to share between threads. <see cref="Load()"/> reads the file named by
/// <c>SOCKIT_SERVICES</c>, else <c>/etc/services</c>, and falls back to <see cref="BuiltIn"/> when that file is
/// missing or unreadable; <see cref="Source"/> says which one answered.
/// </remarks>
public sealed class ServiceTable
{
    /// <summary>The environment variable that points at another services file.</summary>
    public const string PathVariable = "SOCKIT_SERVICES";

    /// <summary>Where the system keeps its services file on Unix.</summary>
    public const string SystemPath = "/etc/services";

    /// <summary>The <see cref="Source"/> of <see cref="BuiltIn"/>.</summary>
    public const string BuiltInSource = "built-in table";

    private static readonly Lazy<ServiceTable> _builtIn = new(() => Parse(new StringReader(BuiltInServices.Text), BuiltInSource, isBuiltIn: true));
    private static readonly Lazy<ServiceTable> _default = new(() => Load());

    private readonly ServiceEntry[] _entries;

    private ServiceTable(ServiceEntry[] entries, string source, bool isBuiltIn, string? fallbackReason)
    {
        _entries = entries;
        Source = source;
        IsBuiltIn = isBuiltIn;
        FallbackReason = fallbackReason;
    }

    /// <summary>The table compiled into Sockit, for machines without a services file.</summary>
    public static ServiceTable BuiltIn => _builtIn.Value;

    /// <summary>The result of <see cref="Load()"/>, read once per process.</summary>
    public static ServiceTable Default => _default.Value;

    /// <summary>The file path that answered, or <see cref="BuiltInSource"/>.</summary>
    public string Source { get; }

    /// <summary>True when the built-in table answers (no file was read).</summary>
    public bool IsBuiltIn { get; }

    /// <summary>Why the file was not used when falling back to the built-in table (one line), else null.</summary>
    public string? FallbackReason { get; }

    /// <summary>Every TCP and UDP line in file order. Lines for other protocols (sctp, ddp) are skipped.</summary>
    public IReadOnlyList<ServiceEntry> Entries => _entries;

    /// <summary>Reads <c>$SOCKIT_SERVICES</c> or <c>/etc/services</c>; falls back to <see cref="BuiltIn"/>.</summary>
    public static ServiceTable Load() =>
        Load(Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? path : SystemPath);

    /// <summary>Reads the services file at <paramref name="path"/>; falls back to <see cref="BuiltIn"/> when it
    /// is missing or unreadable, recording why in <see cref="FallbackReason"/>.</summary>
    public static ServiceTable Load(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return Parse(reader, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // The runtime's words for the usual cases name .NET's view ("Access to the path is denied" for a directory).
            var why = Directory.Exists(path) ? "is a directory, not a services file"
                : ex is FileNotFoundException or DirectoryNotFoundException ? "does not exist"
                : ex is UnauthorizedAccessException ? "cannot be read (permission denied)"
                : ex.Message;
            return new ServiceTable(BuiltIn._entries, BuiltInSource, isBuiltIn: true, $"{path} {why}");
        }
    }

    /// <summary>Parses services-file text. Malformed lines are skipped, as glibc does.</summary>
    /// <param name="reader">The text, one service per line, <c>#</c> starting a comment.</param>
    /// <param name="source">What to report as <see cref="Source"/>.</param>
    public static ServiceTable Parse(TextReader reader, string source) => Parse(reader, source, isBuiltIn: false);

    /// <summary>The first line whose name or alias is <paramref name="name"/> (case-sensitive) for <paramref name="protocol"/>.</summary>
    public ServiceEntry? FindByName(string name, ServiceProtocol protocol = ServiceProtocol.Tcp) =>
        Array.Find(_entries, e => e.Protocol == protocol && e.Answers(name));

    /// <summary>The first line for <paramref name="port"/> and <paramref name="protocol"/>.</summary>
    public ServiceEntry? FindByPort(int port, ServiceProtocol protocol = ServiceProtocol.Tcp) =>
        Array.Find(_entries, e => e.Protocol == protocol && e.Port == port);

    private static ServiceTable Parse(TextReader reader, string source, bool isBuiltIn)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var entries = new List<ServiceEntry>();
        while (reader.ReadLine() is { } line)
        {
            if (TryParseLine(line, out var entry))
            {
                entries.Add(entry);
            }
        }

        return new ServiceTable([.. entries], source, isBuiltIn, fallbackReason: null);
    }

    private static bool TryParseLine(string line, out ServiceEntry entry)
    {
        entry = null!;
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        var fields = (hash < 0 ? line : line[..hash]).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2)
        {
            return false;
        }

        var slash = fields[1].IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !PortNumber.TryParse(fields[1].AsSpan(0, slash), out var port))
        {
            return false;
        }

        // Only TCP and UDP can be looked up; sctp and ddp lines are real but out of Sockit's scope.
        ServiceProtocol? protocol = fields[1][(slash + 1)..] switch
        {
            "tcp" => ServiceProtocol.Tcp,
            "udp" => ServiceProtocol.Udp,
            _ => null,
        };
        if (protocol is null)
        {
            return false;
        }

        entry = new ServiceEntry(fields[0], port, protocol.Value, fields[2..]);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Source} ({_entries.Length} entries)");
}
