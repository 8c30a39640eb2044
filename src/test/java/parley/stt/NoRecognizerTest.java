package parley.stt;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import parley.Parley;
import parley.support.RunningParley;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parley never takes calls it cannot hear: the sandbox recognizer is used only when asked for. */
class NoRecognizerTest {

    @Test
    void withNeitherDeepgramNorTheSandboxParleyRefusesToStartAndSaysWhy() {
        int port = RunningParley.freePort();
        assertThatThrownBy(() -> new SpringApplicationBuilder(Parley.class).run("--spring.main.banner-mode=off",
                "--logging.level.root=OFF", "--server.address=127.0.0.1", "--server.port=" + port,
                "--parley.twilio.auth-token=token", "--parley.stt.deepgram.url=",
                "--parley.records.database-folder=" + RunningParley.freshFolder("parley-records")))
                .hasStackTraceContaining(SpeechToTextConfiguration.NO_RECOGNIZER);
    }
}
