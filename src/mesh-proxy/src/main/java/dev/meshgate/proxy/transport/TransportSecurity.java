package dev.meshgate.proxy.transport;

import io.netty.channel.Channel;

/**
 * How the bytes of a data-plane connection are protected: the seam where mutual TLS between nodes
 * plugs in. An implementation adds its handlers (an {@code SslHandler} with the workload
 * certificate, peer identity checks) at the front of a new channel's pipeline, before the HTTP
 * codec. Today every connection is plaintext.
 */
public interface TransportSecurity {

    /** No protection: loopback traffic to the local app, and node-to-node traffic until mTLS lands. */
    TransportSecurity PLAINTEXT = new TransportSecurity() {
        @Override
        public void secure(Channel channel) {
        }

        @Override
        public String protocol() {
            return "http";
        }
    };

    /** Called once per new channel, accepted or connected, before any byte flows. */
    void secure(Channel channel);

    /** The protocol a request arrives over on such a connection, for {@code X-Forwarded-Proto}. */
    String protocol();
}
