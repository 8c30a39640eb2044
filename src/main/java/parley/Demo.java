package parley;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import parley.simulator.CallSimulator;
import parley.simulator.SimulatedCall;
import parley.simulator.SimulationResult;
import parley.simulator.SimulateCommand;

/**
 * {@code java -jar parley.jar demo}: Parley on embedded defaults, on a free loopback port, takes one simulated
 * call. Needs no keys and no network. Arguments after {@code demo} are Parley settings
 * ({@code --parley.script=file:my-script.yaml}).
 */
final class Demo {

    private static final Path OUTPUT = Path.of("parley-demo");

    private Demo() {
    }

    static int run(String[] settings) {
        int port = freePort();
        List<String> args = new ArrayList<>();
        args.add("--spring.main.banner-mode=off");
        args.add("--logging.level.root=WARN");
        args.add("--logging.level.parley=INFO");
        args.addAll(List.of(settings));
        args.add("--server.address=127.0.0.1");
        args.add("--server.port=" + port);
        args.add("--parley.public-url=http://127.0.0.1:" + port);
        args.add("--parley.stt.sandbox.enabled=true");
        try (ConfigurableApplicationContext parley = new SpringApplicationBuilder(Parley.class)
                .run(args.toArray(String[]::new));
             CallSimulator simulator = new CallSimulator()) {
            Files.createDirectories(OUTPUT);
            SimulatedCall call = SimulatedCall.to("ws://127.0.0.1:" + port + "/twilio/media")
                    .parameter("From", "+15550100001")
                    .parameter("To", "+15550100002")
                    .say("Hi Sam, sure, I have a minute.")
                    .recordTo(OUTPUT.resolve("call.wav"))
                    .reportTo(OUTPUT.resolve("call.json"))
                    .build();
            SimulationResult result = simulator.run(call);
            System.out.println(SimulateCommand.summary(result));
            System.out.println("Both sides of the call: " + OUTPUT.resolve("call.wav").toAbsolutePath()
                    + "\nTimed events:           " + OUTPUT.resolve("call.json").toAbsolutePath());
            return result.agentAudioMs() > 0 && result.violations().isEmpty() ? 0 : 1;
        } catch (IOException e) {
            System.err.println("The demo call failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
