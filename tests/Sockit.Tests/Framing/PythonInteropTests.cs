using System.Text.Json;
using Sockit.Framing;

namespace Sockit.Tests.Framing;

/// <summary>
/// Interop with the code people actually write on the other end: streams framed by a few lines of python3
/// (struct.pack, '\n'.join, a hand-written protobuf varint) decode here, and our frames decode there.
/// </summary>
public sealed class PythonInteropTests
{
    private const string Framers = """
        import json, struct, sys

        def varint(n):
            out = bytearray()
            while True:
                low, n = n & 0x7F, n >> 7
                out.append(low | 0x80 if n else low)
                if not n:
                    return bytes(out)

        def read_varint(data, i):
            shift = value = 0
            while True:
                b = data[i]; i += 1
                value |= (b & 0x7F) << shift; shift += 7
                if not b & 0x80:
                    return value, i

        PREFIX = {"length": "!I", "length:u8": "!B", "length:u16le": "<H", "length:u32le": "<I", "length:u64": "!Q"}
        """;

    private const string Producer = Framers + """

        payloads = [b"", b"hello", b"\x00\n\r\n", bytes(range(256)), b"x" * 300, b"y" * 70000]
        lines = [b"", b"hello", b"tab\there", "caf\u00e9".encode(), b"z" * 300]
        cases = [(spec, payloads, b"".join(struct.pack(fmt, len(p)) + p for p in payloads))
                 for spec, fmt in PREFIX.items() if spec not in ("length:u8", "length:u16le")]
        cases.append(("length:u8", payloads[:3], b"".join(struct.pack("!B", len(p)) + p for p in payloads[:3])))
        cases.append(("length:u16le", payloads[:5], b"".join(struct.pack("<H", len(p)) + p for p in payloads[:5])))
        cases.append(("varint", payloads, b"".join(varint(len(p)) + p for p in payloads)))
        cases.append(("line", lines, b"\n".join(lines) + b"\n"))
        cases.append(("line", lines, b"\r\n".join(lines) + b"\r\n"))
        cases.append(("delim:\\0", lines, b"\0".join(lines) + b"\0"))
        print(json.dumps([{"spec": s, "messages": [p.hex() for p in ps], "stream": st.hex()} for s, ps, st in cases]))
        """;

    private const string Consumer = Framers + """

        def decode(spec, data):
            frames, i = [], 0
            while i < len(data):
                if spec in PREFIX:
                    fmt = PREFIX[spec]
                    (n,) = struct.unpack_from(fmt, data, i); i += struct.calcsize(fmt)
                elif spec == "varint":
                    n, i = read_varint(data, i)
                elif spec.startswith("fixed:"):
                    n = int(spec[6:])
                else:
                    sep = {"line": b"\n", "delim:\\0": b"\0", "delim:\\r\\n": b"\r\n"}[spec]
                    end = data.index(sep, i)
                    frame = data[i:end]
                    frames.append(frame[:-1] if spec == "line" and frame.endswith(b"\r") else frame)
                    i = end + len(sep)
                    continue
                assert i + n <= len(data), f"{spec}: frame of {n} runs past the end"
                frames.append(data[i:i + n]); i += n
            return frames

        cases = json.load(sys.stdin)
        print(json.dumps([{"spec": c["spec"], "messages": [f.hex() for f in decode(c["spec"], bytes.fromhex(c["stream"]))]} for c in cases]))
        """;

    [Fact]
    public async Task StreamsFramedByPythonDecodeToTheMessagesPythonMeant()
    {
        var cases = Parse(await Python.RunAsync(Producer));

        Assert.Equal(9, cases.Count);
        foreach (var (text, messages, stream) in cases)
        {
            foreach (var split in new[] { int.MaxValue, 4096, 7 })
            {
                var outcome = ContractFeeder.Run(FrameSpec.Parse(text), stream, [split]);

                Assert.True(Framed.Hex(messages).SequenceEqual(Framed.Hex(outcome.Frames)), $"{text} split every {split}");
                Assert.Null(outcome.EndOfStream);
            }
        }
    }

    [Fact]
    public async Task OurFramesDecodeInPythonToTheMessagesWeSent()
    {
        byte[][] payloads = [[], Framed.Ascii("hello"), [0, 9, 0xFF], new byte[300], new byte[70000]];
        byte[][] lines = [[], Framed.Ascii("hello"), Framed.Ascii("a\rb"), Framed.Ascii("caf\u00e9")];
        var sent = new List<(string Spec, byte[][] Messages)>
        {
            ("length", payloads), ("length:u64", payloads), ("length:u32le", payloads), ("varint", payloads),
            ("length:u16le", payloads[..4]), ("length:u8", payloads[..3]),
            ("line", lines), (@"delim:\0", lines), (@"delim:\r\n", lines), ("fixed:3", [[1, 2, 3], [0, 0, 0]]),
        };
        var input = JsonSerializer.Serialize(sent.Select(c => new { spec = c.Spec, stream = Convert.ToHexString(Framed.Encode(FrameSpec.Parse(c.Spec), c.Messages)) }));

        using var decoded = JsonDocument.Parse(await Python.RunAsync(Consumer, input));

        Assert.Equal(sent.Count, decoded.RootElement.GetArrayLength());
        foreach (var ((spec, messages), result) in sent.Zip(decoded.RootElement.EnumerateArray()))
        {
            Assert.Equal(spec, result.GetProperty("spec").GetString());
            Assert.Equal(Framed.Hex(messages), result.GetProperty("messages").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToArray());
        }
    }

    private static List<(string Spec, byte[][] Messages, byte[] Stream)> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(c => (
            c.GetProperty("spec").GetString()!,
            c.GetProperty("messages").EnumerateArray().Select(m => Convert.FromHexString(m.GetString()!)).ToArray(),
            Convert.FromHexString(c.GetProperty("stream").GetString()!))).ToList();
    }
}
