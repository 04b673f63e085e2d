using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Tls;

namespace Sinkron.Wire.Server;

/// <summary>
/// Turns a Kestrel endpoint into a Sinkron listener: a guard that notices refused handshakes,
/// mutual TLS 1.3 against the cluster CA, then <see cref="FrameConnectionHandler"/>. No HTTP.
/// </summary>
public static class WireListener
{
    private const string AcceptedKey = "sinkron.accepted";

    /// <summary>Configures <paramref name="listen"/>; the handler's dependencies come from its service provider.</summary>
    public static void Configure(ListenOptions listen, TlsMaterial tls)
    {
        var observer = listen.ApplicationServices.GetRequiredService<IWireObserver>();
        listen.Use(next => context => GuardAsync(context, next, observer));
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = tls.Certificate,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            SslProtocols = SslProtocols.Tls13,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
            OnAuthenticate = (_, ssl) =>
            {
                ssl.ApplicationProtocols = [TlsPolicy.Alpn];
                ssl.CertificateChainPolicy = TlsPolicy.ChainPolicy(tls.Authority, peerIsServer: false);
            },
        });
        listen.Use(next => context =>
        {
            context.Items[AcceptedKey] = true;
            return next(context);
        });
        listen.UseConnectionHandler<FrameConnectionHandler>();
    }

    // Kestrel's TLS middleware swallows a failed handshake and never calls the handler;
    // this outer guard sees that and reports the refusal, so it is logged and audited.
    private static async Task GuardAsync(ConnectionContext context, ConnectionDelegate next, IWireObserver observer)
    {
        await next(context);
        if (!context.Items.ContainsKey(AcceptedKey))
        {
            observer.ConnectionRefused(
                context.RemoteEndPoint?.ToString() ?? "unknown",
                "",
                ErrorCode.AuthenticationFailed,
                "TLS handshake failed: no client certificate, a certificate not issued by the cluster CA, or another protocol");
        }
    }
}
