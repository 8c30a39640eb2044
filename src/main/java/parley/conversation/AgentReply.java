package parley.conversation;

/**
 * An agent's reply while it is being written: a scripted line arrives whole, a model's answer a few tokens
 * at a time. Whoever voices it reads the text as it comes, so the caller hears the first phrase before the
 * last one exists.
 */
public final class AgentReply {

    /** Reads a reply's text as it is written; called in order, on the writer's thread. */
    public interface Reader {
        void more(String text);

        void end();
    }

    private final StringBuilder text = new StringBuilder();
    private boolean finished;
    private Reader reader;

    /** A reply whose text is all there. */
    public static AgentReply whole(String text) {
        AgentReply reply = new AgentReply();
        reply.append(text);
        reply.finish();
        return reply;
    }

    public synchronized void append(String more) {
        if (finished || more.isEmpty()) {
            return;
        }
        text.append(more);
        if (reader != null) {
            reader.more(more);
        }
    }

    public synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (reader != null) {
            reader.end();
        }
    }

    /** Hands the reader what is written so far, then the rest as it comes. One reader per reply. */
    public synchronized void read(Reader newReader) {
        if (reader != null) {
            throw new IllegalStateException("a reply is voiced once");
        }
        reader = newReader;
        if (!text.isEmpty()) {
            reader.more(text.toString());
        }
        if (finished) {
            reader.end();
        }
    }

    public synchronized boolean finished() {
        return finished;
    }

    public synchronized String text() {
        return text.toString();
    }
}
