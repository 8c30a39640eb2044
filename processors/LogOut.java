package parley.processors;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import parley.records.OperatorSessions;

/** {@code POST /api/logout}: the operator's session is closed on every instance and its cookie dropped. */
@Component
public class LogOut implements Processor {

    private final OperatorSessions sessions;
    private final LogIn logIn;

    public LogOut(OperatorSessions sessions, LogIn logIn) {
        this.sessions = sessions;
        this.logIn = logIn;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        sessions.logOut(LogIn.sessionCookie(message));
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        message.setHeader("Set-Cookie", logIn.cookie("", 0));
        message.setBody("");
    }
}
