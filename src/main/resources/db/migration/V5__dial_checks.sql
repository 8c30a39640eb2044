-- When an instance last took over an attempt left in 'dialing' (its claimer stopped, or its call's end was
-- never heard) to ask Twilio about it: the next look waits a while from here, and dialed_at keeps the dial.
ALTER TABLE dial_attempt ADD COLUMN checked_at timestamptz;
