package dev.meshgate.proxy.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The peer of a downstream connection, formatted once per connection for the forwarding headers:
 * the bare address for {@code X-Forwarded-For}, and the RFC 7239 node for {@code Forwarded}
 * (IPv6 in brackets and quotes, "unknown" when the transport has no IP address).
 */
public record ClientAddress(String ip, String forwardedNode) {

    public static final ClientAddress UNKNOWN = new ClientAddress("unknown", "unknown");

    public static ClientAddress of(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return UNKNOWN;
        }
        InetAddress ip = inet.getAddress();
        String text = ip.getHostAddress();
        int zone = text.indexOf('%');
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        if (text.indexOf(':') >= 0) {
            return new ClientAddress(text, "\"[" + text + "]\"");
        }
        return new ClientAddress(text, text);
    }
}
