using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Thaiyyal.Server.Tests.TestHost;

/// <summary>
/// HTTP/1.1 over a bare socket: sends exactly the headers given. (HttpClient in this process would add its own
/// <c>traceparent</c>, because the server under test instruments outbound calls in the same process.)
/// </summary>
public static class RawHttp
{
    public static async Task<(int Status, string Response)> PostAsync(Uri server, string path, string json, params (string Name, string Value)[] headers)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Port);
        var body = Encoding.UTF8.GetBytes(json);
        var head = new StringBuilder()
            .Append("POST ").Append(path).Append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("\r\n");
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(body);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, response);
    }
}
