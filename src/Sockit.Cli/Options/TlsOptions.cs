using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Sockit.Connections;

namespace Sockit.Cli.Options;

/// <summary>
/// The TLS options: <c>--tls</c> and the certificate options of the listening side (<c>--cert --key --client-ca</c>)
/// or of the connecting side (<c>--ca --pin --insecure --sni --cert --key</c>), <c>--alpn</c> and
/// <c>--tls-handshake-timeout</c>. Each command adds the ones its side takes.
/// </summary>
internal sealed class TlsOptions
{
    public Option<bool> Tls { get; } = new("--tls")
    {
        Description = "Speak TLS (1.2 or 1.3) on the connection; the same as writing the endpoint as tls://HOST:PORT",
    };

    public Option<string?> Certificate { get; } = new("--cert")
    {
        Description = "Certificate to present: a PEM file (with --key, or holding the key too) or a .pfx/.p12 file",
        HelpName = "FILE",
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "The PEM private key of --cert",
        HelpName = "FILE",
    };

    /// <summary><c>forward</c> only: the client certificate presented to a <c>tls://</c> TARGET that asks for one (mutual TLS).</summary>
    public Option<string?> TargetCertificate { get; } = new("--target-cert")
    {
        Description = "Client certificate to present to a tls:// TARGET that requires one (mutual TLS): a PEM file (with --target-key, or holding the key too) or a .pfx/.p12 file",
        HelpName = "FILE",
    };

    /// <summary><c>forward</c> only: the PEM private key of <see cref="TargetCertificate"/>.</summary>
    public Option<string?> TargetKey { get; } = new("--target-key")
    {
        Description = "The PEM private key of --target-cert",
        HelpName = "FILE",
    };

    public Option<string?> ClientCa { get; } = new("--client-ca")
    {
        Description = "Require client certificates issued by a CA in this PEM file (mutual TLS)",
        HelpName = "FILE",
    };

    public Option<string?> Ca { get; } = new("--ca")
    {
        Description = "Trust only the CA certificates in this PEM file to verify the server (default: the system's)",
        HelpName = "FILE",
    };

    public Option<string?> Pin { get; } = new("--pin")
    {
        Description = "Trust exactly the server certificate with this SHA-256 fingerprint (sha256:HEX, as listen --tls prints it)",
        HelpName = "sha256:HEX",
    };

    public Option<bool> Insecure { get; } = new("--insecure", "-k")
    {
        Description = "Do not verify the server's certificate (encrypted, but anyone could be on the other end)",
    };

    public Option<string?> Sni { get; } = new("--sni")
    {
        Description = "The server name to send (SNI) and verify (default: the host connected to)",
        HelpName = "NAME",
    };

    public Option<string?> Alpn { get; } = new("--alpn")
    {
        Description = "Application protocols to offer or accept, by preference (ALPN, e.g. h2,http/1.1)",
        HelpName = "LIST",
    };

    public Option<string> HandshakeTimeout { get; } = new("--tls-handshake-timeout")
    {
        Description = "The TLS handshake must finish within this long, or the connection is closed (and counted)",
        DefaultValueFactory = _ => "10s",
        HelpName = "T",
    };

    /// <summary>Adds the listening side's options: <c>--tls --cert --key --client-ca --alpn --tls-handshake-timeout</c>.</summary>
    public void AddToListen(Command command)
    {
        foreach (var option in new Option[] { Tls, Certificate, Key, ClientCa, Alpn, HandshakeTimeout })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Adds the connecting side's options: <c>--tls --ca --pin --insecure --sni --alpn --cert --key --tls-handshake-timeout</c>.</summary>
    public void AddToConnect(Command command, bool clientCertificate = true)
    {
        foreach (var option in new Option[] { Tls, Ca, Pin, Insecure, Sni, Alpn, HandshakeTimeout })
        {
            command.Options.Add(option);
        }

        if (clientCertificate)
        {
            command.Options.Add(Certificate);
            command.Options.Add(Key);
        }
    }

    /// <summary>
    /// Adds what <c>forward</c> takes: the listening side's <c>--cert --key --client-ca</c> (for a <c>tls://</c> LISTEN),
    /// the target side's <c>--ca --pin --insecure --sni --target-cert --target-key</c> (for a <c>tls://</c> TARGET), <c>--alpn</c> and
    /// <c>--tls-handshake-timeout</c> (both sides). No <c>--tls</c>: with two endpoints, <c>tls://</c> says which.
    /// </summary>
    public void AddToForward(Command command)
    {
        foreach (var option in new Option[] { Certificate, Key, ClientCa, Ca, Pin, Insecure, Sni, TargetCertificate, TargetKey, Alpn, HandshakeTimeout })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Checks that each side's TLS options come with that side's <c>tls://</c>.</summary>
    /// <exception cref="UsageException">A listening-side option without a <c>tls://</c> LISTEN, or a target-side one without a <c>tls://</c> TARGET.</exception>
    public void CheckForward(ParseResult result, bool listenTls, bool targetTls)
    {
        var given = (Option o) => result.GetResult(o) is { Implicit: false };
        if (!listenTls && new Option[] { Certificate, Key, ClientCa }.FirstOrDefault(given) is { } listenOption)
        {
            throw new UsageException($"{listenOption.Name} is for the listening side's TLS: write LISTEN as tls://HOST:PORT");
        }

        if (!targetTls && new Option[] { Ca, Pin, Insecure, Sni, TargetCertificate, TargetKey }.FirstOrDefault(given) is { } targetOption)
        {
            throw new UsageException($"{targetOption.Name} is for the target's TLS: write TARGET as tls://HOST:PORT");
        }

        if (!listenTls && !targetTls && given(Alpn))
        {
            throw new UsageException("--alpn is a TLS option: write LISTEN or TARGET as tls://HOST:PORT");
        }
    }

    /// <summary><paramref name="endpoint"/>, with TLS when <c>--tls</c> was given.</summary>
    /// <exception cref="UsageException">A TLS option without TLS, or <c>--tls</c> on a Unix endpoint written with its own scheme.</exception>
    public ConnectionEndpoint Apply(ParseResult result, ConnectionEndpoint endpoint)
    {
        var tls = endpoint.UseTls || result.GetValue(Tls);
        if (!tls)
        {
            var stray = new Option[] { Certificate, Key, ClientCa, Ca, Pin, Insecure, Sni, Alpn }
                .FirstOrDefault(o => result.GetResult(o) is { Implicit: false });
            if (stray is not null)
            {
                throw new UsageException($"{stray.Name} is a TLS option: add --tls (or write the endpoint as tls://HOST:PORT)");
            }
        }

        return endpoint with { UseTls = tls };
    }

    /// <summary>
    /// The listening side's TLS: the certificate from <c>--cert/--key</c>, or a fresh self-signed one for localhost,
    /// this host's name and <paramref name="addresses"/>, whose fingerprint and <c>--pin</c> are left in
    /// <see cref="SelfSignedNotice"/> for the command to print.
    /// </summary>
    /// <exception cref="UsageException">A file cannot be read or is not what it should be.</exception>
    public TlsServerOptions Server(ParseResult result, IEnumerable<IPAddress> addresses)
    {
        var clientAuthorities = result.GetValue(ClientCa) is { } ca ? Load(() => TlsCertificates.LoadAuthorities(ca)) : null;
        var protocols = Protocols(result);
        var handshakeTimeout = Timeout(result);
        return new TlsServerOptions
        {
            Certificate = result.GetValue(Certificate) is { } path
                ? Load(() => TlsCertificates.Load(path, result.GetValue(Key)))
                : SelfSigned(addresses),
            ClientAuthorities = clientAuthorities,
            ApplicationProtocols = protocols,
            HandshakeTimeout = handshakeTimeout,
        };
    }

    /// <summary>The connecting side's TLS: what to trust, the name to verify, ALPN and a client certificate.</summary>
    /// <exception cref="UsageException">Conflicting trust options, a bad pin, or a file that cannot be read.</exception>
    public TlsClientOptions Client(ParseResult result)
    {
        var pinText = result.GetValue(Pin);
        var trusts = new[] { result.GetValue(Ca) is not null, pinText is not null, result.GetValue(Insecure) }.Count(t => t);
        if (trusts > 1)
        {
            throw new UsageException("--ca, --pin and --insecure each say whom to trust: give one of them");
        }

        byte[]? pin = null;
        if (pinText is not null && !TlsCertificates.TryParsePin(pinText, out pin, out var error))
        {
            throw new UsageException($"--pin: {error}");
        }

        if (result.GetValue(Insecure))
        {
            CommandRunner.Error("warning: --insecure: the server's certificate is not verified; anyone on the path could be on the other end");
        }

        return new TlsClientOptions
        {
            TargetHost = result.GetValue(Sni),
            TrustedAuthorities = result.GetValue(Ca) is { } ca ? Load(() => TlsCertificates.LoadAuthorities(ca)) : null,
            PinnedSha256 = pin,
            Insecure = result.GetValue(Insecure),
            ApplicationProtocols = Protocols(result),
            ClientCertificate = result.GetValue(Certificate) is { } path ? Load(() => TlsCertificates.Load(path, result.GetValue(Key))) : null,
            HandshakeTimeout = Timeout(result),
        };
    }

    /// <summary>
    /// <c>forward</c>'s target side: <see cref="Client"/>, presenting <c>--target-cert/--target-key</c> (not
    /// <c>--cert/--key</c>, which are the listening side's).
    /// </summary>
    /// <exception cref="UsageException">As <see cref="Client"/>, or <c>--target-key</c> without <c>--target-cert</c>.</exception>
    public TlsClientOptions ForwardTarget(ParseResult result)
    {
        if (result.GetValue(TargetCertificate) is null && result.GetValue(TargetKey) is not null)
        {
            throw new UsageException("--target-key is the key of --target-cert: give both");
        }

        return Client(result) with
        {
            ClientCertificate = result.GetValue(TargetCertificate) is { } path ? Load(() => TlsCertificates.Load(path, result.GetValue(TargetKey))) : null,
        };
    }

    /// <summary>
    /// After <see cref="Server"/> made a self-signed certificate: the line that gives its fingerprint and the
    /// <c>--pin</c> to use. The command prints it once the server is listening, so a usage error or a failed bind
    /// found later stays the run's one error line.
    /// </summary>
    public string? SelfSignedNotice { get; private set; }

    private X509Certificate2 SelfSigned(IEnumerable<IPAddress> addresses)
    {
        var names = new[] { "localhost", Dns.GetHostName() }.Distinct(StringComparer.OrdinalIgnoreCase);
        var certificate = TlsCertificates.CreateSelfSigned(names, addresses.Append(IPAddress.Loopback).Append(IPAddress.IPv6Loopback).Distinct());
        var fingerprint = TlsCertificates.Fingerprint(certificate);
        SelfSignedNotice = $"sockit: tls: self-signed certificate {fingerprint} (clients: --pin {fingerprint})";
        return certificate;
    }

    private string[] Protocols(ParseResult result) =>
        result.GetValue(Alpn) is { } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } protocols
                ? protocols
                : throw new UsageException($"--alpn: '{list}' names no protocol (write e.g. h2,http/1.1)")
            : [];

    private TimeSpan Timeout(ParseResult result)
    {
        var timeout = Duration.Parse(result.GetValue(HandshakeTimeout)!, "--tls-handshake-timeout");
        return timeout > TimeSpan.Zero ? timeout : throw new UsageException("--tls-handshake-timeout: must be more than 0");
    }

    private static T Load<T>(Func<T> load)
    {
        try
        {
            return load();
        }
        catch (TlsConfigurationException ex)
        {
            throw new UsageException(ex.Message);
        }
    }
}
