-- Outbound calling. A dial request is stored once, by its idempotency key: a request read twice from Kafka,
-- or sent twice, is kept once and dialed once.
CREATE TABLE dial_request (
    idempotency_key text PRIMARY KEY,
    account         text NOT NULL,
    campaign        text NOT NULL,
    lead_id         text NOT NULL,
    phone           text NOT NULL,
    script          text,
    time_zone       text NOT NULL,
    -- the calling window in the lead's local time
    window_start    time NOT NULL,
    window_end      time NOT NULL,
    variables       jsonb NOT NULL,
    received_at     timestamptz NOT NULL
);

-- Each attempt to reach a lead: pending until it is due, claimed by one instance (FOR UPDATE SKIP LOCKED),
-- dialing while Twilio places it, then ended with its outcome.
CREATE TABLE dial_attempt (
    id              bigserial PRIMARY KEY,
    idempotency_key text NOT NULL REFERENCES dial_request (idempotency_key),
    attempt_number  integer NOT NULL,
    state           text NOT NULL CHECK (state IN ('pending', 'dialing', 'ended')),
    due_at          timestamptz NOT NULL,
    claimed_by      text,
    dialed_at       timestamptz,
    call_sid        text,
    -- who Twilio's answering-machine detection heard: human, machine_end_beep, fax, unknown...
    answered_by     text,
    ended_at        timestamptz,
    outcome         text,
    detail          text,
    -- set once the attempt's outcome is on the outcomes topic: it is published once
    outcome_published boolean NOT NULL DEFAULT false,
    UNIQUE (idempotency_key, attempt_number)
);

CREATE INDEX dial_attempt_due ON dial_attempt (due_at) WHERE state = 'pending';
CREATE INDEX dial_attempt_dialing ON dial_attempt (dialed_at) WHERE state = 'dialing';

-- A call's final status that came before Twilio's answer to the dial was stored (a call can fail at once):
-- applied as soon as the attempt knows its call.
CREATE TABLE early_call_status (
    call_sid text PRIMARY KEY,
    status   text NOT NULL
);

-- Numbers never to be dialed: the company's list, and every caller who asked not to be called again.
CREATE TABLE do_not_call (
    phone    text PRIMARY KEY,
    reason   text NOT NULL,
    added_at timestamptz NOT NULL
);

-- One row per account, locked while an instance decides whether the account may dial now: its limits hold
-- across every instance.
CREATE TABLE dial_account (
    account text PRIMARY KEY
);
