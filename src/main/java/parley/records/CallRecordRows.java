package parley.records;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ended call as the rows its record is written as: its {@code call_record} row, then its turns, lines and
 * events. Each child table is written in one JDBC batch, from the named parameters this gives for its rows.
 */
public record CallRecordRows(CallRow call, List<TurnRow> turns, List<LineRow> lines, List<EventRow> events) {

    public CallRecordRows {
        turns = List.copyOf(turns);
        lines = List.copyOf(lines);
        events = List.copyOf(events);
    }

    public List<Map<String, Object>> turnParameters() {
        return parameters(turns);
    }

    /** The turns whose answer reached Twilio: those with a timing to keep. */
    public List<Map<String, Object>> timingParameters() {
        return parameters(turns.stream().filter(TurnRow::timed).toList());
    }

    public List<Map<String, Object>> lineParameters() {
        return parameters(lines);
    }

    public List<Map<String, Object>> eventParameters() {
        return parameters(events);
    }

    /** Each row as its fields by name, for a batch insert's {@code :#name} parameters. */
    private static List<Map<String, Object>> parameters(List<? extends Record> rows) {
        List<Map<String, Object>> batch = new ArrayList<>(rows.size());
        for (Record row : rows) {
            Map<String, Object> fields = new HashMap<>();
            for (RecordComponent component : row.getClass().getRecordComponents()) {
                try {
                    fields.put(component.getName(), component.getAccessor().invoke(row));
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("a record row's field cannot be read: " + component, e);
                }
            }
            batch.add(fields);
        }
        return batch;
    }
}
