using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Sockit.Addressing;

namespace Sockit.Tests.Addressing;

/// <summary>
/// Sockit's conversions and services lookups against Python's <c>socket</c> module (glibc underneath), over the
/// whole corpus in one python3 run: JSON in on stdin, JSON out on stdout.
/// </summary>
public sealed class PythonAgreementTests
{
    private const string Script = """
        import json, socket, sys
        def attempt(f):
            try:
                return f()
            except Exception:
                return None
        q = json.load(sys.stdin)
        def ntop(h):
            b = bytes.fromhex(h)
            return socket.inet_ntop(socket.AF_INET if len(b) == 4 else socket.AF_INET6, b)
        json.dump({
            "aton": [attempt(lambda: socket.inet_aton(s).hex()) for s in q["aton"]],
            "pton4": [attempt(lambda: socket.inet_pton(socket.AF_INET, s).hex()) for s in q["pton4"]],
            "pton6": [attempt(lambda: socket.inet_pton(socket.AF_INET6, s).hex()) for s in q["pton6"]],
            "ntoa": [attempt(lambda: socket.inet_ntoa(bytes.fromhex(h))) for h in q["ntoa"]],
            "ntop": [attempt(lambda: ntop(h)) for h in q["ntop"]],
            "byName": [attempt(lambda: socket.getservbyname(n, p)) for n, p in q["byName"]],
            "byPort": [attempt(lambda: socket.getservbyport(n, p)) for n, p in q["byPort"]],
        }, sys.stdout)
        """;

    private static readonly JsonSerializerOptions _json = new() { PropertyNameCaseInsensitive = true };

    private static readonly Lazy<Task<Answers>> _python = new(AskPythonAsync);

    private static readonly ServiceTable _services = ServiceTable.Load(ServiceTable.SystemPath);

    private static readonly (string[] Aton, string[] Ntop) _random = PythonCorpus.Random(seed: 20261126, count: 150);

    private static string[] AtonInputs => [.. PythonCorpus.Aton, .. _random.Aton];

    private static string[] NtopInputs => [.. PythonCorpus.Ntop, .. _random.Ntop];

    private static (string Name, string Protocol)[] NameQueries =>
    [
        .. _services.Entries.SelectMany(e => e.Aliases.Prepend(e.Name).Select(n => (n, Protocol(e.Protocol)))),
        .. _services.Entries.Select(e => (e.Name.ToUpperInvariant(), Protocol(e.Protocol))),
        ("no-such-service", "tcp"), ("", "tcp"),
    ];

    private static (int Port, string Protocol)[] PortQueries =>
        [.. _services.Entries.Select(e => (e.Port, Protocol(e.Protocol))).Append((65000, "tcp")).Append((0, "udp"))];

    [Fact]
    public void TheCorpusHasAtLeast200AddressInputs() =>
        Assert.True(AtonInputs.Length + PythonCorpus.Pton4.Length + PythonCorpus.Pton6.Length + PythonCorpus.Ntoa.Length + NtopInputs.Length >= 200);

    [Fact]
    public async Task InetAtonAgreesExceptThatTrailingTextIsRejected()
    {
        var python = (await _python.Value).Aton;
        var differences = 0;
        for (var i = 0; i < AtonInputs.Length; i++)
        {
            var input = AtonInputs[i];
            var ours = InetAton.TryParse(input, out var value, out _) ? value.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) : null;
            if (ours == python[i])
            {
                continue;
            }

            // The documented difference: glibc stops at whitespace and ignores the rest; Sockit rejects. What comes
            // before the whitespace must then be an address Sockit reads the same way.
            Assert.True(ours is null && python[i] is not null, $"inet_aton('{Escape(input)}'): Sockit {ours ?? "rejects"}, Python {python[i] ?? "rejects"}");
            var space = input.IndexOfAny([' ', '\t', '\n', '\v', '\f', '\r']);
            Assert.True(space > 0, $"inet_aton('{Escape(input)}'): Python accepts it, Sockit rejects it, and it has no trailing text");
            Assert.True(InetAton.TryParse(input[..space], out var head, out _));
            Assert.Equal(python[i], head.ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
            differences++;
        }

        Assert.True(differences >= 5, "the corpus exercises the trailing-text difference");
    }

    [Fact]
    public async Task InetPtonAgreesForIpv4AndIpv6()
    {
        var answers = await _python.Value;
        AssertSame("inet_pton(AF_INET)", PythonCorpus.Pton4, answers.Pton4, s => Pton(s, AddressFamily.InterNetwork));
        AssertSame("inet_pton(AF_INET6)", PythonCorpus.Pton6, answers.Pton6, s => Pton(s, AddressFamily.InterNetworkV6));
    }

    [Fact]
    public async Task InetNtoaAndNtopAgree()
    {
        var answers = await _python.Value;
        AssertSame("inet_ntoa", PythonCorpus.Ntoa, answers.Ntoa, h => Format(h, 4));
        AssertSame("inet_ntop", NtopInputs, answers.Ntop, h => Format(h, 16));
    }

    [Fact]
    public async Task GetservbynameAndGetservbyportAgreeForEveryEntryInEtcServices()
    {
        Assert.False(_services.IsBuiltIn, $"this machine has no readable {ServiceTable.SystemPath}: {_services.FallbackReason}");
        var answers = await _python.Value;
        AssertSame("getservbyname", NameQueries, answers.ByName, q => _services.FindByName(q.Name, Parse(q.Protocol))?.Port);
        AssertSame("getservbyport", PortQueries, answers.ByPort, q => _services.FindByPort(q.Port, Parse(q.Protocol))?.Name);
    }

    private static void AssertSame<TInput, TAnswer>(string what, IReadOnlyList<TInput> inputs, IReadOnlyList<TAnswer?> python, Func<TInput, TAnswer?> sockit)
    {
        Assert.Equal(inputs.Count, python.Count);

        // Guards against a Python side that answers everything the same way (a broken script, say).
        Assert.Contains(python, answer => answer is not null);
        Assert.Contains(python, answer => answer is null);
        var disagreements = inputs.Select((input, i) => (input, ours: sockit(input), theirs: python[i]))
            .Where(x => !EqualityComparer<TAnswer?>.Default.Equals(x.ours, x.theirs))
            .Select(x => $"{what}({Escape(x.input?.ToString() ?? "")}): Sockit {x.ours?.ToString() ?? "rejects"}, Python {x.theirs?.ToString() ?? "rejects"}")
            .ToArray();
        Assert.True(disagreements.Length == 0, string.Join('\n', disagreements));
    }

    private static string? Pton(string text, AddressFamily family) =>
        InetPton.TryParse(text, family, out var address, out _) ? Convert.ToHexStringLower(address.GetAddressBytes()) : null;

    /// <summary>inet_ntoa takes exactly 4 bytes; inet_ntop takes 4 or 16 (<paramref name="maxLength"/>).</summary>
    private static string? Format(string hex, int maxLength)
    {
        var bytes = Convert.FromHexString(hex);
        return bytes.Length == 4 || bytes.Length == maxLength ? InetNtop.Format(bytes) : null;
    }

    private static string Protocol(ServiceProtocol protocol) => protocol == ServiceProtocol.Tcp ? "tcp" : "udp";

    private static ServiceProtocol Parse(string protocol) => protocol == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp;

    private static string Escape(string text) => JsonSerializer.Serialize(text);

    private static async Task<Answers> AskPythonAsync()
    {
        var query = JsonSerializer.Serialize(new
        {
            aton = AtonInputs,
            pton4 = PythonCorpus.Pton4,
            pton6 = PythonCorpus.Pton6,
            ntoa = PythonCorpus.Ntoa,
            ntop = NtopInputs,
            byName = NameQueries.Select(q => new object[] { q.Name, q.Protocol }),
            byPort = PortQueries.Select(q => new object[] { q.Port, q.Protocol }),
        });
        var psi = new ProcessStartInfo("python3", ["-c", Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(psi) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEndAsync();
        await python.StandardInput.WriteAsync(query);
        python.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await python.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            python.Kill(entireProcessTree: true);
            throw new TimeoutException("python3 did not answer within 60 s");
        }

        Assert.True(python.ExitCode == 0, "python3 failed: " + await stderr);
        return JsonSerializer.Deserialize<Answers>(await stdout, _json)
            ?? throw new InvalidOperationException("python3 printed no answers");
    }

    private sealed record Answers(
        string?[] Aton, string?[] Pton4, string?[] Pton6, string?[] Ntoa, string?[] Ntop, int?[] ByName, string?[] ByPort);
}
