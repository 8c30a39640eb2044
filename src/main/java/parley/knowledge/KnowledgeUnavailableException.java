package parley.knowledge;

/** The knowledge store could not be reached or refused a request; the message says which and where. */
public class KnowledgeUnavailableException extends RuntimeException {

    public KnowledgeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
