package parley.call;

/**
 * Where calls tell what happens on them, for operators watching live. Publishing never blocks and never fails
 * a call: a feed that cannot keep up drops events, it does not slow the audio.
 */
public interface LiveFeed {

    void publish(LiveEvent event);
}
