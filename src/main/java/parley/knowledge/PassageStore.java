package parley.knowledge;

import java.util.List;

/**
 * Where embedded passages are written and searched: Qdrant through camel-qdrant, or the embedded
 * in-memory store when no Qdrant is configured.
 */
public interface PassageStore extends AutoCloseable {

    /** Makes the store ready for vectors of this size; creates Qdrant's collection if it is missing. */
    void prepare(int dimensions);

    /** Writes passages with their vectors (same order); a passage whose id is already stored is replaced. */
    void upsert(List<Passage> passages, List<float[]> vectors);

    /** The passages closest to the vector, closest first, at most {@code limit}. */
    List<Retrieved> nearest(float[] vector, int limit);

    @Override
    void close();
}
