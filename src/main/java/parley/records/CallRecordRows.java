package parley.records;

import java.util.List;

/** An ended call as the rows its record is written as: its {@code call_record} row and its turns' rows. */
public record CallRecordRows(CallRow call, List<TurnRow> turns) {

    public CallRecordRows {
        turns = List.copyOf(turns);
    }
}
