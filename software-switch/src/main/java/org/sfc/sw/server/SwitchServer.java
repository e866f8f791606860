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
        P4RuntimeService service = new P4RuntimeService(sw);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .addService(service)
                .maxInboundMessageSize(256 * 1024 * 1024)
                .build()
                .start();
        return new SwitchServer(server, service);
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
