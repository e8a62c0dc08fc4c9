using Sockit.Cli.Tests.Infrastructure;
using Sockit.Cli.Tests.Tcp;

namespace Sockit.Cli.Tests.Tls;

/// <summary>
/// Shared steps of the TLS and Unix command-line tests: a throwaway PKI made with <c>openssl</c>, python3 peers that
/// reach any stream endpoint (<c>127.0.0.1:PORT</c>, <c>tls:127.0.0.1:PORT</c>, <c>unix:/path</c>, <c>unix:@name</c>).
/// </summary>
internal static class TlsCli
{
    /// <summary>
    /// Prepended to every python3 script: the target is <c>sys.argv[1]</c>; <c>connect()</c> opens it (TLS without
    /// verification: these scripts test the server's modes, not its certificate); every socket has a 20 s timeout.
    /// </summary>
    private const string PythonPrelude = """
        import os, socket, ssl, struct, sys, threading, time
        TARGET = sys.argv[1] if len(sys.argv) > 1 else ''

        def unix_address(text):
            return '\0' + text[1:] if text.startswith('@') else text

        def connect():
            if TARGET.startswith('unix:'):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.settimeout(20)
                s.connect(unix_address(TARGET[5:]))
                return s
            tls = TARGET.startswith('tls:')
            host, port = TARGET[4 if tls else 0:].rsplit(':', 1)
            s = socket.create_connection((host, int(port)), timeout=20)
            if not tls:
                return s
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            return ctx.wrap_socket(s)

        def bye(s):
            # TLS: close_notify first, so the server sees a clean end rather than a truncation.
            if isinstance(s, ssl.SSLSocket):
                try:
                    s = s.unwrap()
                except (OSError, ssl.SSLError):
                    pass
            s.close()

        """ + TcpCli.PythonFrameHelpers + """
        def repeat_until(send, receiver, recv, wanted, within=20):
            # Sends until receiver gets `wanted`: both are then in the room (chat, broker).
            end = time.time() + within
            receiver.settimeout(0.2)
            while True:
                send()
                try:
                    while True:
                        if wanted in recv(receiver):
                            receiver.settimeout(20)
                            return
                except (socket.timeout, ssl.SSLError) as e:
                    if isinstance(e, ssl.SSLError) and 'timed out' not in str(e):
                        raise
                    if time.time() > end:
                        raise

        """;

    /// <summary>The test PKI, made once per run (see <see cref="Pki"/>).</summary>
    public static Pki Certificates => LazyPki.Value;

    private static readonly Lazy<Pki> LazyPki = new(Pki.Create);

    /// <summary>Runs a python3 client script (see <see cref="PythonPrelude"/>) against <paramref name="target"/>; asserts it succeeded and returns its stdout.</summary>
    public static async Task<string> PythonClientAsync(string target, string script)
    {
        var (code, stdout, stderr) = await ExternalTool.PythonAsync(PythonPrelude + script, target);
        Assert.True(code == 0, $"python3 failed ({code}):\n{stderr}\nstdout:\n{stdout}");
        return stdout;
    }

    /// <summary>Starts a python3 script (see <see cref="PythonPrelude"/>) that must stay up while the test goes on.</summary>
    public static SockitProcess StartPython(string target, string script) =>
        SockitProcess.StartProgram("python3", "-u", "-c", PythonPrelude + script, target);

    /// <summary>Starts <c>sockit listen 127.0.0.1:0 --tls ARGS</c> and reads its port.</summary>
    public static Task<SockitProcess> ListenAsync(params string[] args) => TcpCli.ListenAsync(["--tls", .. args]);

    /// <summary>Starts <c>sockit listen unix:PATH ARGS</c> and waits for its listening line.</summary>
    public static async Task<SockitProcess> ListenUnixAsync(string endpoint, params string[] args)
    {
        var server = SockitProcess.Start(["listen", endpoint, .. args]);
        try
        {
            await server.WaitForStderrLineAsync(l => l.Contains("listening on " + endpoint + " ", StringComparison.Ordinal));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The <c>sha256:HEX</c> a self-signed listener printed.</summary>
    public static async Task<string> FingerprintAsync(SockitProcess server)
    {
        var line = await server.WaitForStderrLineAsync(l => l.StartsWith("sockit: tls: self-signed certificate sha256:", StringComparison.Ordinal));
        var fingerprint = line.Split(' ')[4];
        Assert.Equal($"sockit: tls: self-signed certificate {fingerprint} (clients: --pin {fingerprint})", line);
        Assert.Matches("^sha256:[0-9A-F]{64}$", fingerprint);
        return fingerprint;
    }

    /// <summary>Runs <c>sockit ARGS</c> with <paramref name="stdin"/> and returns how it ended.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string stdin, params string[] args) =>
        SockitProcess.RunAsync(stdin, args);

    /// <summary>A fresh Unix socket path in the temporary directory (short: sun_path holds 108 bytes).</summary>
    public static string UnixPath() => Path.Combine(Path.GetTempPath(), $"sockit-{Guid.NewGuid():N}"[..20] + ".sock");

    /// <summary>
    /// A CA, leaves signed by it (for localhost and 127.0.0.1; expired; for another name; a client), and an unrelated
    /// CA, all PEM files in a temporary directory, made with the openssl command (OpenSSL 3.0 has no
    /// <c>x509 -not_before</c>, so the expired leaf is signed with <c>openssl ca -startdate -enddate</c>).
    /// </summary>
    public sealed class Pki
    {
        private Pki(string dir) => Dir = dir;

        public string Dir { get; }

        public string Ca => Path.Combine(Dir, "ca.pem");

        public string OtherCa => Path.Combine(Dir, "other-ca.pem");

        public string Leaf => Path.Combine(Dir, "leaf.pem");

        public string LeafKey => Path.Combine(Dir, "leaf.key");

        public string Expired => Path.Combine(Dir, "expired.pem");

        public string WrongName => Path.Combine(Dir, "wrong.pem");

        public string WrongNameKey => Path.Combine(Dir, "wrong.key");

        public string Client => Path.Combine(Dir, "client.pem");

        public string ClientKey => Path.Combine(Dir, "client.key");

        public static Pki Create()
        {
            var dir = Directory.CreateTempSubdirectory("sockit-pki-").FullName;
            Directory.CreateDirectory(Path.Combine(dir, "db"));
            File.WriteAllText(Path.Combine(dir, "db", "index.txt"), "");
            File.WriteAllText(Path.Combine(dir, "db", "serial"), "1000\n");
            File.WriteAllText(Path.Combine(dir, "ca.cnf"), """
                [ca]
                default_ca = test
                [test]
                database = db/index.txt
                new_certs_dir = db
                serial = db/serial
                default_md = sha256
                policy = any
                unique_subject = no
                [any]
                commonName = supplied
                [localhost]
                subjectAltName = DNS:localhost,IP:127.0.0.1
                [wrong]
                subjectAltName = DNS:wrong.example
                [client]
                extendedKeyUsage = clientAuth
                """);
            const string Ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
            const string Sign = "ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -notext";
            foreach (var step in new[]
            {
                $"req -x509 {Ec} -keyout ca.key -out ca.pem -days 30 -subj /CN=Sockit-Test-CA",
                $"req -x509 {Ec} -keyout other-ca.key -out other-ca.pem -days 30 -subj /CN=Other-CA",
                $"req {Ec} -keyout leaf.key -out leaf.csr -subj /CN=localhost",
                $"{Sign} -in leaf.csr -out leaf.pem -days 30 -extensions localhost",
                $"{Sign} -in leaf.csr -out expired.pem -startdate 20200101000000Z -enddate 20200201000000Z -extensions localhost",
                $"req {Ec} -keyout wrong.key -out wrong.csr -subj /CN=wrong.example",
                $"{Sign} -in wrong.csr -out wrong.pem -days 30 -extensions wrong",
                $"req {Ec} -keyout client.key -out client.csr -subj /CN=sockit-test-client",
                $"{Sign} -in client.csr -out client.pem -days 30 -extensions client",
            })
            {
                Openssl(dir, step);
            }

            return new Pki(dir);
        }

        private static void Openssl(string dir, string arguments)
        {
            var psi = new System.Diagnostics.ProcessStartInfo("openssl")
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            foreach (var a in arguments.Split(' '))
            {
                psi.ArgumentList.Add(a);
            }

            using var p = System.Diagnostics.Process.Start(psi)!;
            p.StandardInput.Close();
            var stderr = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(SockitProcess.DefaultTimeout))
            {
                p.Kill();
                throw new TimeoutException($"openssl {arguments} did not finish");
            }

            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"openssl {arguments} failed ({p.ExitCode}): {stderr.Result}");
            }
        }
    }
}
