-- Which operator a session is: the name from parley.records.operators, or 'operator' for the shared password.
ALTER TABLE operator_session ADD COLUMN operator text NOT NULL DEFAULT 'operator';
