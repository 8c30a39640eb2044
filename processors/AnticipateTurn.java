package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.knowledge.ReadAheadEmbeddings;

/**
 * The caller has gone quiet with a turn pending, or more of their words came in while they are: what they
 * said so far is embedded in the background during the end-of-turn wait, so that when the turn ends, choosing
 * the answer (and finding passages for it) does not wait for the embedding model.
 */
@Component
public class AnticipateTurn implements Processor {

    private final CallRegistry calls;
    private final ReadAheadEmbeddings embeddings;

    public AnticipateTurn(CallRegistry calls, ReadAheadEmbeddings embeddings) {
        this.calls = calls;
        this.embeddings = embeddings;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call != null && call.hearing() != null) {
            embeddings.anticipate(call.hearing().turns().turnSoFar());
        }
    }
}
