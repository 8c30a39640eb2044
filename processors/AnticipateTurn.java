package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.call.CallRegistry;
import parley.call.CallSession;
import parley.conversation.OfflinePolicy;
import parley.knowledge.ReadAheadEmbeddings;

/**
 * The caller has gone quiet with a turn pending, or more of their words came in while they are: what they
 * said so far is embedded in the background during the end-of-turn wait, so that when the turn ends, choosing
 * the answer (and finding passages for it) does not wait for the embedding models.
 */
@Component
public class AnticipateTurn implements Processor {

    private final CallRegistry calls;
    private final ReadAheadEmbeddings embeddings;
    private final OfflinePolicy policy;

    public AnticipateTurn(CallRegistry calls, ReadAheadEmbeddings embeddings, OfflinePolicy policy) {
        this.calls = calls;
        this.embeddings = embeddings;
        this.policy = policy;
    }

    @Override
    public void process(Exchange exchange) {
        CallSession call = calls.of(exchange);
        if (call != null && call.hearing() != null) {
            String soFar = call.hearing().turns().turnSoFar();
            embeddings.anticipate(soFar);
            policy.anticipate(soFar);
        }
    }
}
