package parley;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code demo outbound} end to end, as a newcomer runs it: Kafka and Parley in this JVM, the simulated phone
 * network, each request's fate printed and checked.
 */
class OutboundDemoTest {

    @Test
    void everyDialRequestOfTheDemoGoesAsItShould() {
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            exit = OutboundDemo.run(new String[0]);
        } finally {
            System.setOut(console);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        console.print(output);
        assertThat(exit).isZero();
        assertThat(output).doesNotContain("  NO ").doesNotContain("published twice")
                .contains("the conversation ended booked").contains("voicemail (answered by machine_end_beep)")
                .contains("dead letter: phone is not an E.164 number")
                .contains("answered (answered by human), the conversation ended do_not_call");
        assertThat(output.lines().filter(line -> line.startsWith("  yes "))).hasSize(12);
    }
}
