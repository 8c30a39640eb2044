-- The calls under way on every instance, with what the live feed has told of each so far (its events, in order):
-- a dashboard opened mid-call shows the call whole. A row goes when its call ends; one left by an instance that
-- stopped goes once it has had no event for a day.
CREATE TABLE live_call (
    call_sid   text PRIMARY KEY,
    instance   text NOT NULL,
    events     jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);
