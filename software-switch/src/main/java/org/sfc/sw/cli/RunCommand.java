package org.sfc.sw.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.frontend.FrontendException;
import org.sfc.sw.frontend.Preprocessor;
import org.sfc.sw.ports.PcapPort;
import org.sfc.sw.server.P4RtException;
import org.sfc.sw.server.SwitchServer;

import com.google.protobuf.ByteString;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the software switch until SIGTERM or Ctrl-C.",
                "",
                "Without --program the switch starts with no pipeline and waits for a controller to push one "
                        + "(SetForwardingPipelineConfig with the P4 source text as the device config), "
                        + "like simple_switch_grpc --no-p4.",
                "",
                "Example:",
                "  sfc switch run -p prog.p4 -i 1@veth1 -i 2@veth3 --grpc-address 127.0.0.1:9559",
                ""})
final class RunCommand implements Callable<Integer> {
    @Mixin
    SwitchCommand.ProgramOptions program;

    @Option(names = "--grpc-address", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9559",
            description = "where the P4Runtime server listens (default: ${DEFAULT-VALUE})")
    String grpcAddress;

    @Option(names = {"-i", "--interface"}, paramLabel = "PORT@IFACE",
            description = "attach switch port PORT to Linux interface IFACE through libpcap (repeatable)")
    List<String> interfaces = new ArrayList<>();

    @Option(names = "--device-id", defaultValue = "1", description = "P4Runtime device id (default: ${DEFAULT-VALUE})")
    long deviceId;

    @Option(names = "--cpu-port", defaultValue = "255",
            description = "the port whose traffic is packet-in/out with the controller (default: ${DEFAULT-VALUE}; "
                    + "p4src/tna/sfc.p4 uses Tofino 1's 192)")
    int cpuPort;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "serve P4Runtime over TLS with this certificate chain")
    java.io.File tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "the private key (PKCS#8 PEM) of --tls-cert")
    java.io.File tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "PEM", description = {"mutual TLS: refuse every P4Runtime client",
        "that does not present a certificate signed by this CA (needs --tls-cert and --tls-key)"})
    java.io.File tlsClientCa;

    @Option(names = "--log-level", defaultValue = "info", description = "error, warn, info, debug or trace")
    String logLevel;

    @Override
    public Integer call() throws Exception {
        int colon = grpcAddress.lastIndexOf(':');
        if (colon < 0) {
            System.err.println("sfc switch run: --grpc-address must be HOST:PORT, e.g. 127.0.0.1:9559");
            return 2;
        }
        SoftwareSwitch sw = new SoftwareSwitch(deviceId, cpuPort);
        if (program.program != null) {
            try {
                String text = Preprocessor.run(program.program, program.includes).text();
                sw.setPipeline(SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT, null, ByteString.copyFromUtf8(text), 0);
            } catch (FrontendException | P4RtException e) {
                System.err.println(e.getMessage());
                return 1;
            }
        }
        List<PcapPort> ports = new ArrayList<>();
        for (String spec : interfaces) {
            String[] parts = spec.split("@", 2);
            if (parts.length != 2 || !parts[0].matches("\\d+")) {
                System.err.println("sfc switch run: --interface wants PORT@IFACE, e.g. 1@veth1; got '" + spec + "'");
                return 2;
            }
            int port = Integer.parseInt(parts[0]);
            try {
                PcapPort p = PcapPort.open(parts[1], frame -> sw.receive(port, frame));
                sw.attachPort(port, p::send);
                ports.add(p);
            } catch (Exception | UnsatisfiedLinkError e) {
                System.err.println("sfc switch run: cannot open interface " + parts[1] + " for port " + port + ": "
                        + e.getMessage() + " (does it exist, and are we root? is libpcap installed?)");
                ports.forEach(PcapPort::close);
                return 1;
            }
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        if (tlsClientCa != null && tlsCert == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-client-ca needs --tls-cert and --tls-key");
        }
        SwitchServer server = SwitchServer.start(sw, grpcAddress.substring(0, colon),
                Integer.parseInt(grpcAddress.substring(colon + 1)), tlsCert, tlsKey, tlsClientCa);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            ports.forEach(PcapPort::close);
            System.out.println("sfc switch: stopped");
            stopped.countDown();
        }));
        System.out.printf("sfc switch: device %d, P4Runtime on %s:%d, %d port(s)%s, cpu port %d%n", deviceId,
                grpcAddress.substring(0, colon), server.port(), ports.size(),
                program.program == null ? ", no pipeline yet" : ", pipeline " + program.program, cpuPort);
        System.out.flush();
        server.awaitTermination();
        stopped.await();
        return 0;
    }
}
