package org.sfc.sw.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import org.sfc.sw.SoftwareSwitch;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

/** A P4Runtime gRPC server for one software switch, listening on a TCP address. */
public final class SwitchServer implements AutoCloseable {
    private final Server server;
    private final P4RuntimeService service;

    private SwitchServer(Server server, P4RuntimeService service) {
        this.server = server;
        this.service = service;
    }

    /** Starts serving {@code sw} on host:port (port 0 picks a free port). */
    public static SwitchServer start(SoftwareSwitch sw, String host, int port) throws IOException {
        return start(sw, host, port, null, null);
    }

    /** As {@link #start(SoftwareSwitch, String, int)}, over TLS when a PEM certificate chain and key are given. */
    public static SwitchServer start(SoftwareSwitch sw, String host, int port, java.io.File tlsCert, java.io.File tlsKey)
            throws IOException {
        return start(sw, host, port, tlsCert, tlsKey, null);
    }

    /**
     * As {@link #start(SoftwareSwitch, String, int, java.io.File, java.io.File)}; with {@code clientCa}, mutual TLS:
     * every client must present a certificate that chains to it, or the handshake fails before any RPC.
     */
    public static SwitchServer start(SoftwareSwitch sw, String host, int port, java.io.File tlsCert, java.io.File tlsKey,
                                     java.io.File clientCa) throws IOException {
        if (clientCa != null && tlsCert == null) {
            throw new IllegalArgumentException("mutual TLS needs the switch's own certificate and key too");
        }
        P4RuntimeService service = new P4RuntimeService(sw);
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .addService(service)
                .maxInboundMessageSize(256 * 1024 * 1024);
        if (tlsCert != null) {
            var ssl = io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.forServer(tlsCert, tlsKey);
            if (clientCa != null) {
                ssl.trustManager(clientCa).clientAuth(io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.REQUIRE);
            }
            b.sslContext(ssl.build());
        }
        return new SwitchServer(b.build().start(), service);
    }

    public int port() {
        return server.getPort();
    }

    public P4RuntimeService service() {
        return service;
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops at once, cutting every stream: what a crashed switch looks like to its controllers. */
    public void kill() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
