// FanoutLoad: M chat members spread round-robin over the nodes at PORTS (127.0.0.1), each sending RATE lines a
// second (0: as fast as the room takes them) for SECONDS after WARMUP seconds. Every line carries its sender, a
// per-sender sequence and the send time (Stopwatch ticks: CLOCK_MONOTONIC, the same in every process); every member
// times each line it receives into an HdrHistogram. Prints one line: deliveries/s and latency percentiles from
// send to every receiver, over the lines sent in the measured window, plus lost and out-of-order deliveries.
//   FanoutLoad PORTS MEMBERS RATE SECONDS [WARMUP] [SIZE]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using HdrHistogram;

var ports = args[0].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
var members = int.Parse(args[1], CultureInfo.InvariantCulture);
var rate = double.Parse(args[2], CultureInfo.InvariantCulture);
var seconds = double.Parse(args[3], CultureInfo.InvariantCulture);
var warmup = args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 2;
var size = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 64;

var clients = new List<Member>();
for (var i = 0; i < members; i++)
{
    clients.Add(await Member.JoinAsync(i, members, ports[i % ports.Length]));
}

var start = Stopwatch.GetTimestamp();
var from = start + (long)(warmup * Stopwatch.Frequency);
var until = from + (long)(seconds * Stopwatch.Frequency);
var receiving = clients.Select(c => Task.Run(() => c.ReceiveAsync(from, until))).ToArray();
await Task.WhenAll(clients.Select(c => Task.Run(() => c.SendAsync(rate, size, from, until))));

// Every line sent in the window is owed to every other member: wait for them (bounded), then count what is missing.
var owed = clients.Sum(c => c.SentInWindow) * (long)(members - 1);
var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
while (clients.Sum(c => c.ReceivedInWindow) < owed && Stopwatch.GetTimestamp() < deadline)
{
    await Task.Delay(50);
}

clients.ForEach(c => c.Dispose());
await Task.WhenAll(receiving).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });

var histogram = new LongHistogram(TimeStamp.Minutes(1), 3);
foreach (var c in clients)
{
    histogram.Add(c.Latency);
}

double Ms(double percentile) => histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
var delivered = clients.Sum(c => c.ReceivedInWindow);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"nodes={ports.Length} members={members} rate={rate}/s/member sent={clients.Sum(c => c.SentInWindow)} delivered={delivered} deliveries/s={delivered / seconds:0} p50={Ms(50):0.000}ms p90={Ms(90):0.000}ms p99={Ms(99):0.000}ms p99.9={Ms(99.9):0.000}ms max={histogram.GetMaxValue() * 1000.0 / Stopwatch.Frequency:0.000}ms lost={owed - delivered} out-of-order={clients.Sum(c => c.OutOfOrder)}"));
return owed == delivered ? 0 : 1;

/// <summary>One chat member: a socket, what it sent, and the latency of what it received.</summary>
internal sealed class Member(int index, int members, Socket socket) : IDisposable
{
    private readonly long[] _nextFrom = new long[members];
    private long _receivedInWindow;

    public long SentInWindow { get; private set; }

    public long ReceivedInWindow => Interlocked.Read(ref _receivedInWindow);

    public long OutOfOrder { get; private set; }

    public LongHistogram Latency { get; } = new(TimeStamp.Minutes(1), 3);

    public static async Task<Member> JoinAsync(int index, int members, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        var member = new Member(index, members, socket);
        await member.ReadWelcomeAsync();
        return member;
    }

    private async Task ReadWelcomeAsync()
    {
        var one = new byte[1];
        do
        {
            if (await socket.ReceiveAsync(one) == 0)
            {
                throw new IOException("closed before the welcome line");
            }
        }
        while (one[0] != '\n');
    }

    public async Task SendAsync(double rate, int size, long from, long until)
    {
        var padding = new string('x', Math.Max(0, size - 40));
        var batch = rate > 0 ? 1 : 32;
        var interval = rate > 0 ? (long)(Stopwatch.Frequency / rate) : 0;
        var next = Stopwatch.GetTimestamp() + (interval * index / members); // staggered
        var text = new StringBuilder();
        for (long seq = 0; ; )
        {
            if (interval > 0)
            {
                var wait = next - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                }

                next += interval;
            }

            var now = Stopwatch.GetTimestamp();
            if (now >= until)
            {
                return;
            }

            text.Clear();
            for (var k = 0; k < batch; k++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{index} {seq++} {now} {padding}\n");
            }

            if (now >= from)
            {
                SentInWindow += batch;
            }

            await socket.SendAsync(Encoding.ASCII.GetBytes(text.ToString()));
        }
    }

    public async Task ReceiveAsync(long from, long until)
    {
        using var reader = new StreamReader(new NetworkStream(socket, ownsSocket: false), Encoding.ASCII);
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                var now = Stopwatch.GetTimestamp();
                if (line.StartsWith('*'))
                {
                    continue;
                }

                // "[127.0.0.1:PORT] INDEX SEQ TICKS xxx"
                var words = line.Split(' ', 5);
                var sender = int.Parse(words[1], CultureInfo.InvariantCulture);
                var seq = long.Parse(words[2], CultureInfo.InvariantCulture);
                var sent = long.Parse(words[3], CultureInfo.InvariantCulture);
                if (seq < _nextFrom[sender])
                {
                    OutOfOrder++;
                }

                _nextFrom[sender] = seq + 1;
                if (sent >= from && sent < until)
                {
                    Latency.RecordValue(Math.Max(0, now - sent));
                    Interlocked.Increment(ref _receivedInWindow);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // Closed at the end.
        }
    }

    public void Dispose() => socket.Dispose();
}
