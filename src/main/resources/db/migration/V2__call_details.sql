-- How each call came about and was served, its summary and recording; what was said line by line; when each
-- step of each turn happened, as points in time; and what else happened on the call.

ALTER TABLE call_record
    ADD COLUMN direction      text,
    ADD COLUMN from_number    text,
    ADD COLUMN to_number      text,
    ADD COLUMN lead_ref       text,
    ADD COLUMN campaign_ref   text,
    ADD COLUMN script_name    text,
    ADD COLUMN script_version text,
    ADD COLUMN started_at     timestamptz,
    ADD COLUMN answered_at    timestamptz,
    ADD COLUMN ended_at       timestamptz,
    ADD COLUMN summary        text,
    ADD COLUMN summary_by     text,
    -- which providers and models served the call, by role: {"recognizer": [...], "voice": [...], "model": [...]}
    ADD COLUMN served_by      jsonb NOT NULL DEFAULT '{}',
    -- the stereo WAV (caller left, agent right), relative to parley.records.recording-folder; NULL when none
    ADD COLUMN recording      text;

CREATE INDEX call_record_started_at ON call_record (started_at);
CREATE INDEX call_record_campaign ON call_record (campaign_ref) WHERE campaign_ref IS NOT NULL;

-- The model that wrote the answer; NULL when the script answered.
ALTER TABLE turn_record ADD COLUMN model text;

-- A turn's steps are kept as points in time in turn_timing; their durations are in the view turn_latency.
ALTER TABLE turn_record
    DROP COLUMN stop_detected_ms,
    DROP COLUMN finalize_sent_ms,
    DROP COLUMN final_received_ms,
    DROP COLUMN verdict_ms,
    DROP COLUMN decided_ms,
    DROP COLUMN first_audio_ms;

-- When each step of taking a caller turn happened, joined to its turn by (call_sid, turn_number). A step that
-- did not happen is NULL, never a made-up time.
CREATE TABLE turn_timing (
    call_sid            text NOT NULL,
    turn_number         integer NOT NULL,
    speech_ended_at     timestamptz NOT NULL,
    stop_detected_at    timestamptz,
    finalize_sent_at    timestamptz,
    final_received_at   timestamptz,
    verdict_at          timestamptz,
    decided_at          timestamptz,
    first_token_at      timestamptz,
    first_voice_byte_at timestamptz,
    first_audio_at      timestamptz,
    PRIMARY KEY (call_sid, turn_number),
    FOREIGN KEY (call_sid, turn_number) REFERENCES turn_record (call_sid, turn_number)
);

-- Each step in milliseconds after the caller's speech ended.
CREATE VIEW turn_latency AS
SELECT call_sid, turn_number,
       (extract(epoch FROM stop_detected_at - speech_ended_at) * 1000)::bigint    AS stop_detected_ms,
       (extract(epoch FROM finalize_sent_at - speech_ended_at) * 1000)::bigint    AS finalize_sent_ms,
       (extract(epoch FROM final_received_at - speech_ended_at) * 1000)::bigint   AS final_received_ms,
       (extract(epoch FROM verdict_at - speech_ended_at) * 1000)::bigint          AS verdict_ms,
       (extract(epoch FROM decided_at - speech_ended_at) * 1000)::bigint          AS decided_ms,
       (extract(epoch FROM first_token_at - speech_ended_at) * 1000)::bigint      AS first_token_ms,
       (extract(epoch FROM first_voice_byte_at - speech_ended_at) * 1000)::bigint AS first_voice_byte_ms,
       (extract(epoch FROM first_audio_at - speech_ended_at) * 1000)::bigint      AS first_audio_ms
FROM turn_timing;

-- What was said, line by line, in order: the caller's turns, and the agent's lines with what the caller heard
-- of them. Times are milliseconds on the call's timeline, from the media stream's start.
CREATE TABLE call_line (
    call_sid    text NOT NULL REFERENCES call_record (call_sid),
    line_number integer NOT NULL,
    speaker     text NOT NULL,
    said        text NOT NULL,
    heard       text NOT NULL,
    interrupted boolean NOT NULL,
    start_ms    bigint NOT NULL,
    end_ms      bigint NOT NULL,
    PRIMARY KEY (call_sid, line_number)
);

-- What else happened: barge-ins, false interruptions, keys, fallbacks, provider errors, rejected frames.
CREATE TABLE call_event (
    call_sid     text NOT NULL REFERENCES call_record (call_sid),
    event_number integer NOT NULL,
    kind         text NOT NULL,
    at_ms        bigint NOT NULL,
    detail       text,
    PRIMARY KEY (call_sid, event_number)
);
