-- Operators' login sessions for the records API, shared by every instance so that any of them admits a
-- session another opened. Only a session token's SHA-256 is kept: a copy of this table opens no session.
CREATE TABLE operator_session (
    token_sha256 text PRIMARY KEY,
    opened_at    timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);

-- Failed logins by client address, kept for the throttle's window: a guesser is refused on every instance.
CREATE TABLE login_failure (
    address   text NOT NULL,
    failed_at timestamptz NOT NULL
);

CREATE INDEX login_failure_address ON login_failure (address, failed_at);
