-- One row per call, written once when the call ends. Writes are idempotent (ON CONFLICT DO NOTHING on the
-- call's sid), so a record written again after a retry or by a second instance is kept once.
CREATE TABLE call_record (
    call_sid       text PRIMARY KEY,
    other_number   text,
    end_reason     text NOT NULL,
    length_ms      bigint NOT NULL,
    outcome        text,
    transferred_to text,
    slots          jsonb NOT NULL,
    meeting        jsonb,
    recorded_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per caller turn, in the order they were answered. Timing columns are milliseconds after the
-- caller's speech ended; a step that did not happen is NULL, never 0.
CREATE TABLE turn_record (
    call_sid          text NOT NULL REFERENCES call_record (call_sid),
    turn_number       integer NOT NULL,
    said              text NOT NULL,
    answered_by       text NOT NULL,
    reason            text,
    sources           text[] NOT NULL,
    begun_early       boolean NOT NULL,
    stop_detected_ms  bigint,
    finalize_sent_ms  bigint,
    final_received_ms bigint,
    verdict_ms        bigint,
    decided_ms        bigint,
    first_audio_ms    bigint,
    PRIMARY KEY (call_sid, turn_number)
);

CREATE INDEX call_record_recorded_at ON call_record (recorded_at);
