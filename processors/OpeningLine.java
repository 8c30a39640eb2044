package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.conversation.AgentLine;
import parley.conversation.SalesScript;

/** The script's greeting, as the agent's first line on a call. */
@Component
public class OpeningLine implements Processor {

    private final SalesScript script;

    public OpeningLine(SalesScript script) {
        this.script = script;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setBody(new AgentLine(script.openingLine()));
    }
}
